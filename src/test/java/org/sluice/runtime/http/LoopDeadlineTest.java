package org.sluice.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A deadline set again and again on a loop: it runs once it passes, and costs no timer task each time it moves on. */
@Timeout(30)
class LoopDeadlineTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void close() {
        loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> what) throws Exception {
        return loop.submit(what).get(10, TimeUnit.SECONDS);
    }

    @Test
    void runsOnceItsTimeIsOver() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicLong ranAt = new AtomicLong();
        long setAt = System.nanoTime();
        LoopDeadline deadline = onLoop(() -> {
            LoopDeadline d = new LoopDeadline(loop, () -> {
                ranAt.set(System.nanoTime());
                ran.countDown();
            });
            d.set(Duration.ofMillis(200));
            return d;
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(ranAt.get() - setAt)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(onLoop(deadline::isSet)).isFalse();
    }

    @Test
    void movingItOnWaitsForTheNewTimeWithoutANewTask() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong ranAt = new AtomicLong();
        LoopDeadline deadline = onLoop(() -> new LoopDeadline(loop, () -> {
            ranAt.set(System.nanoTime());
            runs.incrementAndGet();
        }));
        onLoop(() -> {
            deadline.set(Duration.ofMillis(1000));
            return null;
        });
        long lastSetAt = 0;
        for (int i = 0; i < 40; i++) {
            Thread.sleep(5);
            lastSetAt = System.nanoTime();
            onLoop(() -> {
                deadline.set(Duration.ofMillis(1000));
                return null;
            });
        }
        // A deadline moved on forty times, and only ever later: the one task that waits for it is enough.
        assertThat(onLoop(deadline::tasksScheduled)).isEqualTo(1);

        Thread.sleep(2500);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(Duration.ofNanos(ranAt.get() - lastSetAt)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void anEarlierTimeIsKept() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        long setAt = System.nanoTime();
        onLoop(() -> {
            LoopDeadline d = new LoopDeadline(loop, ran::countDown);
            d.set(Duration.ofSeconds(60));
            d.set(Duration.ofMillis(100));
            return d;
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - setAt)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClearedDeadlineDoesNotRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        onLoop(() -> {
            LoopDeadline d = new LoopDeadline(loop, runs::incrementAndGet);
            d.set(Duration.ofMillis(100));
            d.clear();
            return d;
        });
        LoopDeadline cancelled = onLoop(() -> {
            LoopDeadline d = new LoopDeadline(loop, runs::incrementAndGet);
            d.set(Duration.ofMillis(100));
            d.cancel();
            return d;
        });

        Thread.sleep(500);
        assertThat(runs.get()).isZero();
        assertThat(onLoop(cancelled::waiting)).isFalse();
    }

    @Test
    void aDeadlineSetAgainAfterItWasClearedRunsAtItsNewTime() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicLong ranAt = new AtomicLong();
        LoopDeadline deadline = onLoop(() -> {
            LoopDeadline d = new LoopDeadline(loop, () -> {
                ranAt.set(System.nanoTime());
                ran.countDown();
            });
            d.set(Duration.ofMillis(100));
            d.clear();
            return d;
        });
        Thread.sleep(50);
        long setAgainAt = System.nanoTime();
        onLoop(() -> {
            deadline.set(Duration.ofMillis(300));
            return null;
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(ranAt.get() - setAgainAt)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
