package org.sluice.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Percentiles and medians of measured values, nearest-rank. */
public final class Stats {
    private Stats() {
    }

    public static double percentile(Collection<? extends Number> values, double p) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        return percentile(sorted, p);
    }

    /** Nearest-rank percentile of already sorted values; NaN when there are none. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** {@code n=… min=… p50=… p90=… p99=… max=…}, in the values' unit. */
    public static String summary(Collection<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return "n=0";
        }
        return String.format(Locale.ROOT, "n=%d min=%.2f p50=%.2f p90=%.2f p99=%.2f max=%.2f", sorted.length, sorted[0],
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    public static double median(Collection<? extends Number> values) {
        return percentile(values, 50);
    }

    static double[] sorted(Collection<? extends Number> values) {
        double[] a = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
