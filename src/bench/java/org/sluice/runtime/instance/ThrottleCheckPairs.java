package org.sluice.runtime.instance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@link ThrottleCheckBenchmark} in pairs: each round runs "with" and "without" one after the
 * other, each in a fresh fork, alternating which goes first, and takes the ratio of the two
 * scores. On a machine whose load drifts (other work on the same cores) the ratio of two runs a
 * few seconds apart is far steadier than two averages taken minutes apart, which is what running
 * the benchmarks one after the other with several forks each would give.
 *
 * <p>Two ratios per round: of messages per second (wall time), and of messages per CPU second of
 * the benchmark threads, the second being the one that other work on the machine disturbs least.
 * Prints one {@code PAIR} line per round and {@code RESULT} lines per validation: the mean ratio
 * with its 95 % confidence interval (Student's t over the rounds), the median and the range.
 * Arguments: {@code rounds [validation...]} (default 8 rounds, JSON and NONE).
 */
public final class ThrottleCheckPairs {
    private ThrottleCheckPairs() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        List<String> validations = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("JSON", "NONE");
        for (String validation : validations) {
            List<Double> ratios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            List<Double> withCpu = new ArrayList<>();
            List<Double> withoutCpu = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                boolean withFirst = round % 2 == 0;
                double[] first = score(withFirst ? "withThrottleCheck" : "withoutThrottleCheck", validation);
                double[] second = score(withFirst ? "withoutThrottleCheck" : "withThrottleCheck", validation);
                double[] w = withFirst ? first : second;
                double[] wo = withFirst ? second : first;
                with.add(w[0]);
                without.add(wo[0]);
                withCpu.add(w[1]);
                withoutCpu.add(wo[1]);
                ratios.add(w[0] / wo[0]);
                cpuRatios.add(wo[1] / w[1]);
                System.out.printf(Locale.ROOT, "PAIR %s round %d (%s first): with %.0f ops/s %.0f ns CPU/op, "
                                + "without %.0f ops/s %.0f ns CPU/op; ratio %.3f, per CPU second %.3f; load %s%n",
                        validation, round + 1, withFirst ? "with" : "without", w[0], w[1], wo[0], wo[1], w[0] / wo[0],
                        wo[1] / w[1], load());
            }
            System.out.printf(Locale.ROOT, "RESULT %s with %.0f ops/s, %.0f ns CPU/op (mean of %d); without %.0f ops/s, "
                    + "%.0f ns CPU/op%n", validation, mean(with), mean(withCpu), rounds, mean(without), mean(withoutCpu));
            System.out.printf(Locale.ROOT, "RESULT %s ratio of messages/s: %s%n", validation, describe(ratios));
            System.out.printf(Locale.ROOT, "RESULT %s ratio of messages per CPU second: %s%n", validation, describe(cpuRatios));
        }
    }

    /** Messages per second and CPU nanoseconds per message of one fork. */
    private static double[] score(String benchmark, String validation) throws Exception {
        Options options = new OptionsBuilder()
                .include(ThrottleCheckBenchmark.class.getName() + "." + benchmark + "$")
                .param("validation", validation)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(4)
                .measurementTime(TimeValue.seconds(1))
                .timeUnit(TimeUnit.SECONDS)
                .shouldDoGC(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        RunResult result = results.iterator().next();
        double cpuNanos = result.getSecondaryResults().get("cpuNanos").getScore();
        double messages = result.getSecondaryResults().get("messages").getScore();
        return new double[] {result.getPrimaryResult().getScore(), cpuNanos / messages};
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Mean ± half-width of the 95 % interval, median and range. */
    static String describe(List<Double> values) {
        int n = values.size();
        double mean = mean(values);
        double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, n - 1);
        double half = tQuantile975(n - 1) * Math.sqrt(var / n);
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "%.3f ± %.3f (95 %% CI %.3f–%.3f), median %.3f, min %.3f, max %.3f, n=%d",
                mean, half, mean - half, mean + half, median, sorted[0], sorted[n - 1], n);
    }

    /** Student's t, two-sided 95 %, for small degrees of freedom. */
    private static double tQuantile975(int df) {
        double[] table = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
        return df < table.length ? table[Math.max(1, df)] : 1.96;
    }
}
