package org.sluice.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.sluice.throttle.RecordedSample;
import org.sluice.throttle.Sample;
import org.sluice.throttle.SampleWindow;

/**
 * The recent samples of one role instance, every one its governor saw, across its runs: what an
 * incident bundle replays. A ring of primitive arrays, 20 bytes a sample (time 8, memory in tenths
 * of a percent 2, messages in process 4, cores 2, run 4), so {@value SampleWindow#MAX_SAMPLES}
 * samples, an hour at the 200 ms sampling period, cost about 360 KB; the arrays grow as samples
 * come, so a quiet or new instance costs less. Memory is kept to the tenth because that is the
 * figure the instance prints and decides on.
 *
 * <p>Written on the instance's reader thread and read by the management API's threads, hence
 * synchronized; each call is short.
 */
final class SampleRing {
    private static final int FIRST_SIZE = 1_024;

    private final int capacity;
    private long[] times = new long[0];
    private short[] memoryTenths = new short[0];
    private int[] concurrent = new int[0];
    private short[] cores = new short[0];
    private int[] runs = new int[0];
    /** Where the next sample goes. */
    private int next;
    private int size;
    private int lastRun;

    SampleRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a ring keeps at least one sample, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** The number of the run a new process of the instance takes its samples under. */
    synchronized int newRun() {
        return ++lastRun;
    }

    synchronized void add(int run, Sample sample) {
        if (size == times.length && times.length < capacity) {
            grow(Math.min(capacity, Math.max(FIRST_SIZE, times.length * 2)));
        }
        times[next] = sample.timeMs();
        memoryTenths[next] = (short) Math.round(sample.memoryPercent() * 10);
        concurrent[next] = (int) Math.min(Integer.MAX_VALUE, sample.concurrentMessages());
        cores[next] = (short) Math.min(Short.MAX_VALUE, sample.cores());
        runs[next] = run;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** Only while the ring has not wrapped yet, when the samples lie from 0 to size in order. */
    private void grow(int length) {
        times = Arrays.copyOf(times, length);
        memoryTenths = Arrays.copyOf(memoryTenths, length);
        concurrent = Arrays.copyOf(concurrent, length);
        cores = Arrays.copyOf(cores, length);
        runs = Arrays.copyOf(runs, length);
        next = size;
    }

    /** The samples taken from {@code fromMs} to {@code toMs}, both included, oldest first. */
    synchronized SampleWindow window(long fromMs, long toMs) {
        if (size == 0) {
            return SampleWindow.none();
        }
        int oldest = (next - size + times.length) % times.length;
        List<RecordedSample> found = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int at = (oldest + i) % times.length;
            if (times[at] >= fromMs && times[at] <= toMs) {
                found.add(new RecordedSample(runs[at], new Sample(times[at], memoryTenths[at] / 10.0, concurrent[at], cores[at])));
            }
        }
        return new SampleWindow(found, OptionalLong.of(times[oldest]));
    }

    /** How many samples the arrays have room for now. */
    synchronized int allocatedSamples() {
        return times.length;
    }
}
