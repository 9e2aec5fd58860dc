package org.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * JavaFX thread.
 */
public final class PulsePhaseRecorder implements AutoCloseable {
    static final String EVENT = "javafx.PulsePhase";

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
        Map<Long, double[]> pulses = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals(EVENT)) {
                continue;
            }
            long id = event.getLong("pulseId");
            double start = micros(event.getStartTime());
            double end = micros(event.getEndTime());
            // The renderer thread paints and presents; every other phase runs on the JavaFX thread
            // (which the recorder may name after the windowing toolkit's main loop).
            String thread = event.getThread() == null ? null : event.getThread().getJavaName();
            boolean fx = thread == null || !thread.startsWith("QuantumRenderer");
            double[] pulse = pulses.computeIfAbsent(id, k -> new double[] {Double.MAX_VALUE, 0, 0});
            pulse[0] = Math.min(pulse[0], start);
            pulse[1] = Math.max(pulse[1], end);
            if (fx) {
                pulse[2] = Math.max(pulse[2], end);
            }
        }
        double lo = micros(from);
        double hi = micros(to);
        List<Double> whole = new ArrayList<>();
        List<Double> fxPart = new ArrayList<>();
        for (double[] pulse : pulses.values()) {
            if (pulse[0] >= lo && pulse[0] < hi) {
                whole.add((pulse[1] - pulse[0]) / 1000.0);
                fxPart.add((Math.max(pulse[2], pulse[0]) - pulse[0]) / 1000.0);
            }
        }
        return new Window(whole, fxPart, (hi - lo) / 1e6);
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
