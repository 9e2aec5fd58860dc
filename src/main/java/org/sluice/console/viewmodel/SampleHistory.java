package org.sluice.console.viewmodel;

/**
 * The recent samples of one role instance, oldest first, in a ring of fixed capacity: once full,
 * each new sample replaces the oldest. Values are kept in primitive arrays and read by position,
 * so drawing a chart reads thousands of points without allocating.
 *
 * <p>Positions run from 0 (the oldest kept sample) to {@link #size()} - 1 (the newest). Times never
 * go backwards: a sample older than the newest one is not kept, so the history stays ordered and
 * can be searched by time.
 */
public final class SampleHistory {
    private final long[] times;
    private final double[] memory;
    private final long[] concurrent;
    private int head;
    private int size;

    /** An empty history that keeps at most {@code capacity} samples. */
    public SampleHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        times = new long[capacity];
        memory = new double[capacity];
        concurrent = new long[capacity];
    }

    /** Adds a sample; returns false, keeping nothing, when it is older than the newest one. */
    boolean add(long timeMs, double memoryPercent, long concurrentMessages) {
        if (size > 0 && timeMs < timeAt(size - 1)) {
            return false;
        }
        int slot = (head + size) % times.length;
        if (size == times.length) {
            head = (head + 1) % times.length;
        } else {
            size++;
        }
        times[slot] = timeMs;
        memory[slot] = memoryPercent;
        concurrent[slot] = concurrentMessages;
        return true;
    }

    /** Raises the newest sample's values to these where they are higher; a step of a coarser history takes its peaks so. */
    void raiseNewest(double memoryPercent, long concurrentMessages) {
        int slot = slot(size - 1);
        memory[slot] = Math.max(memory[slot], memoryPercent);
        concurrent[slot] = Math.max(concurrent[slot], concurrentMessages);
    }

    public int capacity() {
        return times.length;
    }

    /** How many samples are kept. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** When the sample at {@code position} was taken. */
    public long timeAt(int position) {
        return times[slot(position)];
    }

    /** Memory in use at {@code position}, as a percentage of the instance's budget. */
    public double memoryAt(int position) {
        return memory[slot(position)];
    }

    /** Messages in process at {@code position}. */
    public long concurrentAt(int position) {
        return concurrent[slot(position)];
    }

    /** The first position whose time is at or after {@code timeMs}; {@link #size()} when there is none. */
    public int firstAtOrAfter(long timeMs) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (timeAt(middle) < timeMs) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The most messages in process from {@code from} to the newest sample; 0 when there are none. */
    public long maxConcurrentFrom(int from) {
        long max = 0;
        for (int position = Math.max(0, from); position < size; position++) {
            max = Math.max(max, concurrentAt(position));
        }
        return max;
    }

    private int slot(int position) {
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException("position " + position + " of " + size);
        }
        return (head + position) % times.length;
    }
}
