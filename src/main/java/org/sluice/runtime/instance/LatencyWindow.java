package org.sluice.runtime.instance;

import java.util.Arrays;

/** The latencies of the most recent messages, for percentiles. Thread-safe. */
final class LatencyWindow {
    private final long[] ring;
    private int next;
    private int size;

    LatencyWindow(int capacity) {
        ring = new long[capacity];
    }

    synchronized void record(long millis) {
        ring[next] = millis;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The {@code p}-th percentile (nearest rank) of the window; 0 while it is empty. */
    synchronized long percentile(double p) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(ring, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }
}
