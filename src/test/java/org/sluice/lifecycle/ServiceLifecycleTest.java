package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.lifecycle.Operation.*;
import static org.sluice.lifecycle.ServiceState.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ServiceLifecycleTest {
    private final Lifecycle rules = Lifecycle.standard();

    @Test
    void stopRunsThroughStoppingToStopped() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, ACTIVE);

        Transition stop = service.begin(STOP);
        assertThat(service.state()).isEqualTo(STOPPING);
        assertThat(service.running()).contains(stop);
        assertThat(service.allowed()).isEmpty();

        assertThat(service.succeed(stop)).contains(STOPPED);
        assertThat(service.state()).isEqualTo(STOPPED);
        assertThat(service.running()).isEmpty();
        assertThat(service.allowed()).contains(START, RESTART, DELETE, BACKUP).doesNotContain(STOP, RESUME);
    }

    @Test
    void aFailedStartLandsInStartFailedFromWhichStartIsAllowedAgain() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, STOPPED);
        Transition start = service.begin(START);
        assertThat(service.fail(start)).isEqualTo(START_FAILED);
        assertThat(service.allowed()).contains(START, STOP, RESTART, DELETE, UPDATE_CONFIGURATION);
    }

    @Test
    void aRefusedOperationChangesNothing() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, STOPPED);
        assertThatThrownBy(() -> service.begin(RESUME))
                .isInstanceOf(OperationNotAllowedException.class)
                .hasMessage("Operation not allowed");
        assertThat(service.state()).isEqualTo(STOPPED);
        assertThat(service.running()).isEmpty();
        assertThat(service.begin(START).from()).contains(STOPPED);
    }

    @Test
    void noOtherOperationIsAcceptedWhileOneRuns() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, ACTIVE);
        Transition backup = service.begin(BACKUP);
        for (Operation operation : Operation.values()) {
            OperationNotAllowedException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> service.begin(operation), OperationNotAllowedException.class);
            assertThat(refused).as(operation.chartName()).isNotNull();
            assertThat(refused.state()).isEqualTo(BACKING_UP);
        }
        assertThat(service.succeed(backup)).contains(ACTIVE);
    }

    @Test
    void backupReturnsToTheStateItBeganInEitherWay() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, SUSPENDED);
        assertThat(service.succeed(service.begin(BACKUP))).contains(SUSPENDED);
        assertThat(service.fail(service.begin(BACKUP))).isEqualTo(SUSPENDED);
    }

    @Test
    void deleteRemovesTheServiceOnSuccessAndLeavesItOnFailure() {
        ServiceLifecycle kept = ServiceLifecycle.resting(rules, STOPPED);
        assertThat(kept.fail(kept.begin(DELETE))).isEqualTo(STOPPED);
        assertThat(kept.isRemoved()).isFalse();

        ServiceLifecycle gone = ServiceLifecycle.resting(rules, STOPPED);
        assertThat(gone.succeed(gone.begin(DELETE))).isEmpty();
        assertThat(gone.isRemoved()).isTrue();
        assertThat(gone.allowed()).isEmpty();
        assertThatThrownBy(() -> gone.begin(START)).isInstanceOf(OperationNotAllowedException.class);
    }

    @Test
    void enableReturnsToTheStateBeforeDisable() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, SUSPENDED);
        assertThat(service.succeed(service.begin(DISABLE))).contains(DISABLED);
        assertThat(service.allowed()).containsExactlyInAnyOrder(DELETE, ENABLE);
        assertThat(service.succeed(service.begin(ENABLE))).contains(SUSPENDED);
    }

    @Test
    void enableOfAServiceDisabledBeforeItWasLoadedLandsInActive() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, DISABLED);
        assertThat(service.succeed(service.begin(ENABLE))).contains(ACTIVE);
    }

    @Test
    void createdAndRestoredServicesShowTheirTransitionalStateUntilItEnds() {
        ServiceLifecycle created = ServiceLifecycle.creating(rules);
        assertThat(created.state()).isEqualTo(CREATING);
        assertThat(created.allowed()).isEmpty();
        assertThat(created.succeed(created.running().orElseThrow())).contains(ACTIVE);

        ServiceLifecycle restored = ServiceLifecycle.restoring(rules);
        assertThat(restored.state()).isEqualTo(RESTORING);
        assertThat(restored.succeed(restored.running().orElseThrow())).contains(SUSPENDED);

        ServiceLifecycle failed = ServiceLifecycle.restoring(rules);
        assertThat(failed.fail(failed.running().orElseThrow())).isEqualTo(RESTORE_FAILED);
    }

    @Test
    void endingATransitionThatIsNotRunningIsAnError() {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, ACTIVE);
        Transition stop = service.begin(STOP);
        service.succeed(stop);
        assertThatThrownBy(() -> service.succeed(stop)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> service.fail(stop)).isInstanceOf(IllegalStateException.class);
        assertThat(service.state()).isEqualTo(STOPPED);
    }

    @Test
    void aRestingServiceCannotBeMadeInATransitionalState() {
        assertThatThrownBy(() -> ServiceLifecycle.resting(rules, STOPPING)).isInstanceOf(IllegalArgumentException.class);
    }

    @RepeatedTest(20)
    void ofManyConcurrentBeginsExactlyOneWins() throws Exception {
        ServiceLifecycle service = ServiceLifecycle.resting(rules, ACTIVE);
        Operation[] contenders = {STOP, RESTART, SUSPEND, DELETE, SCALE, UPDATE_CONFIGURATION, BACKUP, DISABLE};
        int threads = 32;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Transition>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Operation operation = contenders[i % contenders.length];
                Callable<Transition> attempt = () -> {
                    ready.countDown();
                    go.await();
                    try {
                        return service.begin(operation);
                    } catch (OperationNotAllowedException refused) {
                        return null;
                    }
                };
                results.add(pool.submit(attempt));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Transition> winners = new ArrayList<>();
            for (Future<Transition> result : results) {
                Transition won = result.get(10, TimeUnit.SECONDS);
                if (won != null) {
                    winners.add(won);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(service.running()).contains(winners.get(0));
            assertThat(service.state()).isEqualTo(winners.get(0).running());
        } finally {
            pool.shutdownNow();
        }
    }
}
