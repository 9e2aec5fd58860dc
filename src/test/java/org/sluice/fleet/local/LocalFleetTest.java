package org.sluice.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.fleet.EventRecorder;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.InstanceEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

@Timeout(30)
class LocalFleetTest {
    private final FakeLauncher launcher = new FakeLauncher();
    private final Host host = new Host(launcher, new InMemoryJournal(), InstantSource.system(),
            new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    private FrontDoor door;
    private LocalFleet fleet;
    private final EventRecorder events = new EventRecorder();
    private Subscription subscription;

    private static ServiceDefinition orders() {
        return new ServiceDefinition("orders", 2, 1, 256, Validation.NONE, null, null, "dir:/tmp/o");
    }

    @BeforeEach
    void open() throws Exception {
        door = FrontDoor.open(host, 0);
        fleet = new LocalFleet(host, door, "console:test", () -> {
            door.close();
            host.close();
        });
        subscription = fleet.subscribe(events);
    }

    @AfterEach
    void close() {
        subscription.close();
        fleet.close();
    }

    @Test
    void anInstancesSamplesComeFromItsHostAndOnlyForAServiceThatExists() throws Exception {
        fleet.create(orders()).completion().get(5, java.util.concurrent.TimeUnit.SECONDS);
        launcher.alive("orders").get(0).emit(new InstanceEvent.Sampled(new InstanceSample(7_000, 42.5, 3, 2, 0, 0, 0, 0, 0, 0)));

        assertThat(fleet.samples("orders", 0, 0, 10_000).samples()).singleElement()
                .isEqualTo(new org.sluice.throttle.RecordedSample(1, new org.sluice.throttle.Sample(7_000, 42.5, 3, 2)));
        assertThatThrownBy(() -> fleet.samples("nosuch", 0, 0, 1)).isInstanceOf(UnknownServiceException.class);
        assertThatThrownBy(() -> fleet.samples("orders", 9, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInstancesLogComesFromItsHostAndOnlyForAServiceAndInstanceThatCanBe() throws Exception {
        fleet.create(orders()).completion().get(5, java.util.concurrent.TimeUnit.SECONDS);
        launcher.writeLog("orders", 1, "instance 1 says hello\n");
        assertThat(fleet.instanceLog("orders", 1, InstanceLog.Run.CURRENT, -1, 1024).text()).isEqualTo("instance 1 says hello\n");
        assertThat(fleet.instanceLog("orders", 0, InstanceLog.Run.CURRENT, -1, 1024).text()).as("nothing written yet").isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fleet.instanceLog("../orders", 0, InstanceLog.Run.CURRENT, -1, 1024))
                .isInstanceOf(org.sluice.fleet.UnknownServiceException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fleet.instanceLog("orders", 8, InstanceLog.Run.CURRENT, -1, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 7");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fleet.instanceLog("orders", 0, InstanceLog.Run.CURRENT, -1, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    }

    @Test
    void createAnnouncesTheServiceThenItsProgressAndOutcome() throws Exception {
        var ticket = fleet.create(orders());
        assertThat(ticket.operation()).isEqualTo(Operation.CREATE);

        FleetEvent.ServiceAdded added = events.next(FleetEvent.ServiceAdded.class);
        assertThat(added.snapshot().state()).isEqualTo(ServiceState.CREATING);
        assertThat(added.snapshot().endpoint()).isEqualTo(door.endpoint("orders"));
        assertThat(events.next(FleetEvent.OperationProgress.class).record().outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(events.next(FleetEvent.ServiceStateChanged.class).state()).isEqualTo(ServiceState.ACTIVE);
        FleetEvent.OperationProgress ended = events.next(FleetEvent.OperationProgress.class);
        assertThat(ended.record().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(ended.record().requester()).isEqualTo("console:test");

        assertThat(ticket.completion().get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(fleet.snapshot().services()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(ServiceState.ACTIVE);
            assertThat(s.instances()).hasSize(2);
            assertThat(s.lastOperation()).hasValueSatisfying(r -> assertThat(r.operation()).isEqualTo(Operation.CREATE));
        });
    }

    @Test
    void refusalsAndMistakesAreTypedErrors() throws Exception {
        fleet.create(orders()).completion().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> fleet.perform("orders", Operation.RESUME))
                .isInstanceOf(OperationNotAllowedException.class).hasMessage("Operation not allowed");
        assertThatThrownBy(() -> fleet.perform("nope", Operation.START)).isInstanceOf(UnknownServiceException.class);
        assertThatThrownBy(() -> fleet.create(orders().withName("Bad Name")))
                .isInstanceOfSatisfying(InvalidDefinitionException.class,
                        e -> assertThat(e.problems()).extracting(ServiceDefinition.Problem::field).containsExactly("name"));
    }

    @Test
    void instanceSamplesAndThrottleChangesReachTheListener() throws Exception {
        fleet.create(orders()).completion().get(5, TimeUnit.SECONDS);
        FakeLauncher.Fake instance = launcher.alive("orders").get(1);
        InstanceSample sample = new InstanceSample(5, 71, 3, 1, 10, 9, 0, 0, 2.0, 5.0);
        instance.emit(new InstanceEvent.Sampled(sample));
        ThrottleTransition entered = new ThrottleTransition(5, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty());
        instance.emit(new InstanceEvent.Throttle(entered));

        FleetEvent.InstanceSampled sampled = events.next(FleetEvent.InstanceSampled.class);
        assertThat(sampled.index()).isEqualTo(1);
        assertThat(sampled.sample()).isEqualTo(sample);
        FleetEvent.ThrottleChanged changed = events.next(FleetEvent.ThrottleChanged.class);
        assertThat(changed.transition().entersThrottled()).isTrue();
        assertThat(fleet.snapshot().services().get(0).instances().get(1).throttle()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(fleet.snapshot().services().get(0).instances().get(1).throttledSinceMs()).hasValue(5);
    }

    @Test
    void deleteAnnouncesRemoval() throws Exception {
        fleet.create(orders()).completion().get(5, TimeUnit.SECONDS);
        fleet.perform("orders", Operation.DELETE).completion().get(5, TimeUnit.SECONDS);
        assertThat(events.next(FleetEvent.ServiceRemoved.class).service()).isEqualTo("orders");
        assertThat(fleet.snapshot().services()).isEmpty();
        assertThat(fleet.operations(org.sluice.lifecycle.OperationQuery.all(10)))
                .extracting(r -> r.operation()).containsExactlyInAnyOrderElementsOf(List.of(Operation.DELETE, Operation.CREATE));
    }

    @Test
    void aCrashedInstanceIsRestartingWithItsCrashesInARow() throws Exception {
        fleet.create(orders()).completion().get(5, TimeUnit.SECONDS);
        FakeLauncher.Fake instance = launcher.alive("orders").get(1);

        instance.crash(137);

        FleetEvent.InstanceStatusChanged restarting = events.next(FleetEvent.InstanceStatusChanged.class,
                e -> e.status() == org.sluice.lifecycle.InstanceStatus.RESTARTING);
        assertThat(restarting.index()).isEqualTo(1);
        assertThat(restarting.crashesInARow()).isEqualTo(1);
        assertThat(restarting.cause()).isEqualTo(RestartCause.CRASH);
        assertThat(restarting.message()).hasValueSatisfying(m -> assertThat(m).contains("crash 1 in a row"));
        assertThat(fleet.snapshot().services().get(0).instances().get(1)).satisfies(i -> {
            assertThat(i.status()).isEqualTo(org.sluice.lifecycle.InstanceStatus.RESTARTING);
            assertThat(i.crashesInARow()).isEqualTo(1);
            assertThat(i.restartCause()).isEqualTo(RestartCause.CRASH);
        });
    }

    @Test
    void instancesThatDoNotComeBackAfterAHostRestartReachTheConsoleAsRestartingThenLeftDown() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        journal.saveService(org.sluice.runtime.store.StoredService.resting(orders(), ServiceState.ACTIVE, 1_000));
        FakeLauncher failing = new FakeLauncher();
        failing.keepsLaunching("orders", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        Host restarted = new Host(failing, journal, InstantSource.system(),
                new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(10)));
        FrontDoor restartedDoor = FrontDoor.open(restarted, 0);
        LocalFleet own = new LocalFleet(restarted, restartedDoor, "console:test", () -> {
            restartedDoor.close();
            restarted.close();
        });
        EventRecorder heard = new EventRecorder();
        try (Subscription listening = own.subscribe(heard)) {
            restarted.open();

            FleetEvent.InstanceStatusChanged waiting = heard.next(FleetEvent.InstanceStatusChanged.class,
                    e -> e.status() == org.sluice.lifecycle.InstanceStatus.RESTARTING);
            assertThat(waiting.service()).isEqualTo("orders");
            assertThat(waiting.cause()).as("not a crash").isEqualTo(RestartCause.HOST_RESTART);
            assertThat(waiting.message()).hasValueSatisfying(m -> assertThat(m)
                    .contains("not back after the host restarted").contains("retry 1 of 5").doesNotContain("crash"));
            FleetEvent.InstanceStatusChanged down = heard.next(FleetEvent.InstanceStatusChanged.class,
                    e -> e.status() == org.sluice.lifecycle.InstanceStatus.FAILED
                    && e.message().isPresent() && e.message().get().startsWith("left down"));
            assertThat(down.cause()).isEqualTo(RestartCause.HOST_RESTART);
            assertThat(down.message()).hasValueSatisfying(m -> assertThat(m).contains("after the host restarted").doesNotContain("crash"));
            FleetEvent.OperationProgress leftDown = heard.next(FleetEvent.OperationProgress.class,
                    e -> e.record().operation() == Operation.INSTANCE_LEFT_DOWN);
            assertThat(leftDown.record().error()).hasValueSatisfying(e -> assertThat(e).contains("Start or Restart the service"));
            assertThat(own.snapshot().services().get(0).instances()).extracting(i -> i.status())
                    .containsOnly(org.sluice.lifecycle.InstanceStatus.FAILED);
            assertThat(own.snapshot().services().get(0).instances()).extracting(i -> i.restartCause())
                    .containsOnly(RestartCause.HOST_RESTART);
        } finally {
            own.close();
        }
    }
}
