package org.sluice.fleet.traffic;

import java.util.Arrays;

/** Latencies recorded during a load run, and their percentiles by the nearest-rank method. */
public final class Percentiles {
    private long[] values = new long[1024];
    private int count;

    /** Records one value. Not thread-safe: callers hold their own lock. */
    void add(long value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = value;
    }

    int count() {
        return count;
    }

    /**
     * The {@code p}-th percentile (0 < p ≤ 100): the smallest recorded value such that at least
     * {@code p} % of the values are at or below it.
     *
     * @throws IllegalStateException when nothing was recorded
     */
    long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is over 0 and at most 100, was " + p);
        }
        if (count == 0) {
            throw new IllegalStateException("no values recorded");
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, rank - 1)];
    }
}
