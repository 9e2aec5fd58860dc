package org.sluice.fleet.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.util.WaitForAsyncUtils;

@Timeout(20)
class SteadyTrafficTest {
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static CompletableFuture<LoadGenerator.Reply> answer(int status) {
        return CompletableFuture.completedFuture(new LoadGenerator.Reply(status, OptionalLong.empty()));
    }

    @Test
    void aDestinationThatNeverAnswersHoldsNoMoreThanTheBoundAndTheRestIsDroppedNotQueued() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<LoadGenerator.Reply> stalled = new CompletableFuture<>();
        // A clock the test moves: ten seconds at 1,000/s come due at once, far over the bound of 8.
        AtomicLong now = new AtomicLong();
        SteadyTraffic traffic = new SteadyTraffic(1_000, 8, seq -> {
            asked.incrementAndGet();
            return stalled;
        }, scheduler, now::get);
        traffic.start();
        now.set(TimeUnit.SECONDS.toNanos(10));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> traffic.counts().due() >= 10_000);

        // While it runs, not after a stop has cleared a backlog: nothing waits in the console.
        TrafficCounts counts = traffic.counts();
        assertThat(asked.get()).isEqualTo(8);
        assertThat(counts.inFlight()).isEqualTo(8);
        assertThat(counts.dropped()).isEqualTo(counts.due() - 8);
        assertThat(counts.addsUp()).isTrue();
        traffic.stop();
    }

    @Test
    void everyDueMessageEndsAsExactlyOneOfOkBusyOtherDroppedOrInFlight() throws Exception {
        CompletableFuture<LoadGenerator.Reply> held = new CompletableFuture<>();
        // Every tenth message is held: after eighty messages the bound of eight is full and the rest are dropped.
        SteadyTraffic traffic = new SteadyTraffic(2_000, 8, seq -> {
            if (seq % 10 == 9) {
                return held;
            }
            return switch ((int) (seq % 3)) {
                case 0 -> answer(200);
                case 1 -> answer(503);
                default -> seq % 2 == 0 ? answer(500) : CompletableFuture.failedFuture(new java.io.IOException("refused"));
            };
        }, scheduler, System::nanoTime);
        traffic.start();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> traffic.counts().due() >= 200);
        traffic.stop();
        TrafficCounts during = traffic.counts();
        assertThat(during.inFlight()).isEqualTo(8);
        assertThat(during.dropped()).isPositive();
        assertThat(during.ok()).isPositive();
        assertThat(during.busy()).isPositive();
        assertThat(during.other()).isPositive();
        assertThat(during.ok() + during.busy() + during.other() + during.dropped() + during.inFlight()).isEqualTo(during.due());
        // The last other error is remembered, so that the console can say what it was: 500, or 0 for no answer.
        assertThat(traffic.lastOtherStatus()).isPresent();
        assertThat(traffic.lastOtherStatus().getAsInt()).isIn(0, 500);

        held.complete(new LoadGenerator.Reply(200, OptionalLong.empty()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> traffic.counts().inFlight() == 0);
        TrafficCounts after = traffic.counts();
        assertThat(after.due()).isEqualTo(during.due());
        assertThat(after.ok() + after.busy() + after.other() + after.dropped()).isEqualTo(after.due());
    }

    @Test
    void aRunWithoutOtherErrorsHasNoLastOne() throws Exception {
        SteadyTraffic traffic = new SteadyTraffic(1_000, 8, seq -> answer(seq % 2 == 0 ? 200 : 503), scheduler, System::nanoTime);
        traffic.start();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> traffic.counts().ok() >= 5 && traffic.counts().busy() >= 5);
        traffic.stop();
        assertThat(traffic.lastOtherStatus()).isEmpty();
    }

    @Test
    void stopSendsNothingMore() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        SteadyTraffic traffic = new SteadyTraffic(100, 50, seq -> {
            asked.incrementAndGet();
            return answer(200);
        }, scheduler, now::get);
        traffic.start();
        now.set(TimeUnit.MILLISECONDS.toNanos(95));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> traffic.counts().due() == 10);
        traffic.stop();
        now.set(TimeUnit.SECONDS.toNanos(60));
        CountDownLatch later = new CountDownLatch(1);
        scheduler.schedule(later::countDown, 50, TimeUnit.MILLISECONDS);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(traffic.counts().due()).isEqualTo(10);
        assertThat(asked.get()).isEqualTo(10);
    }
}
