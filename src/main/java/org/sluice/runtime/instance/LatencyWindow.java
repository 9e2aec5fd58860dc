package org.sluice.runtime.instance;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latencies of the most recent messages, for percentiles. Thread-safe without a lock: every
 * message finishing records into it, from whichever thread answered it, and a lock there was
 * contended by every such thread.
 *
 * <p>A record takes the next slot of a ring and writes it. A percentile reads the slots that
 * have been written; a slot taken but not yet written at that moment still holds the latency it
 * had one lap earlier, or is left out while the ring has not gone round once.
 */
final class LatencyWindow {
    private static final long EMPTY = -1;

    private final AtomicLongArray ring;
    private final int mask;
    private final AtomicLong next = new AtomicLong();

    /** @param capacity how many latencies the window keeps: a power of two */
    LatencyWindow(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        ring = new AtomicLongArray(capacity);
        mask = capacity - 1;
        for (int i = 0; i < capacity; i++) {
            ring.set(i, EMPTY);
        }
    }

    /** Records one latency; negative values count as 0. */
    void record(long millis) {
        int slot = (int) next.getAndIncrement() & mask;
        ring.setRelease(slot, Math.max(0, millis));
    }

    /** The recorded latencies of the window, sorted. */
    long[] sorted() {
        long[] values = new long[ring.length()];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            long v = ring.getAcquire(i);
            if (v != EMPTY) {
                values[size++] = v;
            }
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The {@code p}-th percentile (nearest rank) of the window; 0 while it is empty. */
    long percentile(double p) {
        return percentile(sorted(), p);
    }

    /** The {@code p}-th percentile (nearest rank) of sorted values; 0 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
