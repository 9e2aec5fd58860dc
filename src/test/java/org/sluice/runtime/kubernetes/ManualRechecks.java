package org.sluice.runtime.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

/** The launcher's rechecks run by the test, one period at a time, instead of by a timer. */
final class ManualRechecks implements KubernetesInstanceLauncher.Rechecks {
    private record Scheduled(Duration period, Runnable task, CompletableFuture<Void> handle) {
    }

    private final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();

    @Override
    public Future<?> every(Duration period, Runnable task) {
        CompletableFuture<Void> handle = new CompletableFuture<>();
        scheduled.add(new Scheduled(period, task, handle));
        return handle;
    }

    /** Runs each recheck not cancelled once, as when its period has passed. */
    void periodPassed() {
        for (Scheduled each : scheduled) {
            if (!each.handle().isDone()) {
                each.task().run();
            }
        }
    }

    /** The periods of the rechecks not cancelled. */
    List<Duration> active() {
        return scheduled.stream().filter(each -> !each.handle().isDone()).map(Scheduled::period).toList();
    }
}
