package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The instance's message workers ({@link MessageEndpoint#workerPool}). */
class WorkerPoolTest {

    @Test
    @Timeout(20)
    void theNextMessageGoesToTheWorkerFreedLast() throws Exception {
        ExecutorService workers = MessageEndpoint.workerPool(1);
        try {
            int busy = 3;
            CountDownLatch allStarted = new CountDownLatch(busy);
            List<CountDownLatch> release = new ArrayList<>();
            List<CompletableFuture<Thread>> ran = new ArrayList<>();
            for (int i = 0; i < busy; i++) {
                CountDownLatch go = new CountDownLatch(1);
                release.add(go);
                CompletableFuture<Thread> on = new CompletableFuture<>();
                ran.add(on);
                workers.execute(() -> {
                    allStarted.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    on.complete(Thread.currentThread());
                });
            }
            assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // They finish one after the other, each waiting for work again before the next finishes.
            Thread last = null;
            for (int i = 0; i < busy; i++) {
                release.get(i).countDown();
                last = ran.get(i).get(10, TimeUnit.SECONDS);
                awaitWaiting(last);
            }

            CompletableFuture<Thread> next = new CompletableFuture<>();
            workers.execute(() -> next.complete(Thread.currentThread()));

            // The thread that ran most recently, its stack and caches the warmest.
            assertThat(next.get(10, TimeUnit.SECONDS)).isSameAs(last);
        } finally {
            workers.shutdownNow();
        }
    }

    /** Spins (no sleep) until {@code thread} waits for its next task. */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " did not wait for work");
            }
            Thread.onSpinWait();
        }
    }
}
