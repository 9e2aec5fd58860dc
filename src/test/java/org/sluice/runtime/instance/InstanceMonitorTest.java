package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

@Timeout(10)
class InstanceMonitorTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private double memory;
    private final StringWriter printed = new StringWriter();
    private final InstanceMonitor monitor = new InstanceMonitor(clock, bytes -> memory, () -> 1,
            new ProtocolWriter(new PrintWriter(printed)));

    private List<ProtocolEvent> events() throws Exception {
        List<ProtocolEvent> events = new ArrayList<>();
        for (String line : printed.toString().split("\n")) {
            if (!line.isEmpty()) {
                events.add(ProtocolEvents.parse(line));
            }
        }
        return events;
    }

    private List<ProtocolEvent> eventsExceptSamples() throws Exception {
        return events().stream().filter(e -> !(e instanceof ProtocolEvent.Sampled)).toList();
    }

    @Test
    void eachSampleCarriesTheLatenciesOfEveryMessageSinceTheStartAsAHistogram() throws Exception {
        for (long millis : new long[] {0, 3, 40, 40, 20_000}) {
            InstanceMonitor.Admission admission = monitor.tryAdmit().orElseThrow();
            now.addAndGet(millis);
            admission.finish(millis < 1_000);
        }
        monitor.sample();

        ProtocolEvent.Sampled sample = (ProtocolEvent.Sampled) events().get(0);
        LatencyHistogram latency = sample.latency().orElseThrow();
        assertThat(latency.boundsMs()).isEqualTo(InstanceMonitor.LATENCY_BOUNDS_MS);
        assertThat(latency.count()).as("failed messages count too").isEqualTo(5);
        assertThat(latency.sumMs()).isEqualTo(20_083);
        int le5 = latency.boundsMs().indexOf(5L);
        int le50 = latency.boundsMs().indexOf(50L);
        assertThat(latency.counts().get(0)).as("0 ms is in the first bucket").isEqualTo(1);
        assertThat(latency.counts().get(le5)).as("3 ms").isEqualTo(1);
        assertThat(latency.counts().get(le50)).as("40 ms twice").isEqualTo(2);
        assertThat(latency.counts().get(latency.counts().size() - 1)).as("20 s is over every bound").isEqualTo(1);
    }

    @Test
    void theInstancesLogSaysWhatThrottlesItInWordsNotInternalNames() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        var logged = org.sluice.runtime.CapturedLog.of(InstanceMonitor.class, closing);
        try {
            memory = 70;
            monitor.sample();
            assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .containsExactly("throttled by memory: it refuses messages as busy until it recovers");
        } finally {
            for (AutoCloseable close : closing) {
                close.close();
            }
        }
    }

    @Test
    void memoryThrottlesAtTheHighThresholdAndRecoversAtTheLow() throws Exception {
        memory = 65;
        monitor.sample();
        assertThat(monitor.isThrottled()).isFalse();
        now.set(1_200);
        memory = 70;
        monitor.sample();
        assertThat(monitor.isThrottled()).isTrue();
        assertThat(monitor.tryAdmit()).isEmpty();
        now.set(1_400);
        memory = 65;
        monitor.sample();
        assertThat(monitor.isThrottled()).isTrue();
        now.set(1_900);
        memory = 60;
        monitor.sample();
        assertThat(monitor.isThrottled()).isFalse();
        assertThat(eventsExceptSamples()).containsExactly(
                new ProtocolEvent.Throttle(1_200, ThrottleState.NORMAL, ThrottleState.THROTTLED, java.util.Set.of(Cause.MEMORY)),
                new ProtocolEvent.Throttle(1_900, ThrottleState.THROTTLED, ThrottleState.NORMAL, java.util.Set.of()),
                new ProtocolEvent.Episode(1_200, 1_900, java.util.Set.of(Cause.MEMORY)));
        ProtocolEvent.Sampled last = (ProtocolEvent.Sampled) events().stream()
                .filter(e -> e instanceof ProtocolEvent.Sampled).reduce((a, b) -> b).orElseThrow();
        assertThat(last.refusedBusy()).isEqualTo(1);
        assertThat(last.memoryPercent()).isEqualTo(60.0);
    }

    @Test
    void theGovernorDecidesOnTheMemoryFigureTheSamplePrintsSoThatAReplayOfThePrintedSamplesDecidesTheSame() throws Exception {
        // 69.96 % is printed as 70.0; a replay of the printed samples throttles there, so the instance must too.
        memory = 69.96;
        monitor.sample();
        assertThat(monitor.isThrottled()).isTrue();
        now.set(1_200);
        // 60.04 % is printed as 60.0, which lets a replay go back to Normal.
        memory = 60.04;
        monitor.sample();
        assertThat(monitor.isThrottled()).isFalse();
        assertThat(events().stream().filter(e -> e instanceof ProtocolEvent.Sampled).map(e -> ((ProtocolEvent.Sampled) e).memoryPercent()))
                .containsExactly(70.0, 60.0);
    }

    @Test
    void theHundredthMessageInProcessThrottlesAtOnceWithoutWaitingForTheSampler() throws Exception {
        List<InstanceMonitor.Admission> admitted = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            admitted.add(monitor.tryAdmit().orElseThrow());
        }
        assertThat(monitor.isThrottled()).isFalse();
        assertThat(printed.toString()).isEmpty();
        admitted.add(monitor.tryAdmit().orElseThrow());
        assertThat(monitor.isThrottled()).isTrue();
        assertThat(monitor.tryAdmit()).isEmpty();
        assertThat(eventsExceptSamples()).first().isEqualTo(new ProtocolEvent.Throttle(1_000, ThrottleState.NORMAL,
                ThrottleState.THROTTLED, java.util.Set.of(Cause.CONCURRENCY)));

        // Finishing messages down to the low threshold (40 per core) releases it at once too.
        now.set(1_500);
        for (int i = 0; i < 59; i++) {
            admitted.remove(0).finish(true);
        }
        assertThat(monitor.isThrottled()).isTrue();
        admitted.remove(0).finish(true);
        assertThat(monitor.inProcess()).isEqualTo(40);
        assertThat(monitor.isThrottled()).isFalse();
        assertThat(eventsExceptSamples()).last().isEqualTo(new ProtocolEvent.Episode(1_000, 1_500, java.util.Set.of(Cause.CONCURRENCY)));
        Optional<InstanceMonitor.Admission> again = monitor.tryAdmit();
        assertThat(again).isPresent();
    }

    @Test
    void samplesCountAndMeasureLatency() throws Exception {
        monitor.received();
        InstanceMonitor.Admission a = monitor.tryAdmit().orElseThrow();
        a.holdBytes(1234);
        assertThat(monitor.inProcessBytes()).isEqualTo(1234);
        now.addAndGet(30);
        a.finish(true);
        monitor.received();
        InstanceMonitor.Admission b = monitor.tryAdmit().orElseThrow();
        now.addAndGet(10);
        b.finish(false);
        monitor.sample();
        ProtocolEvent.Sampled s = (ProtocolEvent.Sampled) events().get(0);
        List<Long> counts = new ArrayList<>(java.util.Collections.nCopies(InstanceMonitor.LATENCY_BOUNDS_MS.size() + 1, 0L));
        counts.set(InstanceMonitor.LATENCY_BOUNDS_MS.indexOf(10L), 1L);
        counts.set(InstanceMonitor.LATENCY_BOUNDS_MS.indexOf(50L), 1L);
        assertThat(s).isEqualTo(new ProtocolEvent.Sampled(1_040, 0, 0, 1, 2, 1, 1, 0, 10, 30,
                ThrottleState.NORMAL, java.util.Set.of(), Optional.of(new LatencyHistogram(InstanceMonitor.LATENCY_BOUNDS_MS, counts, 40))));
        assertThat(monitor.inProcessBytes()).isZero();
    }

    @Test
    void countsFromManyThreadsAtOnceAddUpExactly() throws Exception {
        int threads = 4;
        int each = 2_000;
        InstanceMonitor monitor = new InstanceMonitor(clock, bytes -> memory, () -> 64,
                new ProtocolWriter(new PrintWriter(printed)));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        monitor.received();
                        InstanceMonitor.Admission a = monitor.tryAdmit().orElseThrow();
                        a.holdBytes(100);
                        a.finish(i % 2 == 0);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(monitor.inProcess()).isZero();
        assertThat(monitor.inProcessBytes()).isZero();
        monitor.sample();
        ProtocolEvent.Sampled s = (ProtocolEvent.Sampled) events().get(0);
        assertThat(s.received()).isEqualTo(threads * each);
        assertThat(s.processed()).isEqualTo(threads * each / 2);
        assertThat(s.failed()).isEqualTo(threads * each / 2);
        assertThat(s.refusedBusy()).isZero();
        assertThat(s.concurrent()).isZero();
    }

    @Test
    void refusalsWhileThrottledAreCountedAndBytesHeldUntilFinished() throws Exception {
        InstanceMonitor.Admission held = monitor.tryAdmit().orElseThrow();
        held.holdBytes(500);
        held.holdBytes(24);
        assertThat(monitor.inProcessBytes()).isEqualTo(524);
        memory = 70;
        monitor.sample();
        for (int i = 0; i < 3; i++) {
            monitor.received();
            assertThat(monitor.tryAdmit()).isEmpty();
        }
        monitor.failedBeforeAdmission();
        held.finish(false);
        assertThat(monitor.inProcessBytes()).isZero();
        assertThatThrownBy(() -> held.finish(true)).isInstanceOf(IllegalStateException.class);
        monitor.sample();
        ProtocolEvent.Sampled last = (ProtocolEvent.Sampled) events().stream()
                .filter(e -> e instanceof ProtocolEvent.Sampled).reduce((a, b) -> b).orElseThrow();
        assertThat(last.received()).isEqualTo(3);
        assertThat(last.refusedBusy()).isEqualTo(3);
        assertThat(last.failed()).isEqualTo(2);
        assertThat(last.processed()).isZero();
    }

    @Test
    void aClockThatStepsBackDoesNotBreakSampling() throws Exception {
        monitor.sample();
        now.set(500);
        monitor.sample();
        assertThat(events()).hasSize(2).allSatisfy(e -> assertThat(((ProtocolEvent.Sampled) e).timeMs()).isEqualTo(1_000));
    }

    @Test
    void awaitIdleReturnsWhenTheLastMessageFinishes() throws Exception {
        assertThat(monitor.awaitIdle(0)).isTrue();
        InstanceMonitor.Admission a = monitor.tryAdmit().orElseThrow();
        assertThat(monitor.awaitIdle(1)).isFalse();
        a.finish(true);
        assertThat(monitor.awaitIdle(1)).isTrue();
    }

    @Test
    void aMessageAdmittedWhileTheThresholdSampleIsBeingTakenDoesNotSampleAgain() throws Exception {
        CountDownLatch measuring = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        MemoryGauge slow = bytes -> {
            measuring.countDown();
            try {
                measured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 40;
        };
        InstanceMonitor monitor = new InstanceMonitor(clock, slow, () -> 1, new ProtocolWriter(new PrintWriter(printed)));
        for (int i = 0; i < 99; i++) {
            monitor.tryAdmit().orElseThrow();
        }
        // The 100th message samples; while that sample measures memory, a 101st is admitted.
        Thread hundredth = new Thread(() -> monitor.tryAdmit().orElseThrow());
        hundredth.start();
        assertThat(measuring.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<InstanceMonitor.Admission>> next = new CompletableFuture<>();
        Thread hundredAndFirst = new Thread(() -> next.complete(monitor.tryAdmit()));
        hundredAndFirst.start();
        while (hundredAndFirst.getState() != Thread.State.BLOCKED) {
            Thread.onSpinWait();
        }
        measured.countDown();
        hundredth.join();
        hundredAndFirst.join();

        assertThat(next.get()).isPresent();
        assertThat(monitor.isThrottled()).isTrue();
        assertThat(events().stream().filter(e -> e instanceof ProtocolEvent.Sampled)).hasSize(1);
        assertThat(eventsExceptSamples()).containsExactly(new ProtocolEvent.Throttle(1_000, ThrottleState.NORMAL,
                ThrottleState.THROTTLED, java.util.Set.of(Cause.CONCURRENCY)));
    }

    @Test
    void aThreadWaitingForIdleIsWokenByTheLastMessageToFinish() throws Exception {
        InstanceMonitor.Admission first = monitor.tryAdmit().orElseThrow();
        InstanceMonitor.Admission last = monitor.tryAdmit().orElseThrow();
        CompletableFuture<Boolean> idle = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                // Far longer than the test may take: only a wake-up ends this wait in time.
                idle.complete(monitor.awaitIdle(60_000));
            } catch (InterruptedException e) {
                idle.completeExceptionally(e);
            }
        });
        waiter.start();
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        first.finish(true);
        assertThat(idle).isNotDone();
        last.finish(true);
        assertThat(idle.get()).isTrue();
    }

    /**
     * A heap whose reading, like the after-collection figures of a real one, stays what the last
     * collection saw until a refresh collects again.
     */
    private static final class StaleHeap implements MemoryGauge {
        double live;
        double atLastCollection;
        int refreshes;

        StaleHeap(double percent) {
            live = percent;
            atLastCollection = percent;
        }

        @Override
        public double percentInUse(long inProcessBytes) {
            return atLastCollection;
        }

        @Override
        public void refresh() {
            refreshes++;
            atLastCollection = live;
        }
    }

    @Test
    void anInstanceThrottledOnMemoryRefreshesAStaleReadingSoItRecoversOnceMessagesAreDelivered() throws Exception {
        StaleHeap heap = new StaleHeap(80);
        InstanceMonitor monitor = new InstanceMonitor(clock, heap, () -> 1, new ProtocolWriter(new PrintWriter(printed)));
        InstanceMonitor.Admission held = monitor.tryAdmit().orElseThrow();
        monitor.sample();
        assertThat(monitor.isThrottled()).isTrue();

        // The message is delivered: its memory is garbage now, but no collection has run to see it.
        heap.live = 10;
        held.finish(true);
        now.addAndGet(200);
        monitor.sample();
        assertThat(heap.refreshes).isEqualTo(1);
        assertThat(monitor.isThrottled()).isFalse();
        assertThat(eventsExceptSamples()).contains(new ProtocolEvent.Episode(1_000, 1_200, java.util.Set.of(Cause.MEMORY)));
    }

    @Test
    void aStaleReadingIsRefreshedAtMostOnceASecondAndOnlyWhileMemoryThrottles() throws Exception {
        StaleHeap heap = new StaleHeap(50);
        InstanceMonitor monitor = new InstanceMonitor(clock, heap, () -> 1, new ProtocolWriter(new PrintWriter(printed)));
        for (int i = 0; i < 10; i++) {
            monitor.sample();
            now.addAndGet(200);
        }
        assertThat(heap.refreshes).as("not throttled").isZero();

        heap.live = 75;
        heap.atLastCollection = 75;
        for (int i = 0; i < 10; i++) {
            monitor.sample();
            now.addAndGet(200);
        }
        assertThat(monitor.isThrottled()).isTrue();
        assertThat(heap.refreshes).as("while throttled for 1.8 s").isEqualTo(2);
    }
}
