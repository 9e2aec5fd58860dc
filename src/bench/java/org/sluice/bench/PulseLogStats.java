package org.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JavaFX pulse log ({@code -Djavafx.pulseLogger=true -Djavafx.pulseLogger.threshold=0})
 * and gives, per {@code BENCH-WINDOW name start|end} window, the pulses' durations (from the pulse's
 * start to the end of its rendering, whole milliseconds as the logger prints them) and the share of
 * wall time spent in pulses. Both the full form {@code PULSE: 12 [16ms:5ms]} and the short form
 * {@code [12 16ms:0ms]} of idle pulses are counted.
 */
public final class PulseLogStats {
    private static final Pattern FULL = Pattern.compile("PULSE: (\\d+) \\[(\\d+)ms:(\\d+)ms\\]");
    private static final Pattern SHORT = Pattern.compile("\\[(\\d+) (\\d+)ms:(\\d+)ms\\]");

    private PulseLogStats() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, List<Integer>> windows = new LinkedHashMap<>();
        Map<String, long[]> spans = new LinkedHashMap<>();
        String open = null;
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.ISO_8859_1)) {
            if (line.contains("BENCH-WINDOW")) {
                String[] words = line.substring(line.indexOf("BENCH-WINDOW")).split(" ");
                open = words[2].equals("start") ? words[1] : null;
                if (open != null) {
                    windows.put(open, new ArrayList<>());
                    spans.put(open, new long[2]);
                }
                continue;
            }
            if (open == null) {
                continue;
            }
            Matcher full = FULL.matcher(line);
            if (full.find()) {
                add(windows, spans, open, Integer.parseInt(full.group(2)), Integer.parseInt(full.group(3)));
                continue;
            }
            Matcher shortForm = SHORT.matcher(line);
            while (shortForm.find()) {
                add(windows, spans, open, Integer.parseInt(shortForm.group(2)), Integer.parseInt(shortForm.group(3)));
            }
        }
        for (Map.Entry<String, List<Integer>> window : windows.entrySet()) {
            long[] span = spans.get(window.getKey());
            System.out.printf(Locale.ROOT, "RESULT pulse %s duration ms %s; pulses %d over ~%.1f s (%.1f/s); time in pulses %.1f %%%n",
                    window.getKey(), Stats.summary(window.getValue()), window.getValue().size(), span[0] / 1000.0,
                    window.getValue().size() * 1000.0 / Math.max(1, span[0]), 100.0 * span[1] / Math.max(1, span[0]));
        }
    }

    private static void add(Map<String, List<Integer>> windows, Map<String, long[]> spans, String window, int interval, int duration) {
        windows.get(window).add(duration);
        spans.get(window)[0] += interval;
        spans.get(window)[1] += duration;
    }
}
