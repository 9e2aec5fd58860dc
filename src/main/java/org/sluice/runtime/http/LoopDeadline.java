package org.sluice.runtime.http;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.util.concurrent.EventExecutor;

/**
 * A deadline on an event loop that is set, moved and cleared for every message, without a timer
 * task each time: one task waits for the time the deadline had when the task was scheduled; if it
 * has moved on when the task runs, the task waits again for what is left, and if it was cleared,
 * the task ends. A deadline that only ever moves later (the same time from each message) thus costs
 * a task per its length, not a task per message, nor a cancellation. Used on its loop only.
 */
public final class LoopDeadline {
    /** Where the deadline's task waits: the loop's own scheduler, or one a test moves by hand. */
    @FunctionalInterface
    interface Scheduler {
        Future<?> schedule(Runnable task, long afterNanos);
    }

    private final LongSupplier clock;
    private final Scheduler scheduler;
    private final Runnable expired;
    /** The clock's time at which {@link #expired} runs, while {@link #set}. */
    private long due;
    private boolean set;
    /** The task that waits, if any, and when it runs. */
    private Future<?> task;
    private long taskDue;
    /** How many tasks it has scheduled, for tests. */
    private int scheduled;

    /** A deadline on {@code loop}, not set; {@code expired} runs on the loop once a time set passes. */
    public LoopDeadline(EventExecutor loop, Runnable expired) {
        this(System::nanoTime, (task, afterNanos) -> loop.schedule(task, afterNanos, TimeUnit.NANOSECONDS), expired);
    }

    /** A deadline whose time is {@code clock}'s and whose task waits on {@code scheduler}; for tests. */
    LoopDeadline(LongSupplier clock, Scheduler scheduler, Runnable expired) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.expired = expired;
    }

    /** Sets the deadline {@code after} from now, in place of the time it had, if any. */
    public void set(Duration after) {
        set(after.toNanos());
    }

    /** Sets the deadline {@code afterNanos} from now, in place of the time it had, if any. */
    public void set(long afterNanos) {
        due = clock.getAsLong() + afterNanos;
        set = true;
        if (task != null) {
            if (taskDue - due <= 0) {
                // The task waiting runs first: it waits on from there.
                return;
            }
            task.cancel(false);
        }
        schedule(afterNanos);
    }

    /** Clears the deadline: nothing runs, and the task waiting, if any, ends when its time comes. */
    public void clear() {
        set = false;
    }

    /** Clears the deadline and cancels the task waiting now: for a connection that closed. */
    public void cancel() {
        set = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** Whether a time is set and has not yet passed. */
    public boolean isSet() {
        return set;
    }

    /** Whether a task waits. For tests. */
    boolean waiting() {
        return task != null;
    }

    /** How many tasks it scheduled so far. For tests. */
    int tasksScheduled() {
        return scheduled;
    }

    private void schedule(long afterNanos) {
        taskDue = clock.getAsLong() + afterNanos;
        scheduled++;
        task = scheduler.schedule(this::due, afterNanos);
    }

    private void due() {
        task = null;
        if (!set) {
            return;
        }
        long left = due - clock.getAsLong();
        if (left > 0) {
            schedule(left);
            return;
        }
        set = false;
        expired.run();
    }
}
