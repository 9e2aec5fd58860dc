package org.sluice.runtime.instance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages through one role instance over HTTP, with the throttle check and without it, in
 * alternating pairs: each round runs {@link BusyAnswerBench} twice, once against the instance's
 * endpoint as {@code InstanceProcess} sets it up ({@code wiring=instance}) and once against the
 * same server and threads with a handler that has no check at all ({@code wiring=bare}),
 * alternating which goes first. The instance gets one core (its own CPU, with {@code taskset}),
 * the senders run where this process runs (start it under {@code taskset -c 0}); the destination
 * takes no time, the bodies are 1 KiB of JSON, and {@code senders} (16) send in a closed loop, far
 * below the throttle threshold.
 *
 * <p>The JDK's HTTP client sends fewer messages a second than the instance can answer on its core,
 * so messages per second measure the senders; what the check costs shows in the instance's CPU
 * time per message (its threads' time on a CPU, from {@code /proc}), and the ratio taken is of
 * messages per CPU second of the instance. Messages per second are printed too. Prints one
 * {@code PAIR} line per round and a {@code RESULT} line: the mean ratio with its 95 % confidence
 * interval, the median and the range. Arguments: {@code rounds seconds senders} (6, 10, 16).
 */
public final class HttpThroughputPairs {
    private static final Pattern THROUGHPUT = Pattern.compile("RESULT throughput: (\\d+) messages/s answered 200");
    private static final Pattern CPU_EACH = Pattern.compile("([0-9.]+) µs of CPU each");

    private HttpThroughputPairs() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        String seconds = args.length > 1 ? args[1] : "10";
        String senders = args.length > 2 ? args[2] : "16";
        List<Double> ratios = new ArrayList<>();
        List<Double> rateRatios = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        List<Double> withCpu = new ArrayList<>();
        List<Double> withoutCpu = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            boolean withFirst = round % 2 == 0;
            double[] first = run(withFirst ? "instance" : "bare", seconds, senders);
            double[] second = run(withFirst ? "bare" : "instance", seconds, senders);
            double[] w = withFirst ? first : second;
            double[] wo = withFirst ? second : first;
            with.add(w[0]);
            without.add(wo[0]);
            withCpu.add(w[1]);
            withoutCpu.add(wo[1]);
            rateRatios.add(w[0] / wo[0]);
            ratios.add(wo[1] / w[1]);
            System.out.printf(Locale.ROOT, "PAIR round %d (%s first): with %.0f messages/s, %.0f µs of instance CPU "
                            + "each; without %.0f messages/s, %.0f µs each; ratio per CPU second %.3f, of messages/s "
                            + "%.3f; load %s%n", round + 1, withFirst ? "with" : "without", w[0], w[1], wo[0], wo[1],
                    wo[1] / w[1], w[0] / wo[0], load());
        }
        System.out.printf(Locale.ROOT, "RESULT over HTTP: with %.0f messages/s, %.1f µs of instance CPU each; without "
                + "%.0f messages/s, %.1f µs each (means of %d)%n", mean(with), mean(withCpu), mean(without),
                mean(withoutCpu), rounds);
        System.out.printf(Locale.ROOT, "RESULT over HTTP, ratio of messages per instance CPU second: %s%n",
                ThrottleCheckPairs.describe(ratios));
        System.out.printf(Locale.ROOT, "RESULT over HTTP, ratio of messages/s (bound by the senders): %s%n",
                ThrottleCheckPairs.describe(rateRatios));
    }

    /** Messages per second answered 200, and the instance's CPU microseconds per answer. */
    private static double[] run(String wiring, String seconds, String senders) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BusyAnswerBench.class.getName(),
                "wiring=" + wiring, "seconds=" + seconds, "warmup=5", "senders=" + senders, "delivery-ms=0",
                "probe-per-s=1");
        Process bench = new ProcessBuilder(command).redirectErrorStream(true).start();
        double throughput = Double.NaN;
        double cpuEach = Double.NaN;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(bench.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher m = THROUGHPUT.matcher(line);
                if (m.find()) {
                    throughput = Double.parseDouble(m.group(1));
                }
                Matcher c = CPU_EACH.matcher(line);
                if (line.startsWith("RESULT server threads ran") && c.find()) {
                    cpuEach = Double.parseDouble(c.group(1));
                }
            }
        }
        bench.waitFor();
        if (Double.isNaN(throughput) || Double.isNaN(cpuEach)) {
            throw new IllegalStateException("no throughput or CPU time from the " + wiring + " run");
        }
        return new double[] {throughput, cpuEach};
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
