package org.sluice.fleet.traffic;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Sends messages at a steady rate, open loop: message {@code i} is due at {@code start + i / rate}
 * whether or not earlier ones have been answered, and a pacer on the scheduler sends every message
 * that has come due (so a late tick catches up instead of slowing the rate). At most
 * {@code concurrency} requests are in flight; a due message waits for a free slot.
 *
 * <p>With retry on, a message refused with 503 is sent again after the {@code Retry-After} delay it
 * was given (1 s when absent or not a number of seconds), up to {@link #MAX_RETRIES} times, unless
 * the delay is over {@link #MAX_RETRY_AFTER_SECONDS}. The run ends when the duration is over and
 * every message has its final answer.
 */
public final class LoadGenerator {
    /** How often one message is sent again. */
    static final int MAX_RETRIES = 3;
    /** A longer Retry-After is not waited for; the message counts as busy. */
    static final long MAX_RETRY_AFTER_SECONDS = 30;
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;
    private static final int BUSY = 503;
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Sends message {@code seq}; the future fails when no answer came. */
    @FunctionalInterface
    public interface Sender {
        CompletableFuture<Reply> send(long seq);
    }

    /**
     * An answer.
     *
     * @param status            the HTTP status
     * @param retryAfterSeconds the {@code Retry-After} header as a number of seconds, if it was one
     */
    public record Reply(int status, OptionalLong retryAfterSeconds) {
    }

    private final double rate;
    private final int concurrency;
    private final long durationNanos;
    private final boolean retry;
    private final Sender sender;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final CompletableFuture<LoadSummary> result = new CompletableFuture<>();

    private final Object lock = new Object();
    private final Deque<Message> waiting = new ArrayDeque<>();
    private final Percentiles latencies = new Percentiles();
    private long startNanos;
    private long total;
    private long issued;
    private long finished;
    private int inFlight;
    private boolean pacingDone;
    private long ok;
    private long busy;
    private long errors;
    private long retries;
    private String firstError;
    private ScheduledFuture<?> pacer;

    private static final class Message {
        final long seq;
        int retries;

        Message(long seq) {
            this.seq = seq;
        }
    }

    /**
     * @param rate        messages per second, over 0
     * @param concurrency most requests in flight, at least 1
     * @param duration    how long new messages are sent, over 0
     * @param retry       whether a 503 is retried after its Retry-After delay
     * @param sender      sends one message
     * @param scheduler   runs the pacer and delayed retries; the caller shuts it down
     * @param nanoClock   a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public LoadGenerator(double rate, int concurrency, Duration duration, boolean retry, Sender sender,
                  ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be over 0, was " + rate);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be over 0, was " + duration);
        }
        this.rate = rate;
        this.concurrency = concurrency;
        this.durationNanos = duration.toNanos();
        this.retry = retry;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** How many messages a run sends: one for each due time within the duration. */
    static long messagesFor(double rate, Duration duration) {
        // The small subtraction keeps 0.5 s at 200/s at 100 despite rounding in the product.
        return Math.max(1, (long) Math.ceil(duration.toNanos() * rate / 1e9 - 1e-9));
    }

    /** Starts the run; the future completes with the summary when every message has its answer. */
    public CompletableFuture<LoadSummary> start() {
        long intervalNanos = (long) Math.max(1, 1e9 / rate);
        synchronized (lock) {
            if (pacer != null) {
                throw new IllegalStateException("a load run starts once");
            }
            startNanos = nanoClock.getAsLong();
            total = messagesFor(rate, Duration.ofNanos(durationNanos));
            pacer = scheduler.scheduleAtFixedRate(this::tick, 0, Math.max(MIN_TICK_NANOS, intervalNanos),
                    TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /**
     * Stops sending: no new message is sent, those waiting for a slot are dropped, and the run
     * completes once the messages in flight (and their retries) are answered.
     */
    public void stop() {
        synchronized (lock) {
            if (pacingDone) {
                return;
            }
            issued -= waiting.size();
            waiting.clear();
            total = issued;
            pacingDone = true;
            if (pacer != null) {
                pacer.cancel(false);
            }
            completeIfDone();
        }
    }

    /** The counts so far, while the run goes on. */
    public LoadSummary progress() {
        synchronized (lock) {
            return summary(issued);
        }
    }

    private LoadSummary summary(long sent) {
        OptionalLong p50 = latencies.count() == 0 ? OptionalLong.empty() : OptionalLong.of(latencies.percentile(50));
        OptionalLong p99 = latencies.count() == 0 ? OptionalLong.empty() : OptionalLong.of(latencies.percentile(99));
        return new LoadSummary(sent, ok, busy, errors, retries, p50, p99, Optional.ofNullable(firstError));
    }

    private void tick() {
        long elapsed = nanoClock.getAsLong() - startNanos;
        long due = Math.min(total, (long) Math.floor(elapsed * rate / 1e9) + 1);
        while (true) {
            Message message;
            synchronized (lock) {
                if (issued >= due) {
                    if (issued == total && !pacingDone) {
                        pacingDone = true;
                        pacer.cancel(false);
                        completeIfDone();
                    }
                    return;
                }
                message = new Message(issued++);
            }
            offer(message);
        }
    }

    /** Sends the message now if a slot is free, else queues it for the next free slot. */
    private void offer(Message message) {
        synchronized (lock) {
            if (inFlight >= concurrency) {
                waiting.addLast(message);
                return;
            }
            inFlight++;
        }
        dispatch(message);
    }

    private void dispatch(Message message) {
        long sentAt = nanoClock.getAsLong();
        CompletableFuture<Reply> reply;
        try {
            reply = sender.send(message.seq);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, failure) -> answered(message, sentAt, answer, failure));
    }

    private void answered(Message message, long sentAt, Reply answer, Throwable failure) {
        long latency = nanoClock.getAsLong() - sentAt;
        Message next;
        synchronized (lock) {
            inFlight--;
            if (failure != null) {
                fail(describe(failure));
            } else {
                latencies.add(latency);
                if (answer.status() >= 200 && answer.status() < 300) {
                    ok++;
                    finished++;
                } else if (answer.status() == BUSY) {
                    long delay = answer.retryAfterSeconds().orElse(DEFAULT_RETRY_AFTER_SECONDS);
                    if (retry && message.retries < MAX_RETRIES && delay <= MAX_RETRY_AFTER_SECONDS) {
                        message.retries++;
                        scheduler.schedule(() -> resend(message), delay, TimeUnit.SECONDS);
                    } else {
                        busy++;
                        finished++;
                    }
                } else {
                    fail("HTTP " + answer.status());
                }
            }
            next = inFlight < concurrency ? waiting.pollFirst() : null;
            if (next != null) {
                inFlight++;
            }
            completeIfDone();
        }
        if (next != null) {
            dispatch(next);
        }
    }

    private void resend(Message message) {
        synchronized (lock) {
            retries++;
        }
        offer(message);
    }

    private void fail(String description) {
        errors++;
        finished++;
        if (firstError == null) {
            firstError = description;
        }
    }

    private void completeIfDone() {
        if (pacingDone && finished == total && !result.isDone()) {
            result.complete(summary(total));
        }
    }

    /** The exception's type and the first message found along its causes. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root instanceof CompletionException && root.getCause() != null) {
            root = root.getCause();
        }
        String message = null;
        for (Throwable t = root; t != null && message == null; t = t.getCause()) {
            message = t.getMessage();
        }
        if (message == null && root instanceof java.net.ConnectException) {
            message = "no connection could be made (nothing listens there, or it cannot be reached)";
        }
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
