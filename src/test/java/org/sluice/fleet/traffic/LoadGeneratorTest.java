package org.sluice.fleet.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class LoadGeneratorTest {
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private LoadSummary run(double rate, int concurrency, Duration duration, boolean retry, LoadGenerator.Sender sender)
            throws Exception {
        return new LoadGenerator(rate, concurrency, duration, retry, sender, scheduler, System::nanoTime)
                .start().get(15, TimeUnit.SECONDS);
    }

    @Test
    void stopEndsAnOpenEndedRunOnceTheMessagesInFlightAreAnswered() throws Exception {
        java.util.concurrent.CountDownLatch twenty = new java.util.concurrent.CountDownLatch(20);
        CompletableFuture<LoadGenerator.Reply> held = new CompletableFuture<>();
        LoadGenerator generator = new LoadGenerator(1_000, 4, Duration.ofHours(1), false, seq -> {
            twenty.countDown();
            // The twentieth message and later ones stay unanswered until the test lets them go.
            return seq < 19 ? CompletableFuture.completedFuture(new LoadGenerator.Reply(200, OptionalLong.empty())) : held;
        }, scheduler, System::nanoTime);
        CompletableFuture<LoadSummary> result = generator.start();
        assertThat(twenty.await(10, TimeUnit.SECONDS)).isTrue();
        generator.stop();
        assertThat(result).isNotDone();
        LoadSummary during = generator.progress();
        assertThat(during.ok()).isEqualTo(19);
        held.complete(new LoadGenerator.Reply(503, OptionalLong.of(1)));
        LoadSummary summary = result.get(10, TimeUnit.SECONDS);
        assertThat(summary.sent()).isBetween(20L, 23L);
        assertThat(summary.ok() + summary.busy()).isEqualTo(summary.sent());
        assertThat(summary.busy()).isPositive();
    }

    @Test
    void sendsOneMessagePerDueTimeNumberedFromZero() throws Exception {
        ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
        LoadSummary summary = run(2_000, 16, Duration.ofMillis(50), false, seq -> {
            seen.put(seq, true);
            return CompletableFuture.completedFuture(new LoadGenerator.Reply(200, OptionalLong.empty()));
        });
        assertThat(summary.sent()).isEqualTo(100);
        assertThat(summary.ok()).isEqualTo(100);
        assertThat(seen.keySet()).hasSize(100).allSatisfy(seq -> assertThat(seq).isBetween(0L, 99L));
        assertThat(summary.p50Nanos()).isPresent();
    }

    @Test
    void neverHasMoreInFlightThanTheConcurrency() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ScheduledExecutorService answers = Executors.newScheduledThreadPool(4);
        try {
            LoadSummary summary = run(5_000, 3, Duration.ofMillis(20), false, seq -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                CompletableFuture<LoadGenerator.Reply> reply = new CompletableFuture<>();
                answers.schedule(() -> {
                    inFlight.decrementAndGet();
                    reply.complete(new LoadGenerator.Reply(200, OptionalLong.empty()));
                }, 2, TimeUnit.MILLISECONDS);
                return reply;
            });
            assertThat(summary.sent()).isEqualTo(100);
            assertThat(summary.ok()).isEqualTo(100);
            assertThat(most.get()).isEqualTo(3);
        } finally {
            answers.shutdownNow();
        }
    }

    @Test
    void failuresAndThrowingSendersAreErrorsWithTheFirstOneDescribed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoadSummary summary = run(1_000, 2, Duration.ofMillis(4), false, seq -> {
            if (calls.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new CompletionException(new ConnectException("Connection refused")));
            }
            throw new IllegalStateException("cannot send");
        });
        assertThat(summary.sent()).isEqualTo(4);
        assertThat(summary.errors()).isEqualTo(4);
        assertThat(summary.firstError()).contains("ConnectException: Connection refused");
        assertThat(summary.p50Nanos()).isEmpty();
    }

    @Test
    void aConnectionThatCannotBeMadeIsSaidSoEvenWhenTheClientGivesNoMessage() {
        // The JDK's client fails a connection nothing listens for with a ConnectException of no message.
        assertThat(LoadGenerator.describe(new CompletionException(new ConnectException())))
                .isEqualTo("ConnectException: no connection could be made (nothing listens there, or it cannot be reached)");
        assertThat(LoadGenerator.describe(new java.net.http.HttpTimeoutException("request timed out")))
                .isEqualTo("HttpTimeoutException: request timed out");
    }

    @Test
    void aRetryAfterTooLongOrTooManyRefusalsLeaveTheMessageBusy() throws Exception {
        LoadSummary tooLong = run(1_000, 2, Duration.ofMillis(2), true, seq -> CompletableFuture.completedFuture(
                new LoadGenerator.Reply(503, OptionalLong.of(LoadGenerator.MAX_RETRY_AFTER_SECONDS + 1))));
        assertThat(tooLong.busy()).isEqualTo(2);
        assertThat(tooLong.retries()).isZero();

        LoadSummary alwaysBusy = run(1_000, 2, Duration.ofMillis(1), true, seq -> CompletableFuture.completedFuture(
                new LoadGenerator.Reply(503, OptionalLong.of(0))));
        assertThat(alwaysBusy.busy()).isEqualTo(1);
        assertThat(alwaysBusy.retries()).isEqualTo(LoadGenerator.MAX_RETRIES);
    }

    @Test
    void theNumberOfMessagesIsTheNumberOfDueTimesInTheDuration() {
        assertThat(LoadGenerator.messagesFor(200, Duration.ofMillis(500))).isEqualTo(100);
        assertThat(LoadGenerator.messagesFor(3, Duration.ofSeconds(1))).isEqualTo(3);
        assertThat(LoadGenerator.messagesFor(0.5, Duration.ofSeconds(3))).isEqualTo(2);
        assertThat(LoadGenerator.messagesFor(10, Duration.ofMillis(1))).isEqualTo(1);
        assertThatThrownBy(() -> new LoadGenerator(0, 1, Duration.ofSeconds(1), false, seq -> null, scheduler,
                System::nanoTime)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryAfterIsReadAsSecondsOnly() {
        assertThat(HttpSender.retryAfter("1")).hasValue(1);
        assertThat(HttpSender.retryAfter(" 12 ")).hasValue(12);
        assertThat(HttpSender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEmpty();
        assertThat(HttpSender.retryAfter("-1")).isEmpty();
        assertThat(HttpSender.retryAfter(null)).isEmpty();
    }
}
