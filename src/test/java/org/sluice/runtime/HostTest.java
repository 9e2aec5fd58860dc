package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sluice.lifecycle.Operation.*;
import static org.sluice.lifecycle.ServiceState.*;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.store.StoredService;

@Timeout(30)
class HostTest {
    private final InMemoryJournal journal = new InMemoryJournal();
    private final FakeLauncher launcher = new FakeLauncher();
    private long now = 1_000;
    private final InstantSource clock = () -> Instant.ofEpochMilli(now);
    private Host host = newHost();

    private Host newHost() {
        return new Host(launcher, journal, clock, new Host.Settings(Duration.ofSeconds(5), Duration.ofMillis(200)));
    }

    @AfterEach
    void close() {
        host.close();
    }

    private static ServiceDefinition orders(int units) {
        return new ServiceDefinition("orders", units, 1, 256, Validation.NONE, null, null, "dir:/tmp/out");
    }

    private static OperationRecord done(Host.Accepted accepted) throws Exception {
        return accepted.completion().get(10, TimeUnit.SECONDS);
    }

    private ServiceState state(String name) {
        return host.service(name).orElseThrow().state();
    }

    /** Counts down once for each of {@code service}'s instances that becomes ready on {@code host}. */
    private static CountDownLatch readyLatch(Host host, String service, int instances) {
        CountDownLatch ready = new CountDownLatch(instances);
        host.addListener(new RecordingListener() {
            @Override
            public void instanceEvent(String name, InstanceView instance, InstanceEvent event) {
                if (name.equals(service) && event instanceof InstanceEvent.Ready) {
                    ready.countDown();
                }
            }
        });
        return ready;
    }

    private Host.Accepted activeOrders(int units) throws Exception {
        Host.Accepted created = host.create(orders(units), "alice");
        assertThat(done(created).outcome()).isEqualTo(Outcome.SUCCEEDED);
        return created;
    }

    @Test
    void createStartsOneInstancePerUnitAndLandsActive() throws Exception {
        Host.Accepted created = host.create(orders(3), "alice");
        assertThat(created.record().outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(created.record().requester()).isEqualTo("alice");

        OperationRecord ended = done(created);
        assertThat(ended.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(ended.requestId()).isEqualTo(created.record().requestId());
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(host.service("orders").orElseThrow().instances())
                .extracting(InstanceView::status).containsOnly(InstanceStatus.RUNNING).hasSize(3);
        assertThat(journal.services.get("orders").state()).isEqualTo(ACTIVE);
        assertThat(journal.operations.get(ended.requestId()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aServiceNameIsTakenOnlyOnce() throws Exception {
        activeOrders(1);
        assertThatThrownBy(() -> host.create(orders(1), "bob")).hasMessageContaining("exists already");
    }

    @Test
    void anInvalidDefinitionCreatesNothing() {
        assertThatThrownBy(() -> host.create(orders(9), "alice")).hasMessageContaining("units");
        assertThat(host.services()).isEmpty();
    }

    @Test
    void createFailsWhenAnInstanceDoesNotStartAndLeavesNoInstanceRunning() throws Exception {
        launcher.nextLaunch("orders", 1, FakeLauncher.Behaviour.FAILS_TO_START);
        OperationRecord ended = done(host.create(orders(2), "alice"));
        assertThat(ended.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("Instance 1 did not start"));
        assertThat(ended.problem()).hasValueSatisfying(p -> {
            assertThat(p.code()).isEqualTo("instance-did-not-start");
            assertThat(p.arguments()).containsEntry("instance", "1");
        });
        assertThat(state("orders")).isEqualTo(CREATE_FAILED);
        assertThat(launcher.alive("orders")).isEmpty();
    }

    @Test
    void stopThenStart() throws Exception {
        activeOrders(2);
        assertThat(done(host.perform("orders", STOP, "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders")).isEqualTo(STOPPED);
        assertThat(launcher.alive("orders")).isEmpty();
        assertThat(host.service("orders").orElseThrow().instances()).isEmpty();

        assertThat(done(host.perform("orders", START, "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(launcher.alive("orders")).hasSize(2);
    }

    @Test
    void aStopThatDoesNotFinishInTimeKillsTheInstanceAndLandsInStopFailed() throws Exception {
        launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.NEVER_STOPS);
        activeOrders(1);
        OperationRecord ended = done(host.perform("orders", STOP, "alice"));
        assertThat(ended.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("did not stop").contains("killed"));
        assertThat(state("orders")).isEqualTo(STOP_FAILED);
        assertThat(launcher.alive("orders")).isEmpty();
    }

    @Test
    void anOperationRunningWhenTheHostClosesIsLoggedBeforeCloseReturns() throws Exception {
        // Whoever closes the host closes its journal next: an operation landing after that could
        // not be written, and the log would keep it running for ever.
        host.close();
        host = new Host(launcher, journal, clock, new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(2)));
        launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.NEVER_STOPS);
        activeOrders(1);
        Host.Accepted stopping = host.perform("orders", STOP, "alice");

        host.close();

        assertThat(journal.operations.get(stopping.record().requestId()).outcome()).isNotEqualTo(Outcome.RUNNING);
    }

    @Test
    void aThrottleEpisodeIsKeptFromItsStartWithEveryCauseAndEndsWhenItsInstanceDies() throws Exception {
        activeOrders(1);
        FakeLauncher.Fake instance = launcher.alive("orders").get(0);
        java.util.function.Function<java.util.Set<org.sluice.throttle.Cause>, InstanceEvent> throttled = causes ->
                new InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(5_000,
                        causes.size() == 1 && causes.contains(org.sluice.throttle.Cause.CONCURRENCY)
                                ? org.sluice.throttle.ThrottleState.NORMAL : org.sluice.throttle.ThrottleState.THROTTLED,
                        org.sluice.throttle.ThrottleState.THROTTLED, causes, Optional.empty()));

        instance.emit(throttled.apply(java.util.Set.of(org.sluice.throttle.Cause.CONCURRENCY)));
        assertThat(journal.episodes).singleElement().satisfies(e -> {
            assertThat(e.episode().isOpen()).as("written as it starts").isTrue();
            assertThat(e.episode().startMs()).isEqualTo(5_000);
        });

        instance.emit(throttled.apply(java.util.EnumSet.of(org.sluice.throttle.Cause.CONCURRENCY, org.sluice.throttle.Cause.MEMORY)));
        assertThat(journal.episodes).singleElement().satisfies(e -> assertThat(e.episode().causes())
                .containsExactlyInAnyOrder(org.sluice.throttle.Cause.CONCURRENCY, org.sluice.throttle.Cause.MEMORY));

        instance.crash(137);
        assertThat(journal.episodes).singleElement().satisfies(e -> assertThat(e.episode().isOpen()).as("cut short").isFalse());
    }

    private static InstanceEvent throttle(long atMs, org.sluice.throttle.ThrottleState before, org.sluice.throttle.Cause... causes) {
        java.util.Set<org.sluice.throttle.Cause> set = causes.length == 0 ? java.util.Set.of() : java.util.EnumSet.of(causes[0], causes);
        return new InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(atMs, before,
                set.isEmpty() ? org.sluice.throttle.ThrottleState.NORMAL : org.sluice.throttle.ThrottleState.THROTTLED, set, Optional.empty()));
    }

    @Test
    void anEpisodeKeepsItsCauseHistoryAsItIsWrittenAndIsMarkedCutShortWhenItsInstanceStops() throws Exception {
        activeOrders(1);
        FakeLauncher.Fake instance = launcher.alive("orders").get(0);
        var normal = org.sluice.throttle.ThrottleState.NORMAL;
        var throttled = org.sluice.throttle.ThrottleState.THROTTLED;
        var memory = org.sluice.throttle.Cause.MEMORY;
        var concurrency = org.sluice.throttle.Cause.CONCURRENCY;

        instance.emit(throttle(5_000, normal, memory));
        instance.emit(throttle(6_000, throttled, memory, concurrency));
        instance.emit(throttle(7_500, throttled, concurrency));
        assertThat(journal.episodes).singleElement().satisfies(e -> assertThat(e.episode().history()).as("written at each change")
                .containsExactly(new org.sluice.throttle.CauseChange(5_000, java.util.Set.of(memory)),
                        new org.sluice.throttle.CauseChange(6_000, java.util.Set.of(memory, concurrency)),
                        new org.sluice.throttle.CauseChange(7_500, java.util.Set.of(concurrency))));

        assertThat(done(host.perform("orders", STOP, "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);

        assertThat(journal.episodes).singleElement().satisfies(e -> {
            assertThat(e.episode().isOpen()).isFalse();
            assertThat(e.episode().cutShort()).as("its instance stopped while it lasted").isTrue();
            assertThat(e.episode().history()).hasSize(3);
        });
    }

    @Test
    void anEpisodeThatEndsByBecomingNormalKeepsTheHostsHistoryAndIsNotCutShort() throws Exception {
        activeOrders(1);
        FakeLauncher.Fake instance = launcher.alive("orders").get(0);
        var memory = org.sluice.throttle.Cause.MEMORY;
        var concurrency = org.sluice.throttle.Cause.CONCURRENCY;
        instance.emit(throttle(5_000, org.sluice.throttle.ThrottleState.NORMAL, memory));
        instance.emit(throttle(6_000, org.sluice.throttle.ThrottleState.THROTTLED, memory, concurrency));

        // The instance's own report of the ended episode has its causes but not when each came.
        instance.emit(throttle(8_000, org.sluice.throttle.ThrottleState.THROTTLED));
        instance.emit(new InstanceEvent.EpisodeEnded(new org.sluice.throttle.ThrottleEpisode(5_000, OptionalLong.of(8_000),
                java.util.EnumSet.of(memory, concurrency))));

        assertThat(journal.episodes).singleElement().satisfies(e -> {
            assertThat(e.episode().endMs()).hasValue(8_000);
            assertThat(e.episode().cutShort()).isFalse();
            assertThat(e.episode().history()).extracting(org.sluice.throttle.CauseChange::atMs).containsExactly(5_000L, 6_000L);
        });
    }

    @Test
    void anEpisodeLeftOpenByAHostThatDiedIsEndedWhenTheHostStartsAgain() throws Exception {
        journal.saveEpisode(new org.sluice.throttle.InstanceEpisode("orders", 0,
                new org.sluice.throttle.ThrottleEpisode(500, java.util.OptionalLong.empty(), java.util.Set.of(org.sluice.throttle.Cause.MEMORY))));
        now = 9_000;
        Host restarted = new Host(new FakeLauncher(), journal, clock, Host.Settings.defaults());
        try {
            restarted.load();
            assertThat(journal.episodes).singleElement().satisfies(e -> {
                assertThat(e.episode().endMs()).hasValue(9_000);
                assertThat(e.episode().cutShort()).as("the host died while it lasted").isTrue();
            });
        } finally {
            restarted.close();
        }
    }

    @Test
    void entriesThatEndedMoreThanTheRetentionAgoArePurgedAndRunningOnesStay() throws Exception {
        long day = Duration.ofDays(1).toMillis();
        now = 400 * day;
        journal.operationStarted(new OperationRecord("old", "orders", STOP, "alice", 10 * day, OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
        journal.operationEnded(new OperationRecord("old", "orders", STOP, "alice", 10 * day, OptionalLong.of(10 * day), Outcome.SUCCEEDED, Optional.empty()));
        journal.operationStarted(new OperationRecord("stuck", "orders", START, "alice", 10 * day, OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
        journal.operationStarted(new OperationRecord("recent", "orders", START, "alice", 300 * day, OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
        journal.operationEnded(new OperationRecord("recent", "orders", START, "alice", 300 * day, OptionalLong.of(300 * day), Outcome.SUCCEEDED, Optional.empty()));

        assertThat(host.purgeExpired()).isEqualTo(1);

        assertThat(journal.operations).containsOnlyKeys("stuck", "recent");
    }

    @Test
    void aStartThatCannotLaunchLandsInStartFailedAndStartIsAllowedAgain() throws Exception {
        activeOrders(1);
        done(host.perform("orders", STOP, "alice"));
        launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.CANNOT_LAUNCH);
        OperationRecord failed = done(host.perform("orders", START, "alice"));
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("could not be launched"));
        assertThat(state("orders")).isEqualTo(START_FAILED);
        assertThat(done(host.perform("orders", START, "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders")).isEqualTo(ACTIVE);
    }

    @Test
    void aRefusedOperationChangesNothingAndLogsNothing() throws Exception {
        activeOrders(1);
        done(host.perform("orders", STOP, "alice"));
        int logged = journal.operations.size();
        assertThatThrownBy(() -> host.perform("orders", RESUME, "alice"))
                .isInstanceOf(OperationNotAllowedException.class)
                .hasMessage("Operation not allowed");
        assertThat(state("orders")).isEqualTo(STOPPED);
        assertThat(journal.operations).hasSize(logged);
    }

    @Test
    void unknownServicesAreNamed() {
        assertThatThrownBy(() -> host.perform("nope", START, "alice"))
                .isInstanceOf(NoSuchServiceException.class).hasMessageContaining("nope");
    }

    @Test
    void suspendAndResumeReachEveryInstance() throws Exception {
        activeOrders(2);
        done(host.perform("orders", SUSPEND, "alice"));
        assertThat(state("orders")).isEqualTo(SUSPENDED);
        assertThat(host.route("orders")).isEqualTo(new Host.Route.NotActive(SUSPENDED));
        assertThat(launcher.alive("orders")).allSatisfy(f -> assertThat(f.suspended).isTrue());

        done(host.perform("orders", RESUME, "alice"));
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(launcher.alive("orders")).allSatisfy(f -> assertThat(f.suspended).isFalse());
    }

    @Test
    void resumeSucceedsOnlyWhenEveryInstanceSaysItTakesMessagesAgain() throws Exception {
        activeOrders(2);
        done(host.perform("orders", SUSPEND, "alice"));
        launcher.alive("orders").get(1).neverConfirm();

        OperationRecord ended = done(host.perform("orders", RESUME, "alice"));

        assertThat(ended.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e)
                .isEqualTo("Instance 1 did not confirm that it takes messages again within 200 ms"));
        assertThat(ended.problem()).contains(org.sluice.lifecycle.Problem.of("instance-not-confirmed", "instance", 1,
                "action", "resume", "ms", 200));
        assertThat(state("orders")).isEqualTo(RESUME_FAILED);
    }

    @Test
    void suspendFailsWhenAnInstanceHasDied() throws Exception {
        activeOrders(2);
        launcher.alive("orders").get(1).crash(137);
        OperationRecord ended = done(host.perform("orders", SUSPEND, "alice"));
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("Instance 1 is not running"));
        assertThat(ended.problem()).contains(org.sluice.lifecycle.Problem.of("instances-not-running", "instances", "1"));
        assertThat(state("orders")).isEqualTo(SUSPEND_FAILED);
    }

    @Test
    void anInstanceThatDiesOnItsOwnIsReportedFailedThenRestarting() throws Exception {
        activeOrders(1);
        java.util.concurrent.BlockingQueue<InstanceStatus> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        host.addListener(new RecordingListener() {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (event instanceof InstanceEvent.Exited || event instanceof InstanceEvent.Restarting) {
                    seen.add(instance.status());
                }
            }
        });
        launcher.alive("orders").get(0).crash(137);
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(InstanceStatus.FAILED);
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(InstanceStatus.RESTARTING);
    }

    @Test
    void routesRoundRobinOverRunningInstances() throws Exception {
        activeOrders(3);
        List<Integer> order = List.of(
                ((Host.Route.To) host.route("orders")).instance(),
                ((Host.Route.To) host.route("orders")).instance(),
                ((Host.Route.To) host.route("orders")).instance(),
                ((Host.Route.To) host.route("orders")).instance());
        assertThat(order).containsExactly(0, 1, 2, 0);
        assertThat(host.route("nope")).isInstanceOf(Host.Route.Unknown.class);
    }

    @Test
    void scaleUpAndDown() throws Exception {
        activeOrders(1);
        done(host.scale("orders", 4, "alice"));
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(host.service("orders").orElseThrow().definition().units()).isEqualTo(4);
        assertThat(launcher.alive("orders")).hasSize(4);

        done(host.scale("orders", 2, "alice"));
        assertThat(host.service("orders").orElseThrow().instances()).extracting(InstanceView::index).containsExactly(0, 1);
        assertThat(launcher.alive("orders")).hasSize(2);
        assertThat(journal.services.get("orders").definition().units()).isEqualTo(2);
        assertThatThrownBy(() -> host.scale("orders", 9, "alice")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aScaleWhoseNewInstanceFailsLandsInScaleFailedWithTheOldUnits() throws Exception {
        activeOrders(1);
        launcher.nextLaunch("orders", 1, FakeLauncher.Behaviour.FAILS_TO_START);
        done(host.scale("orders", 2, "alice"));
        assertThat(state("orders")).isEqualTo(SCALE_FAILED);
        assertThat(host.service("orders").orElseThrow().definition().units()).isEqualTo(1);
        assertThat(launcher.alive("orders")).hasSize(1);
    }

    @Test
    void anInvalidConfigurationLandsInConfigUpdateFailedAndThePreviousStaysInForce() throws Exception {
        activeOrders(1);
        ServiceDefinition broken = new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "ftp://nope");
        OperationRecord ended = done(host.updateConfiguration("orders", broken, "alice"));
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("does not validate").contains("destination"));
        assertThat(state("orders")).isEqualTo(CONFIG_UPDATE_FAILED);
        assertThat(host.service("orders").orElseThrow().definition()).isEqualTo(orders(1));
        assertThat(launcher.alive("orders")).hasSize(1);
    }

    @Test
    void aConfigurationThatDoesNotStartIsRolledBack() throws Exception {
        activeOrders(1);
        ServiceDefinition next = new ServiceDefinition("orders", 1, 1, 512, Validation.XML, null, null, "dir:/tmp/out2");
        launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        OperationRecord ended = done(host.updateConfiguration("orders", next, "alice"));
        assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("previous configuration is in force again"));
        assertThat(state("orders")).isEqualTo(CONFIG_UPDATE_FAILED);
        assertThat(host.service("orders").orElseThrow().definition()).isEqualTo(orders(1));
        assertThat(launcher.alive("orders")).singleElement().satisfies(f -> assertThat(f.definition).isEqualTo(orders(1)));
    }

    @Test
    void aGoodConfigurationIsAppliedAndKept() throws Exception {
        activeOrders(1);
        ServiceDefinition next = new ServiceDefinition("orders", 2, 1, 512, Validation.JSON, null, null, "dir:/tmp/out2");
        assertThat(done(host.updateConfiguration("orders", next, "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(journal.services.get("orders").definition()).isEqualTo(next);
        assertThat(launcher.alive("orders")).hasSize(2).allSatisfy(f -> assertThat(f.definition).isEqualTo(next));
    }

    @Test
    void backupKeepsTheStateAndRestoreMakesASuspendedCopy() throws Exception {
        activeOrders(2);
        done(host.perform("orders", SUSPEND, "alice"));
        assertThat(done(host.perform("orders", BACKUP, "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders")).isEqualTo(SUSPENDED);
        String backupId = host.backups("orders").get(0).id();
        assertThat(host.backups("orders").get(0).definition()).isEqualTo(orders(2));

        OperationRecord restored = done(host.restore(backupId, "orders-copy", "bob"));
        assertThat(restored.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders-copy")).isEqualTo(SUSPENDED);
        assertThat(launcher.alive("orders-copy")).hasSize(2).allSatisfy(f -> assertThat(f.suspended).isTrue());
        assertThat(host.service("orders-copy").orElseThrow().definition().units()).isEqualTo(2);

        done(host.perform("orders-copy", RESUME, "bob"));
        assertThat(state("orders-copy")).isEqualTo(ACTIVE);
    }

    @Test
    void deleteRemovesTheServiceAndItsInstances() throws Exception {
        activeOrders(2);
        List<String> removed = new CopyOnWriteArrayList<>();
        CountDownLatch gone = new CountDownLatch(1);
        host.addListener(new RecordingListener() {
            @Override
            public void serviceRemoved(String name) {
                removed.add(name);
                gone.countDown();
            }
        });
        done(host.perform("orders", DELETE, "alice"));
        assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(removed).containsExactly("orders");
        assertThat(host.service("orders")).isEmpty();
        assertThat(journal.services).doesNotContainKey("orders");
        assertThat(launcher.alive("orders")).isEmpty();
    }

    @Test
    void disableAndEnableTheAccountReturnEachServiceToWhereItWas() throws Exception {
        activeOrders(1);
        done(host.create(new ServiceDefinition("billing", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/b"), "alice"));
        done(host.perform("billing", SUSPEND, "alice"));

        for (Host.Accepted accepted : host.disableAccount("admin")) {
            done(accepted);
        }
        assertThat(state("orders")).isEqualTo(DISABLED);
        assertThat(state("billing")).isEqualTo(DISABLED);
        assertThat(launcher.alive("orders")).isEmpty();

        for (Host.Accepted accepted : host.enableAccount("admin")) {
            done(accepted);
        }
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(state("billing")).isEqualTo(SUSPENDED);
        assertThat(launcher.alive("billing")).allSatisfy(f -> assertThat(f.suspended).isTrue());
    }

    @Test
    void anInjectedFaultFailsTheNextRunOfThatOperationOnly() throws Exception {
        activeOrders(1);
        host.injectFault("orders", RESTART);
        OperationRecord failed = done(host.perform("orders", RESTART, "drill"));
        assertThat(failed.error()).contains(Host.INJECTED_FAULT);
        assertThat(state("orders")).isEqualTo(RESTART_FAILED);
        assertThat(done(host.perform("orders", RESTART, "drill")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(state("orders")).isEqualTo(ACTIVE);
    }

    /** Brings orders to {@code state} through real operations. */
    private void bringTo(ServiceState state) throws Exception {
        activeOrders(1);
        if (state == STOPPED) {
            done(host.perform("orders", STOP, "t"));
        } else if (state == SUSPENDED) {
            done(host.perform("orders", SUSPEND, "t"));
        } else if (state == DISABLED) {
            done(host.perform("orders", DISABLE, "t"));
        }
        assertThat(state("orders")).isEqualTo(state);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} from {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "START, STOPPED", "STOP, ACTIVE", "RESTART, ACTIVE", "SUSPEND, ACTIVE", "RESUME, SUSPENDED",
        "DELETE, STOPPED", "SCALE, ACTIVE", "UPDATE_CONFIGURATION, ACTIVE", "BACKUP, ACTIVE",
        "DISABLE, ACTIVE", "ENABLE, DISABLED", "SERVICE_UPDATE, ACTIVE"})
    void everyOperationsFailureLandsInItsFailureStateWithTheReasonLogged(Operation operation, ServiceState from) throws Exception {
        bringTo(from);
        host.injectFault("orders", operation);
        Host.Accepted accepted = switch (operation) {
            case SCALE -> host.scale("orders", 2, "drill");
            case UPDATE_CONFIGURATION -> host.updateConfiguration("orders", orders(1).withUnits(2), "drill");
            default -> host.perform("orders", operation, "drill");
        };
        OperationRecord ended = done(accepted);
        assertThat(ended.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ended.error()).contains(Host.INJECTED_FAULT);
        assertThat(state("orders")).isEqualTo(org.sluice.lifecycle.Lifecycle.standard().begin(from, operation).onFailure());
        assertThat(journal.operations.get(ended.requestId()).error()).contains(Host.INJECTED_FAULT);
        assertThat(journal.operations.get(ended.requestId()).problem()).contains(Host.INJECTED_PROBLEM);
        if (operation == BACKUP) {
            assertThat(host.backups("orders")).singleElement().satisfies(b -> {
                assertThat(b.succeeded()).as("a failed backup is recorded as failed").isFalse();
                assertThat(b.error()).contains(Host.INJECTED_FAULT);
            });
        }
    }

    @Test
    void aRestoreWhoseInstancesDoNotStartLandsInRestoreFailed() throws Exception {
        activeOrders(1);
        done(host.perform("orders", BACKUP, "t"));
        launcher.nextLaunch("copy", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        OperationRecord ended = done(host.restore(host.backups("orders").get(0).id(), "copy", "t"));
        assertThat(ended.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(state("copy")).isEqualTo(RESTORE_FAILED);
    }

    @Test
    void afterACrashAnInterruptedOperationLandsInItsFailureStateAndRunningServicesComeBack() throws Exception {
        activeOrders(2);
        done(host.create(new ServiceDefinition("billing", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/b"), "alice"));
        // Leave an operation running as a crash would: the journal says Stopping, never ended.
        launcher.nextLaunch("billing", 0, FakeLauncher.Behaviour.NORMAL);
        journal.operationStarted(new OperationRecord("r-1", "billing", STOP, "alice", now, OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
        journal.saveService(new StoredService(journal.services.get("billing").definition(), STOPPING, null, STOP, "r-1", ACTIVE, now));

        InMemoryJournal survived = journal;
        FakeLauncher relaunched = new FakeLauncher();
        Host restarted = new Host(relaunched, survived, clock, Host.Settings.defaults());
        CountDownLatch ordersBack = readyLatch(restarted, "orders", 2);
        try {
            restarted.open();
            assertThat(restarted.service("billing").orElseThrow().state()).isEqualTo(STOP_FAILED);
            assertThat(survived.operations.get("r-1").outcome()).isEqualTo(Outcome.INTERRUPTED);
            assertThat(survived.operations.get("r-1").error()).contains(Host.INTERRUPTED);
            assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(ACTIVE);
            assertThat(ordersBack.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(relaunched.alive("orders")).hasSize(2);
            assertThat(relaunched.alive("billing")).isEmpty();
        } finally {
            restarted.close();
        }
    }

    @Test
    void loadingLeavesTheInstancesDownUntilTheyAreRelaunchedAndAServiceStoppedInBetweenStaysDown() throws Exception {
        activeOrders(2);
        done(host.create(new ServiceDefinition("billing", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/b"), "alice"));
        FakeLauncher relaunched = new FakeLauncher();
        Host restarted = new Host(relaunched, journal, clock, Host.Settings.defaults());
        CountDownLatch billingBack = readyLatch(restarted, "billing", 1);
        try {
            restarted.load();
            assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(ACTIVE);
            assertThat(relaunched.alive("orders")).isEmpty();
            assertThat(relaunched.alive("billing")).isEmpty();

            // The operator stops orders before the instances come back: it must stay down.
            done(restarted.perform("orders", STOP, "alice"));
            restarted.relaunchInstances();
            restarted.relaunchInstances();

            assertThat(billingBack.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(relaunched.alive("billing")).hasSize(1);
            assertThat(relaunched.launched).extracting(f -> f.definition.name()).containsExactly("billing");
            assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(STOPPED);
        } finally {
            restarted.close();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"SCALE_FAILED, false", "CONFIG_UPDATE_FAILED, false",
            "SUSPEND_FAILED, true", "RESUME_FAILED, true"})
    void afterARestartAServiceInAFailureStateThatHadInstancesGetsThemBack(ServiceState failed, boolean suspended) throws Exception {
        // Without them the only way out of these states was Delete: Scale, Suspend and Resume all
        // need running instances. Those of a failed Suspend or Resume come back suspended, so that
        // nothing is taken in a state that is not Active.
        journal.saveService(StoredService.resting(orders(2), failed, now));
        FakeLauncher relaunched = new FakeLauncher();
        Host restarted = new Host(relaunched, journal, clock, Host.Settings.defaults());
        CountDownLatch back = readyLatch(restarted, "orders", 2);
        try {
            restarted.open();

            assertThat(back.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(failed);
            assertThat(relaunched.alive("orders")).hasSize(2).allSatisfy(f -> assertThat(f.suspended).isEqualTo(suspended));
            if (failed == SUSPEND_FAILED || failed == RESUME_FAILED) {
                done(restarted.perform("orders", RESUME, "alice"));
                assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(ACTIVE);
            }
        } finally {
            restarted.close();
        }
    }

    @Test
    void theStatesWhoseServicesRunInstancesAreThoseTheConsoleShowsAHealthFor() {
        assertThat(ManagedService.RUNS_INSTANCES.keySet())
                .containsExactlyInAnyOrder(java.util.Arrays.stream(ServiceState.values()).filter(ServiceState::runsInstances)
                        .toArray(ServiceState[]::new));
    }

    /** A host over this test's journal whose instances, once they fail to come back, are tried again after {@code pause}. */
    private Host restartedHost(FakeLauncher relaunched, Duration pause) {
        return new Host(relaunched, journal, clock, new Host.Settings(Duration.ofSeconds(5), Duration.ofMillis(200), pause));
    }

    @Test
    void instancesThatDoNotComeBackAfterARestartAreTriedAgainAsACrashIsAndThenLeftDownSayingSo() throws Exception {
        journal.saveService(StoredService.resting(orders(1), ACTIVE, now));
        FakeLauncher relaunched = new FakeLauncher();
        relaunched.keepsLaunching("orders", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        Host restarted = restartedHost(relaunched, Duration.ofMillis(10));
        var heard = hostsOwnEntries(restarted);
        try {
            restarted.open();

            OperationRecord leftDown = null;
            List<OperationRecord> tries = new java.util.ArrayList<>();
            while (leftDown == null) {
                OperationRecord entry = nextEntry(heard);
                if (entry.operation() == INSTANCE_LEFT_DOWN) {
                    leftDown = entry;
                } else if (entry.outcome() != Outcome.RUNNING) {
                    tries.add(entry);
                }
            }
            assertThat(tries).as("each try again is logged and fails with the reason").hasSize(ServiceInstances.MAX_CRASHES)
                    .allSatisfy(r -> {
                        assertThat(r.operation()).isEqualTo(INSTANCE_RESTART);
                        assertThat(r.service()).isEqualTo("orders");
                        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                        assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("did not start"));
                        assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p.code()).isEqualTo("instance-did-not-start"));
                    });
            assertThat(relaunched.launchedCount("orders")).as("the first try and the tries again").isEqualTo(ServiceInstances.MAX_CRASHES + 1);
            assertThat(leftDown.service()).isEqualTo("orders");
            assertThat(leftDown.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(leftDown.error()).hasValueSatisfying(e -> assertThat(e)
                    .contains("did not start").contains("Start or Restart the service to run it again"));
            assertThat(leftDown.problem()).hasValueSatisfying(p -> {
                assertThat(p.code()).isEqualTo("left-down-after-host-restart");
                assertThat(p.arguments()).containsEntry("tries", String.valueOf(ServiceInstances.MAX_CRASHES + 1));
                assertThat(p.inner()).hasValueSatisfying(inner -> assertThat(inner.code()).isEqualTo("instance-did-not-start"));
            });
            assertThat(leftDown.crash()).hasValueSatisfying(c -> assertThat(c.notStarted()).isTrue());
            assertThat(restarted.service("orders").orElseThrow().instances()).as("shown left down, not starting")
                    .extracting(InstanceView::status).containsExactly(InstanceStatus.FAILED);
            assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(ACTIVE);

            // The way out it names works.
            relaunched.recovers("orders", 0);
            done(restarted.perform("orders", RESTART, "alice"));
            assertThat(restarted.service("orders").orElseThrow().instances()).extracting(InstanceView::status)
                    .containsExactly(InstanceStatus.RUNNING);
        } finally {
            restarted.close();
        }
    }

    @Test
    void theTriesAfterAHostRestartSayTheyAreNotCrashesInTheEventsTheViewAndTheLog() throws Exception {
        journal.saveService(StoredService.resting(orders(1), ACTIVE, now));
        FakeLauncher relaunched = new FakeLauncher();
        relaunched.keepsLaunching("orders", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        Host restarted = restartedHost(relaunched, Duration.ofMillis(10));
        var heard = hostsOwnEntries(restarted);
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        restarted.addListener(new RecordingListener() {
            @Override
            public void instanceEvent(String name, InstanceView instance, InstanceEvent event) {
                if (event instanceof InstanceEvent.Restarting || event instanceof InstanceEvent.GaveUp) {
                    events.add(event);
                }
            }
        });
        try {
            restarted.open();
            OperationRecord leftDown = null;
            while (leftDown == null) {
                OperationRecord entry = nextEntry(heard);
                assertThat(entry.crash()).as(entry.operation().chartName() + " " + entry.outcome())
                        .hasValueSatisfying(c -> assertThat(c.cause()).isEqualTo(RestartCause.HOST_RESTART));
                if (entry.operation() == INSTANCE_LEFT_DOWN) {
                    leftDown = entry;
                }
            }
            assertThat(next(events, InstanceEvent.Restarting.class).cause()).isEqualTo(RestartCause.HOST_RESTART);
            assertThat(next(events, InstanceEvent.GaveUp.class).cause()).isEqualTo(RestartCause.HOST_RESTART);
            assertThat(restarted.service("orders").orElseThrow().instances()).extracting(InstanceView::restartCause)
                    .containsExactly(RestartCause.HOST_RESTART);
            assertThat(restarted.operations(org.sluice.lifecycle.OperationQuery.all(50).forService("orders")))
                    .as("as the log keeps them").filteredOn(r -> r.operation().byHost()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.crash().orElseThrow().cause()).isEqualTo(RestartCause.HOST_RESTART));
        } finally {
            restarted.close();
        }
    }

    @Test
    void aStopAcceptedWhileTheRestartedHostIsStartingTheInstancesAgainLeavesNoneRunning() throws Exception {
        journal.saveService(StoredService.resting(orders(1), ACTIVE, now));
        FakeLauncher relaunched = new FakeLauncher();
        CountDownLatch launching = relaunched.holdLaunches();
        Host restarted = restartedHost(relaunched, Duration.ofMillis(10));
        try {
            restarted.open();
            assertThat(launching.await(10, TimeUnit.SECONDS)).as("the host is starting the instance again").isTrue();

            // Accepted while that start waits for its process: the Stop must not run beside it.
            Host.Accepted stop = restarted.perform("orders", STOP, "alice");
            relaunched.releaseLaunches();
            OperationRecord stopped = done(stop);
            // The held launch goes on beside the Stop: its process is made once it is let go.
            org.testfx.util.WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !relaunched.launched.isEmpty());
            relaunched.launched.get(0).ready.get(10, TimeUnit.SECONDS);

            assertThat(stopped.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(ServiceState.STOPPED);
            assertThat(relaunched.alive("orders")).as("a Stopped service runs no instance").isEmpty();
            assertThat(restarted.service("orders").orElseThrow().instances()).isEmpty();
        } finally {
            relaunched.releaseLaunches();
            restarted.close();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(names = {"STOP", "RESTART", "DELETE"})
    void whileInstancesWaitToBeTriedAgainAfterARestartTheyShowAsRestartingAndAnOperationTakesOver(Operation operation) throws Exception {
        journal.saveService(StoredService.resting(orders(1), ACTIVE, now));
        FakeLauncher relaunched = new FakeLauncher();
        relaunched.keepsLaunching("orders", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        // A pause no test outlasts: the operator's operation comes first.
        Host restarted = restartedHost(relaunched, Duration.ofHours(1));
        var heard = hostsOwnEntries(restarted);
        try {
            restarted.open();
            OperationRecord waiting = nextEntry(heard);
            assertThat(waiting.operation()).isEqualTo(INSTANCE_RESTART);
            assertThat(waiting.outcome()).as("during the pause").isEqualTo(Outcome.RUNNING);
            assertThat(restarted.service("orders").orElseThrow().instances()).extracting(InstanceView::status)
                    .containsExactly(InstanceStatus.RESTARTING);

            relaunched.recovers("orders", 0);
            OperationRecord taken = done(restarted.perform("orders", operation, "alice"));

            assertThat(taken.outcome()).isEqualTo(Outcome.SUCCEEDED);
            OperationRecord ended = nextEntry(heard);
            assertThat(ended.requestId()).isEqualTo(waiting.requestId());
            assertThat(ended.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("Not started again"));
            switch (operation) {
                case STOP -> assertThat(restarted.service("orders").orElseThrow().instances()).isEmpty();
                case RESTART -> assertThat(restarted.service("orders").orElseThrow().instances()).extracting(InstanceView::status)
                        .containsExactly(InstanceStatus.RUNNING);
                default -> assertThat(restarted.service("orders")).isEmpty();
            }
            assertThat(relaunched.launchedCount("orders")).as("the first try, and the operation's own")
                    .isEqualTo(operation == RESTART ? 2 : 1);
        } finally {
            restarted.close();
        }
    }

    /** A host whose crashed instances are started again after 10 ms (20, 40, ... in a row). */
    private Host supervisingHost(java.util.concurrent.BlockingQueue<InstanceEvent> events) {
        Host supervising = new Host(launcher, journal, clock,
                new Host.Settings(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(10)));
        supervising.addListener(new RecordingListener() {
            @Override
            public void instanceEvent(String name, InstanceView instance, InstanceEvent event) {
                if (event != null && instance.index() == 1) {
                    events.add(event);
                }
            }
        });
        return supervising;
    }

    private static <T extends InstanceEvent> T next(java.util.concurrent.BlockingQueue<InstanceEvent> events, Class<T> type)
            throws InterruptedException {
        for (InstanceEvent event; (event = events.poll(5, TimeUnit.SECONDS)) != null; ) {
            if (type.isInstance(event)) {
                return type.cast(event);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 5 s");
    }

    private static InstanceEvent sampled(long timeMs, double memoryPercent, long concurrent) {
        return new InstanceEvent.Sampled(new org.sluice.throttle.InstanceSample(timeMs, memoryPercent, concurrent, 2, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void theHostKeepsEverySampleOfAnInstanceAcrossItsRunsForAReplay() throws Exception {
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        host.close();
        host = supervisingHost(events);
        activeOrders(2);
        next(events, InstanceEvent.Ready.class);
        FakeLauncher.Fake second = launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow();
        second.emit(sampled(1_000, 12.3, 5));
        second.emit(sampled(1_200, 71.0, 5));
        second.crash(137);
        next(events, InstanceEvent.Ready.class);
        FakeLauncher.Fake again = launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow();
        again.emit(sampled(1_400, 20.0, 250));

        org.sluice.throttle.SampleWindow window = host.samples("orders", 1, 1_000, 1_400);
        assertThat(window.samples()).containsExactly(
                new org.sluice.throttle.RecordedSample(1, new org.sluice.throttle.Sample(1_000, 12.3, 5, 2)),
                new org.sluice.throttle.RecordedSample(1, new org.sluice.throttle.Sample(1_200, 71.0, 5, 2)),
                new org.sluice.throttle.RecordedSample(2, new org.sluice.throttle.Sample(1_400, 20.0, 250, 2)));
        assertThat(host.samples("orders", 1, 1_100, 1_300).samples()).hasSize(1);
        assertThat(host.samples("orders", 0, 0, Long.MAX_VALUE).samples()).as("instance 0 sent none").isEmpty();
    }

    @Test
    void samplesAreAskedOfAServiceThatExistsAndAnInstanceNumberInRange() throws Exception {
        activeOrders(1);

        assertThatThrownBy(() -> host.samples("nosuch", 0, 0, 1)).isInstanceOf(NoSuchServiceException.class);
        assertThatThrownBy(() -> host.samples("orders", ServiceDefinition.MAX_UNITS, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numbered from 0");
        assertThatThrownBy(() -> host.samples("orders", 0, 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
    }

    @Test
    void anInstanceThatCrashesIsStartedAgainAndTakesMessagesAgain() throws Exception {
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        host.close();
        host = supervisingHost(events);
        activeOrders(2);
        next(events, InstanceEvent.Ready.class);
        FakeLauncher.Fake second = launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow();

        second.crash(137);

        InstanceEvent.Restarting restarting = next(events, InstanceEvent.Restarting.class);
        assertThat(restarting.attempt()).isEqualTo(1);
        assertThat(restarting.delayMs()).isEqualTo(10);
        next(events, InstanceEvent.Ready.class);
        assertThat(launcher.alive("orders")).hasSize(2).extracting(FakeLauncher.Fake::index).containsExactlyInAnyOrder(0, 1);
        assertThat(host.service("orders").orElseThrow().instances()).extracting(InstanceView::status)
                .containsOnly(org.sluice.lifecycle.InstanceStatus.RUNNING);
        assertThat(state("orders")).isEqualTo(ACTIVE);
        java.util.Set<Integer> routed = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            routed.add(((Host.Route.To) host.route("orders")).instance());
        }
        assertThat(routed).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void anInstanceThatKeepsCrashingIsLeftDownAfterTheLimitWithLongerPausesInBetween() throws Exception {
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        host.close();
        host = supervisingHost(events);
        activeOrders(2);
        next(events, InstanceEvent.Ready.class);
        java.util.List<Long> pauses = new java.util.ArrayList<>();
        for (int crash = 1; crash <= ServiceInstances.MAX_CRASHES; crash++) {
            launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow().crash(1);
            pauses.add(next(events, InstanceEvent.Restarting.class).delayMs());
            next(events, InstanceEvent.Ready.class);
        }
        launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow().crash(1);

        assertThat(next(events, InstanceEvent.GaveUp.class).crashes()).isEqualTo(ServiceInstances.MAX_CRASHES + 1);
        assertThat(pauses).containsExactly(10L, 20L, 40L, 80L, 160L);
        assertThat(launcher.alive("orders")).extracting(FakeLauncher.Fake::index).containsExactly(0);
        assertThat(host.service("orders").orElseThrow().instances()).extracting(InstanceView::status)
                .containsExactly(org.sluice.lifecycle.InstanceStatus.RUNNING, org.sluice.lifecycle.InstanceStatus.FAILED);
    }

    /** The host's own log entries, each time one is written or ended, as listeners hear them. */
    private static java.util.concurrent.BlockingQueue<OperationRecord> hostsOwnEntries(Host host) {
        java.util.concurrent.BlockingQueue<OperationRecord> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        host.addListener(new RecordingListener() {
            @Override
            public void operationProgress(OperationRecord record) {
                if (record.requester().equals(OperationRecord.HOST)) {
                    heard.add(record);
                }
            }
        });
        return heard;
    }

    private static OperationRecord nextEntry(java.util.concurrent.BlockingQueue<OperationRecord> heard) throws InterruptedException {
        OperationRecord record = heard.poll(5, TimeUnit.SECONDS);
        assertThat(record).as("a log entry of the host's within 5 s").isNotNull();
        return record;
    }

    @Test
    void eachRestartBySupervisionIsLoggedByTheHostWithTheInstanceAndHowItExited() throws Exception {
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        host.close();
        host = supervisingHost(events);
        var heard = hostsOwnEntries(host);
        activeOrders(2);
        next(events, InstanceEvent.Ready.class);

        launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow().crash(137);

        OperationRecord waiting = nextEntry(heard);
        assertThat(waiting.operation()).isEqualTo(INSTANCE_RESTART);
        assertThat(waiting.service()).isEqualTo("orders");
        assertThat(waiting.outcome()).as("during the pause before it starts again").isEqualTo(Outcome.RUNNING);
        assertThat(waiting.crash()).hasValue(new org.sluice.lifecycle.InstanceCrash(1, 137, 1, RestartCause.CRASH));
        assertThat(waiting.crash().orElseThrow().signal()).hasValue(9);
        OperationRecord restarted = nextEntry(heard);
        assertThat(restarted.requestId()).isEqualTo(waiting.requestId());
        assertThat(restarted.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(host.operations(org.sluice.lifecycle.OperationQuery.all(10).forService("orders").withOperation(INSTANCE_RESTART)))
                .as("in the log").containsExactly(restarted);
        assertThat(host.service("orders").orElseThrow().lastOperation()).as("the last operation asked for is still Create")
                .hasValueSatisfying(r -> assertThat(r.operation()).isEqualTo(CREATE));
    }

    @Test
    void anInstanceLeftDownAfterTheLimitIsLoggedAsAFailureOfTheHostsOwn() throws Exception {
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        host.close();
        host = supervisingHost(events);
        var heard = hostsOwnEntries(host);
        activeOrders(2);
        next(events, InstanceEvent.Ready.class);
        for (int crash = 1; crash <= ServiceInstances.MAX_CRASHES; crash++) {
            launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow().crash(1);
            next(events, InstanceEvent.Restarting.class);
            next(events, InstanceEvent.Ready.class);
        }
        launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow().crash(3);
        next(events, InstanceEvent.GaveUp.class);

        // A restart's entry ends once the launcher has returned, which may be after the instance said it was ready.
        OperationRecord leftDown = null;
        int restartsEnded = 0;
        while (leftDown == null || restartsEnded < ServiceInstances.MAX_CRASHES) {
            OperationRecord entry = nextEntry(heard);
            if (entry.operation() == INSTANCE_LEFT_DOWN) {
                leftDown = entry;
            } else if (entry.outcome() != Outcome.RUNNING) {
                restartsEnded++;
            }
        }
        assertThat(leftDown.operation()).isEqualTo(INSTANCE_LEFT_DOWN);
        assertThat(leftDown.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(leftDown.crash()).hasValue(new org.sluice.lifecycle.InstanceCrash(1, 3, ServiceInstances.MAX_CRASHES + 1));
        assertThat(leftDown.error()).hasValueSatisfying(e -> assertThat(e).contains("Start"));
        assertThat(leftDown.problem()).contains(org.sluice.lifecycle.Problem.of("left-down-after-crashes", "instance", 1,
                "crashes", ServiceInstances.MAX_CRASHES + 1));
        assertThat(host.operations(org.sluice.lifecycle.OperationQuery.all(50).forService("orders")))
                .filteredOn(r -> r.operation() == INSTANCE_RESTART).hasSize(ServiceInstances.MAX_CRASHES)
                .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED));
    }

    @Test
    void aRestartTheHostsEndLeftRunningIsInterruptedAndTheLastOperationAskedForStaysTheServicesLast() throws Exception {
        activeOrders(1);
        journal.operationStarted(new OperationRecord("r-restart", "orders", INSTANCE_RESTART, OperationRecord.HOST, 2_000,
                OptionalLong.empty(), Outcome.RUNNING, Optional.empty(), Optional.of(new org.sluice.lifecycle.InstanceCrash(0, 1, 1))));
        host.close();
        now = 9_000;
        host = newHost();

        host.load();

        assertThat(journal.operations.get("r-restart").outcome()).isEqualTo(Outcome.INTERRUPTED);
        assertThat(host.service("orders").orElseThrow().lastOperation()).hasValueSatisfying(r -> assertThat(r.operation()).isEqualTo(CREATE));
    }

    @Test
    void theHostsOwnEntriesCannotBeAskedFor() throws Exception {
        activeOrders(1);
        for (Operation byHost : List.of(INSTANCE_RESTART, INSTANCE_LEFT_DOWN)) {
            assertThatThrownBy(() -> host.perform("orders", byHost, "alice")).isInstanceOf(OperationNotAllowedException.class);
            for (ServiceState any : ServiceState.values()) {
                assertThat(org.sluice.lifecycle.Lifecycle.standard().allowed(any)).doesNotContain(byHost);
            }
        }
        assertThat(journal.operations.values()).extracting(OperationRecord::operation).containsExactly(CREATE);
    }

    @Test
    void aDefinitionBiggerThanTheMachineIsRefusedWithTheFiguresAndNothingStarts() throws Exception {
        host.close();
        Host.Settings small = new Host.Settings(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(10),
                Optional.of(new MachineCapacity(1024, 2)));
        host = new Host(launcher, journal, clock, small);

        assertThatThrownBy(() -> host.create(new ServiceDefinition("big", 2, 1, 1024, Validation.NONE, null, null, "dir:/tmp/b"), "alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("big asks for 2 × 1024 MiB = 2048 MiB of memory, more than this machine's 1024 MiB; give it fewer "
                        + "units or less memory per instance (or start the host with --overcommit)");
        assertThatThrownBy(() -> host.create(new ServiceDefinition("wide", 1, 4, 256, Validation.NONE, null, null, "dir:/tmp/w"), "alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 cores per instance, more than this machine's 2");
        assertThat(host.services()).isEmpty();
        assertThat(launcher.launched).isEmpty();

        activeOrders(2);
        assertThatThrownBy(() -> host.scale("orders", 8, "alice")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 × 256 MiB = 2048 MiB");
        assertThat(state("orders")).isEqualTo(ACTIVE);
        assertThat(launcher.alive("orders")).hasSize(2);

        Host overcommitted = new Host(new FakeLauncher(), new InMemoryJournal(), clock, small.overcommitted());
        try {
            assertThat(done(overcommitted.create(new ServiceDefinition("big", 2, 1, 1024, Validation.NONE, null, null, "dir:/tmp/b"),
                    "alice")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        } finally {
            overcommitted.close();
        }
    }

    @Test
    void theMachinesMemoryIsReadFromProcMeminfo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) throws Exception {
        java.nio.file.Path meminfo = java.nio.file.Files.writeString(temp.resolve("meminfo"),
                "MemTotal:       24600000 kB\nMemFree:         1000000 kB\n");
        assertThat(MachineCapacity.linuxMemoryMb(meminfo)).hasValue(24023);
        assertThat(MachineCapacity.linuxMemoryMb(temp.resolve("missing"))).isEmpty();
    }

    @Test
    void ofConcurrentOperationsOnOneServiceExactlyOneIsAccepted() throws Exception {
        // The instance holds every stop until the test lets it go, so the winner keeps running.
        launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.NEVER_STOPS);
        activeOrders(1);
        FakeLauncher.Fake instance = launcher.alive("orders").get(0);
        Operation[] contenders = {STOP, RESTART, DELETE, DISABLE, SERVICE_UPDATE};
        int accepted = 0;
        int refused = 0;
        List<Thread> threads = new java.util.ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Object> results = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            Operation op = contenders[i % contenders.length];
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    results.add(host.perform("orders", op, "race"));
                } catch (OperationNotAllowedException e) {
                    results.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(5_000);
        }
        for (Object r : results) {
            if (r instanceof Host.Accepted) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(accepted).isEqualTo(1);
        assertThat(refused).isEqualTo(19);
        assertThat(state("orders").isTransitional()).isTrue();
        instance.crash(0);
    }

    @Test
    void theEngineStatusIsTheLaunchersAndEachChangeReachesTheListeners() throws Exception {
        assertThat(host.engineStatus()).isEqualTo(org.sluice.lifecycle.EngineStatus.LOCAL);
        java.util.concurrent.BlockingQueue<org.sluice.lifecycle.EngineStatus> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        host.addListener(new RecordingListener() {
            @Override
            public void engineStatusChanged(org.sluice.lifecycle.EngineStatus status) {
                heard.add(status);
            }
        });
        org.sluice.lifecycle.EngineStatus down = org.sluice.lifecycle.EngineStatus.unavailable(
                org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, "The Kubernetes API server could not be reached", 2_000);
        launcher.engine(down);

        assertThat(heard.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(down);
        assertThat(host.engineStatus()).isEqualTo(down);
    }

    /** A listener that ignores everything unless a test overrides a method. */
    static class RecordingListener implements HostListener {
        @Override
        public void serviceChanged(ServiceView service) {
        }

        @Override
        public void serviceRemoved(String name) {
        }

        @Override
        public void operationProgress(OperationRecord record) {
        }

        @Override
        public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
        }
    }
}
