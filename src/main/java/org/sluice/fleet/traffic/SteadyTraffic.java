package org.sluice.fleet.traffic;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Test traffic that runs until stopped: message {@code i} comes due at {@code start + i / rate},
 * and is sent at once if fewer than {@code maxInFlight} requests wait for their answers, or else
 * dropped and counted. Nothing is queued, and no latency is kept: what the traffic holds does not
 * grow with its rate or with how long it runs, however slow the destination.
 *
 * <p>Unlike {@link LoadGenerator}, which measures a service over a fixed run and so waits for a
 * free slot, this is for watching a service live: a message the service cannot take now would
 * only be late when it is finally sent, and the backlog of a slow destination grew without end.
 */
public final class SteadyTraffic {
    private static final int BUSY = 503;
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final double rate;
    private final int maxInFlight;
    private final LoadGenerator.Sender sender;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;

    private final Object lock = new Object();
    private long startNanos;
    private long due;
    private long ok;
    private long busy;
    private long other;
    private long dropped;
    /** The status of the last other error, 0 for no answer, -1 before the first. */
    private int lastOther = -1;
    private int inFlight;
    private boolean stopped;
    private ScheduledFuture<?> pacer;

    /**
     * @param rate        messages per second, over 0
     * @param maxInFlight most requests waiting for their answers, at least 1
     * @param sender      sends one message
     * @param scheduler   runs the pacer; the caller shuts it down
     * @param nanoClock   a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public SteadyTraffic(double rate, int maxInFlight, LoadGenerator.Sender sender, ScheduledExecutorService scheduler,
                         LongSupplier nanoClock) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be over 0, was " + rate);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        this.rate = rate;
        this.maxInFlight = maxInFlight;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Starts sending; the first message is due at once. */
    public void start() {
        synchronized (lock) {
            if (pacer != null) {
                throw new IllegalStateException("test traffic starts once");
            }
            startNanos = nanoClock.getAsLong();
            pacer = scheduler.scheduleAtFixedRate(this::tick, 0, Math.max(MIN_TICK_NANOS, (long) (1e9 / rate)),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Sends no more messages; the answers of those in flight are still counted as they come. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            if (pacer != null) {
                pacer.cancel(false);
            }
        }
    }

    /** The counts now; they always add up. */
    public TrafficCounts counts() {
        synchronized (lock) {
            return new TrafficCounts(due, ok, busy, other, dropped, inFlight);
        }
    }

    /** The status of the last answer counted as another error, 0 when none came at all; empty while there is none. */
    public OptionalInt lastOtherStatus() {
        synchronized (lock) {
            return lastOther < 0 ? OptionalInt.empty() : OptionalInt.of(lastOther);
        }
    }

    private void tick() {
        long elapsed = nanoClock.getAsLong() - startNanos;
        long dueNow = (long) Math.floor(elapsed * rate / 1e9) + 1;
        while (true) {
            long seq;
            synchronized (lock) {
                if (stopped || due >= dueNow) {
                    return;
                }
                seq = due++;
                if (inFlight >= maxInFlight) {
                    // Everything due in this tick beyond the bound is dropped at once.
                    dropped += dueNow - due + 1;
                    due = dueNow;
                    return;
                }
                inFlight++;
            }
            send(seq);
        }
    }

    private void send(long seq) {
        CompletableFuture<LoadGenerator.Reply> reply;
        try {
            reply = sender.send(seq);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete(this::answered);
    }

    private void answered(LoadGenerator.Reply answer, Throwable failure) {
        synchronized (lock) {
            inFlight--;
            if (failure != null) {
                other++;
                lastOther = 0;
            } else if (answer.status() >= 200 && answer.status() < 300) {
                ok++;
            } else if (answer.status() == BUSY) {
                busy++;
            } else {
                other++;
                lastOther = answer.status();
            }
        }
    }
}
