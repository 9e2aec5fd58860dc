package org.sluice.runtime.instance;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import org.sluice.throttle.Cause;
import org.sluice.throttle.InvalidSampleException;
import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleGovernor;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.sluice.throttle.Thresholds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's view of itself: its counters, the messages in process, and the throttle
 * governor they feed.
 *
 * <p>{@link #sample()} measures the instance, feeds the governor and prints {@code sample},
 * {@code throttle} and {@code episode} events; a scheduled thread calls it at least every 250 ms.
 * Admission ({@link #tryAdmit()}) reads the governor's state as of the last sample, and when an
 * admitted message takes the count of messages in process to the high threshold it samples at
 * once, so a burst throttles within one request rather than up to a sampling period later. When a
 * finished message takes the count back to the low threshold while concurrency throttles, it
 * samples at once too.
 *
 * <p>Every message passes through here on its way in and out, from as many threads as answer
 * messages, so the hot path takes no lock: the count of messages in process, which admission
 * compares with the threshold, is one exact atomic counter; everything only the sampler reads (the
 * other counters and the bytes in process) is a {@link LongAdder}, which threads update without
 * contending, and the latency window is lock-free.
 */
public final class InstanceMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMonitor.class);
    private static final int LATENCY_WINDOW = 1024;
    /** The upper bounds of the latency histogram's buckets, in milliseconds. */
    static final List<Long> LATENCY_BOUNDS_MS = List.of(1L, 2L, 5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L);
    /** The shortest time between two refreshes of the memory reading. */
    static final long MEMORY_REFRESH_MS = 1_000;

    private final InstantSource clock;
    private final MemoryGauge memory;
    private final IntSupplier cores;
    private final ProtocolWriter out;
    private final ThrottleGovernor governor;

    private final AtomicLong inProcess = new AtomicLong();
    private final LongAdder inProcessBytes = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder processed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refusedBusy = new LongAdder();
    private final LatencyWindow latencies = new LatencyWindow(LATENCY_WINDOW);
    private final LongAdder[] latencyCounts = new LongAdder[LATENCY_BOUNDS_MS.size() + 1];
    private final LongAdder latencySumMs = new LongAdder();

    private final Object idle = new Object();
    /**
     * Threads in {@link #awaitIdle}. A finished message that leaves none in process wakes them
     * only when there are some, rather than taking the lock and notifying (which inflates the lock)
     * for every message that leaves the instance idle: with messages arriving one at a time, that
     * is every message.
     */
    private final AtomicInteger idleWaiters = new AtomicInteger();
    private volatile ThrottleState state = ThrottleState.NORMAL;
    private volatile boolean concurrencyLatched;
    private long lastSampleMs;
    private long lastRefreshMs;

    /**
     * @param clock  the clock samples are stamped with (epoch milliseconds)
     * @param memory the memory reading
     * @param cores  the processors the instance has
     * @param out    where events go
     */
    public InstanceMonitor(InstantSource clock, MemoryGauge memory, IntSupplier cores, ProtocolWriter out) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.cores = Objects.requireNonNull(cores, "cores");
        this.out = Objects.requireNonNull(out, "out");
        this.governor = new ThrottleGovernor(clock);
        for (int i = 0; i < latencyCounts.length; i++) {
            latencyCounts[i] = new LongAdder();
        }
    }

    /** A ticket for one admitted message; {@link #finish} it exactly once. */
    public final class Admission {
        private final long startMs = clock.millis();
        private long bytes;
        private boolean finished;

        private Admission() {
        }

        /** Counts the message's body as memory in use until it is finished. */
        public void holdBytes(long size) {
            bytes += size;
            inProcessBytes.add(size);
        }

        /** The message was answered: delivered when {@code delivered}, failed otherwise. */
        public void finish(boolean delivered) {
            if (finished) {
                throw new IllegalStateException("an admission is finished once");
            }
            finished = true;
            inProcessBytes.add(-bytes);
            long latency = Math.max(0, clock.millis() - startMs);
            latencies.record(latency);
            countLatency(latency);
            (delivered ? processed : failed).increment();
            long now = inProcess.decrementAndGet();
            // A waiter counts itself before it looks at inProcess, so either it sees this
            // decrement or this sees it.
            if (now == 0 && idleWaiters.get() > 0) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
            if (concurrencyLatched && now <= Thresholds.concurrencyLow(cores.getAsInt())) {
                sampleIfStillAtLow();
            }
        }
    }

    private void countLatency(long millis) {
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS_MS.size() && millis > LATENCY_BOUNDS_MS.get(bucket)) {
            bucket++;
        }
        latencyCounts[bucket].increment();
        latencySumMs.add(millis);
    }

    private LatencyHistogram latencyHistogram() {
        List<Long> counts = new ArrayList<>(latencyCounts.length);
        for (LongAdder count : latencyCounts) {
            counts.add(count.sum());
        }
        return new LatencyHistogram(LATENCY_BOUNDS_MS, counts, latencySumMs.sum());
    }

    /** Counts a message that arrived, whatever becomes of it. */
    public void received() {
        received.increment();
    }

    /**
     * Admits a message unless the instance is throttled; a refused message is counted as refused busy.
     *
     * @return the admission, or empty when the message must be refused as busy
     */
    public Optional<Admission> tryAdmit() {
        if (state == ThrottleState.THROTTLED) {
            refusedBusy.increment();
            return Optional.empty();
        }
        Admission admission = new Admission();
        long now = inProcess.incrementAndGet();
        if (!concurrencyLatched && now >= Thresholds.concurrencyHigh(cores.getAsInt())) {
            sampleIfStillAtHigh();
        }
        return Optional.of(admission);
    }

    /** Counts a message that failed before it was admitted (too large, say). */
    public void failedBeforeAdmission() {
        failed.increment();
    }

    public boolean isThrottled() {
        return state == ThrottleState.THROTTLED;
    }

    /** Messages accepted and not yet answered. */
    public long inProcess() {
        return inProcess.get();
    }

    /**
     * Waits until no message is in process, or until {@code timeoutMs} has passed.
     *
     * @return true when none is in process
     */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        idleWaiters.incrementAndGet();
        try {
            synchronized (idle) {
                while (inProcess.get() > 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return false;
                    }
                    idle.wait(left);
                }
            }
        } finally {
            idleWaiters.decrementAndGet();
        }
        return true;
    }

    /** Bytes of the messages in process, for the memory reading. */
    public long inProcessBytes() {
        return inProcessBytes.sum();
    }

    /*
     * Every message admitted while the count is at or over the high threshold, and every one
     * finished while it is at or under the low one, asks for a sample until the first such sample
     * has been taken; under a burst that was a queue of threads, each waiting for the lock to take
     * the same sample again and print it. Under the lock, these check first whether it is still due.
     */

    private synchronized void sampleIfStillAtHigh() {
        if (!concurrencyLatched && inProcess.get() >= Thresholds.concurrencyHigh(cores.getAsInt())) {
            sample();
        }
    }

    private synchronized void sampleIfStillAtLow() {
        if (concurrencyLatched && inProcess.get() <= Thresholds.concurrencyLow(cores.getAsInt())) {
            sample();
        }
    }

    /** Measures the instance, feeds the governor and prints what happened. */
    public synchronized void sample() {
        // The clock may step back; the governor refuses time going backwards, so hold it still.
        long timeMs = Math.max(lastSampleMs, clock.millis());
        lastSampleMs = timeMs;
        int coreCount = cores.getAsInt();
        long concurrent = inProcess.get();
        refreshStaleMemory(timeMs);
        double memoryPercent = ProtocolEvents.memoryAsPrinted(Math.max(0, Math.min(100, memory.percentInUse(inProcessBytes.sum()))));
        Optional<ThrottleTransition> change;
        try {
            change = governor.accept(new Sample(timeMs, memoryPercent, concurrent, coreCount));
        } catch (InvalidSampleException e) {
            LOG.error("sample refused by the governor: {}", e.getMessage(), e);
            return;
        }
        state = governor.state();
        concurrencyLatched = governor.causes().contains(Cause.CONCURRENCY);
        long[] recent = latencies.sorted();
        out.emit(new ProtocolEvent.Sampled(timeMs, memoryPercent, concurrent, coreCount, received.sum(),
                processed.sum(), failed.sum(), refusedBusy.sum(), LatencyWindow.percentile(recent, 50),
                LatencyWindow.percentile(recent, 99), governor.state(), governor.causes(), Optional.of(latencyHistogram())));
        change.ifPresent(t -> {
            out.emit(new ProtocolEvent.Throttle(t.timeMs(), t.previous(), t.state(), t.causes()));
            t.endedEpisode().ifPresent(e -> out.emit(
                    new ProtocolEvent.Episode(e.startMs(), e.endMs().orElseThrow(), e.causes())));
            if (t.entersThrottled()) {
                LOG.info("throttled by {}: it refuses messages as busy until it recovers", Cause.words(t.causes()));
            }
        });
    }

    /**
     * While memory throttles, the reading holds the after-collection figures of the last
     * collection, which still count the messages delivered since: an idle instance may not collect
     * again for hours, and would stay throttled all that time. So while memory throttles, and the
     * instance refuses messages anyway, the reading is refreshed at most once every
     * {@value #MEMORY_REFRESH_MS} ms.
     */
    private void refreshStaleMemory(long timeMs) {
        if (governor.causes().contains(Cause.MEMORY) && timeMs - lastRefreshMs >= MEMORY_REFRESH_MS) {
            memory.refresh();
            lastRefreshMs = timeMs;
        }
    }
}
