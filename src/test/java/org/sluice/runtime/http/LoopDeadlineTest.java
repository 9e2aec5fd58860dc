package org.sluice.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deadline set again and again: it runs once it passes, and costs no timer task each time it moves
 * on. Time is moved by hand here, so that what must not run is seen not to, with no waiting; one test
 * runs it on a real loop.
 */
@Timeout(30)
class LoopDeadlineTest {
    /** A clock and a scheduler the test moves: tasks run, in the order of their times, as time passes them. */
    private static final class HandClock implements LoopDeadline.Scheduler {
        private record Waiting(long due, FutureTask<Void> task) {
        }

        private long now = 1_000_000_000L;
        private final List<Waiting> waiting = new ArrayList<>();

        @Override
        public Future<?> schedule(Runnable task, long afterNanos) {
            FutureTask<Void> future = new FutureTask<>(task, null);
            waiting.add(new Waiting(now + afterNanos, future));
            return future;
        }

        long now() {
            return now;
        }

        void advance(Duration by) {
            long until = now + by.toNanos();
            while (true) {
                Waiting next = waiting.stream().filter(w -> w.due() <= until).min(Comparator.comparingLong(Waiting::due)).orElse(null);
                if (next == null) {
                    break;
                }
                waiting.remove(next);
                now = Math.max(now, next.due());
                next.task().run();
            }
            now = until;
        }
    }

    private final HandClock clock = new HandClock();
    private final AtomicInteger runs = new AtomicInteger();
    private final LoopDeadline deadline = new LoopDeadline(clock::now, clock, runs::incrementAndGet);

    @Test
    void runsOnceItsTimeIsOverAndNotBefore() {
        deadline.set(Duration.ofMillis(200));

        clock.advance(Duration.ofMillis(199));
        assertThat(runs).hasValue(0);
        assertThat(deadline.isSet()).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
        assertThat(deadline.isSet()).isFalse();
    }

    @Test
    void movingItOnWaitsForTheNewTimeWithoutANewTaskEachTime() {
        deadline.set(Duration.ofMillis(1000));
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofMillis(5));
            deadline.set(Duration.ofMillis(1000));
        }
        // Moved on forty times, and only ever later: the one task that waits for it is enough.
        assertThat(deadline.tasksScheduled()).isEqualTo(1);

        // The task's own time (1,000 ms after the first set) finds the deadline moved on: it waits for what is left.
        clock.advance(Duration.ofMillis(800));
        assertThat(runs).hasValue(0);
        assertThat(deadline.tasksScheduled()).isEqualTo(2);

        clock.advance(Duration.ofMillis(199));
        assertThat(runs).as("1,000 ms after the last set, less one").hasValue(0);
        clock.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void anEarlierTimeIsKept() {
        deadline.set(Duration.ofSeconds(60));
        deadline.set(Duration.ofMillis(100));

        clock.advance(Duration.ofMillis(100));
        assertThat(runs).hasValue(1);
        clock.advance(Duration.ofSeconds(60));
        assertThat(runs).as("the later task was cancelled").hasValue(1);
    }

    @Test
    void aClearedDeadlineDoesNotRunAndACancelledOneLeavesNoTask() {
        deadline.set(Duration.ofMillis(100));
        deadline.clear();
        clock.advance(Duration.ofSeconds(1));
        assertThat(runs).hasValue(0);
        assertThat(deadline.waiting()).as("the task ended at its time").isFalse();

        deadline.set(Duration.ofMillis(100));
        deadline.cancel();
        assertThat(deadline.waiting()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(runs).hasValue(0);
    }

    @Test
    void aDeadlineSetAgainAfterItWasClearedRunsAtItsNewTime() {
        deadline.set(Duration.ofMillis(100));
        deadline.clear();
        clock.advance(Duration.ofMillis(50));
        deadline.set(Duration.ofMillis(300));

        clock.advance(Duration.ofMillis(299));
        assertThat(runs).hasValue(0);
        clock.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void onALoopItRunsOnTheLoopOnceItsTimeIsOver() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            CountDownLatch ran = new CountDownLatch(1);
            long setAt = System.nanoTime();
            AtomicInteger onLoop = new AtomicInteger();
            loop.submit(() -> new LoopDeadline(loop, () -> {
                if (loop.inEventLoop()) {
                    onLoop.incrementAndGet();
                }
                ran.countDown();
            }).set(Duration.ofMillis(50))).get(10, TimeUnit.SECONDS);

            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(onLoop).hasValue(1);
            assertThat(Duration.ofNanos(System.nanoTime() - setAt)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        } finally {
            loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
