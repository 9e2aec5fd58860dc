package org.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Times JavaFX pulses from the flight recorder's {@code javafx.PulsePhase} events instead of the
 * pulse logger's printout. JavaFX 21 writes those events (one per phase of a pulse, on the JavaFX
 * thread and on the renderer thread, each with the pulse's number) when the flight recorder is
 * running before its pulse logging starts; {@link #start()} must therefore be called before the
 * JavaFX toolkit starts. Unlike the print logger it keeps no state of its own across threads, and
 * it stays up with notification popups on screen.
 *
 * <p>A pulse lasts from the start of its first phase to the end of its last, its rendering
 * included, as the pulse logger counts it; its FX-thread part ends with its last phase on the
 * JavaFX thread. The renderer's phases are matched to pulses by time, not by the number JavaFX
 * gives them, which is unreliable on that thread (see {@link #window}).
 */
public final class PulsePhaseRecorder implements AutoCloseable {
    static final String EVENT = "javafx.PulsePhase";
    /** The JavaFX thread's last phase before the renderer takes the pulse over. */
    private static final String HAND_OVER = "Copy state to render graph";

    private final Recording recording;
    private final Path file;

    private PulsePhaseRecorder(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** Starts recording pulse phases, and nothing else; call it before the JavaFX toolkit starts. */
    public static PulsePhaseRecorder start() throws IOException {
        Recording recording = new Recording();
        recording.setName("pulses");
        recording.enable(EVENT).withoutStackTrace();
        recording.setToDisk(true);
        recording.start();
        return new PulsePhaseRecorder(recording, Files.createTempFile("sluice-pulses", ".jfr"));
    }

    /** Durations of the pulses that started in [{@code from}, {@code to}), in milliseconds. */
    public Window window(Instant from, Instant to) throws IOException {
        recording.dump(file);
        // Per pulse on the JavaFX thread: {start, end of its last phase, start of its hand-over}.
        Map<Long, double[]> byId = new HashMap<>();
        List<double[]> renders = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals(EVENT)) {
                continue;
            }
            double start = micros(event.getStartTime());
            double end = micros(event.getEndTime());
            // The renderer thread paints and presents; every other phase runs on the JavaFX thread
            // (which the recorder may name after the windowing toolkit's main loop).
            String thread = event.getThread() == null ? null : event.getThread().getJavaName();
            if (thread != null && thread.startsWith("QuantumRenderer")) {
                renders.add(new double[] {start, end});
                continue;
            }
            long id = event.getLong("pulseId");
            if (id == 0) {
                continue;
            }
            double[] pulse = byId.computeIfAbsent(id, k -> new double[] {Double.MAX_VALUE, 0, 0});
            pulse[0] = Math.min(pulse[0], start);
            pulse[1] = Math.max(pulse[1], end);
            if (HAND_OVER.equals(event.getString("phaseName"))) {
                pulse[2] = start;
            }
        }
        List<double[]> pulses = new ArrayList<>(byId.values());
        pulses.sort(Comparator.comparingDouble(p -> p[0]));
        double[] fxEnds = new double[pulses.size()];
        for (int i = 0; i < pulses.size(); i++) {
            double[] pulse = pulses.get(i);
            fxEnds[i] = pulse[1];
            if (pulse[2] == 0) {
                pulse[2] = pulse[1];
            }
        }
        // The renderer numbers its phases with the pulse the JavaFX thread is in when it starts,
        // which is 0 or the next pulse when the JavaFX thread has moved on first. A pulse's
        // rendering starts after its hand-over to the renderer and ends before the next pulse's
        // hand-over, so each rendering phase goes to the last pulse handed over before it began.
        double[] handOvers = pulses.stream().mapToDouble(p -> p[2]).toArray();
        for (double[] render : renders) {
            int i = lastAtOrBefore(handOvers, render[0]);
            if (i >= 0) {
                pulses.get(i)[1] = Math.max(pulses.get(i)[1], render[1]);
            }
        }
        double lo = micros(from);
        double hi = micros(to);
        List<Double> whole = new ArrayList<>();
        List<Double> fxPart = new ArrayList<>();
        for (int i = 0; i < pulses.size(); i++) {
            double[] pulse = pulses.get(i);
            if (pulse[0] >= lo && pulse[0] < hi) {
                whole.add((pulse[1] - pulse[0]) / 1000.0);
                fxPart.add((fxEnds[i] - pulse[0]) / 1000.0);
            }
        }
        return new Window(whole, fxPart, (hi - lo) / 1e6);
    }

    /** The index of the last of the sorted {@code values} at or before {@code x}, or -1. */
    private static int lastAtOrBefore(double[] values, double x) {
        int lo = 0;
        int hi = values.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static double micros(Instant time) {
        return time.getEpochSecond() * 1e6 + time.getNano() / 1e3;
    }

    @Override
    public void close() throws IOException {
        recording.close();
        Files.deleteIfExists(file);
    }

    /** One window's pulses: whole durations, FX-thread parts, and the window's length in seconds. */
    public record Window(List<Double> pulses, List<Double> fxParts, double seconds) {
        /** One line: the pulses' durations, their FX-thread parts, and the pulses a second. */
        public String summary() {
            return String.format(Locale.ROOT, "duration ms %s; FX-thread part ms %s; %.1f pulses/s", Stats.summary(pulses),
                    Stats.summary(fxParts), pulses.size() / Math.max(1e-9, seconds));
        }
    }
}
