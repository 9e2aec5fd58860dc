package org.sluice.fleet.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.EventRecorder;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.fleet.api.ManagedHost;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;

/** The console's own host and a remote one, administered as one fleet. */
@Timeout(60)
class FleetGroupTest {
    @TempDir
    Path ownData;
    @TempDir
    Path remoteData;

    private final EventRecorder events = new EventRecorder();
    private ManagedHost own;
    private ManagedHost branch;
    private FleetGroup group;

    @BeforeEach
    void open() throws Exception {
        own = new ManagedHost(ownData);
        branch = new ManagedHost(remoteData);
        group = new FleetGroup(own.fleet("console"));
        group.subscribe(events);
        outcome(group.create(orders()));
        outcome(branch.fleet("setup").create(orders()));
        group.add("branch", RemoteFleet.connect("branch", branch.client(), RemoteFleet.Settings.defaults()));
    }

    @AfterEach
    void close() {
        group.close();
        branch.close();
        own.close();
    }

    private static ServiceDefinition orders() {
        return new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/orders-out");
    }

    private static OperationRecord outcome(OperationTicket ticket) throws Exception {
        return ticket.completion().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRemoteHostsServicesJoinUnderItsNameAndKeepTheirOwnNames() throws Exception {
        FleetEvent.ServiceAdded joined = events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        assertThat(joined.snapshot().host()).isEqualTo("branch");
        assertThat(joined.snapshot().definition().name()).isEqualTo("orders");

        List<ServiceSnapshot> services = group.snapshot().services();
        assertThat(services).extracting(ServiceSnapshot::name).containsExactly("orders", "branch/orders");
        ServiceSnapshot remote = services.get(1);
        assertThat(remote.instances()).allSatisfy(i -> assertThat(i.key()).startsWith("branch/orders#"));
        assertThat(FleetGroup.hostOf("branch/orders")).isEqualTo("branch");
        assertThat(FleetGroup.nameOnHost("branch/orders")).isEqualTo("orders");
    }

    @Test
    void aCommandGoesToTheHostOfTheServiceItNames() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));

        OperationTicket stop = group.perform("branch/orders", Operation.STOP);
        assertThat(stop.service()).isEqualTo("branch/orders");
        assertThat(outcome(stop).service()).isEqualTo("branch/orders");
        events.next(FleetEvent.ServiceStateChanged.class, e -> e.service().equals("branch/orders") && e.state() == ServiceState.STOPPED);

        assertThat(branch.fleet("check").snapshot().services().get(0).state()).isEqualTo(ServiceState.STOPPED);
        assertThat(own.fleet("check").snapshot().services().get(0).state()).as("the own host's orders is untouched")
                .isEqualTo(ServiceState.ACTIVE);
        assertThat(branch.fleet("check").operations(OperationQuery.all(5)).get(0).requester()).isEqualTo("owner");

        assertThat(branch.launcher.alive("orders")).isEmpty();
        assertThat(outcome(group.perform("branch/orders", Operation.START)).outcome()).isEqualTo(Outcome.SUCCEEDED);
        OperationTicket scaled = group.scale("branch/orders", 2);
        assertThat(outcome(scaled).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(branch.launcher.alive("orders")).hasSize(2);
        assertThat(own.launcher.alive("orders")).hasSize(1);

        assertThatThrownBy(() -> group.perform("elsewhere/orders", Operation.STOP)).isInstanceOf(UnknownServiceException.class);
    }

    @Test
    void theLogBackupsAndAccountCommandsSpanHosts() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        outcome(group.perform("branch/orders", Operation.BACKUP));

        assertThat(group.operations(OperationQuery.all(10))).extracting(OperationRecord::service)
                .contains("orders", "branch/orders");
        assertThat(group.operations(OperationQuery.all(10).forService("branch/orders")))
                .extracting(OperationRecord::operation).containsExactly(Operation.BACKUP, Operation.CREATE);

        String backup = group.backups("branch/orders").get(0).id();
        assertThat(backup).startsWith("branch/");
        OperationTicket restored = group.restore(backup, "orders-copy");
        assertThat(restored.service()).isEqualTo("branch/orders-copy");
        assertThat(outcome(restored).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(branch.fleet("check").snapshot().services()).extracting(ServiceSnapshot::name).contains("orders-copy");

        List<OperationTicket> disabled = group.disableAccount();
        assertThat(disabled).extracting(OperationTicket::service).containsExactlyInAnyOrder("orders", "branch/orders",
                "branch/orders-copy");
        for (OperationTicket ticket : disabled) {
            assertThat(outcome(ticket).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
    }

    @Test
    void aRestartByARemoteHostIsInTheGroupsLogUnderTheHostsNameWithItsCrash() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        branch.launcher.alive("orders").getFirst().crash(137);

        FleetEvent.OperationProgress restarted = events.next(FleetEvent.OperationProgress.class,
                e -> e.service().equals("branch/orders") && e.record().operation() == Operation.INSTANCE_RESTART
                        && e.record().outcome() == Outcome.SUCCEEDED);
        assertThat(restarted.record().crash()).hasValue(new org.sluice.lifecycle.InstanceCrash(0, 137, 1));
        assertThat(group.operations(OperationQuery.all(10).forService("branch/orders").withOperation(Operation.INSTANCE_RESTART)))
                .singleElement().satisfies(r -> {
                    assertThat(r.service()).isEqualTo("branch/orders");
                    assertThat(r.crash()).hasValue(new org.sluice.lifecycle.InstanceCrash(0, 137, 1));
                });
    }

    @Test
    void aServiceCreatedOnARemoteHostAppearsUnderIt() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        OperationTicket created = group.create("branch", orders().withName("billing"));
        assertThat(created.service()).isEqualTo("branch/billing");
        assertThat(outcome(created).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(branch.fleet("check").snapshot().services()).extracting(ServiceSnapshot::name).contains("billing");
        assertThat(own.fleet("check").snapshot().services()).extracting(ServiceSnapshot::name).containsExactly("orders");
    }

    @Test
    void removingAHostRemovesItsServicesAndClosesItsConnection() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        RemoteFleet remote = group.remote("branch").orElseThrow();

        group.remove("branch");

        events.next(FleetEvent.ServiceRemoved.class, e -> e.service().equals("branch/orders"));
        assertThat(group.hosts()).isEmpty();
        assertThat(remote.connection().state()).isEqualTo(RemoteFleet.State.CLOSED);
        assertThat(group.snapshot().services()).extracting(ServiceSnapshot::name).containsExactly("orders");
        assertThat(group.canAdd("branch")).isTrue();
        assertThat(group.canAdd("a/b")).isFalse();
    }

    @Test
    void aHostAddedAfterItConnectedAnnouncesItsServicesAtOnce() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        RemoteFleet again = RemoteFleet.connect("again", branch.client(), new RemoteFleet.Settings(Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofSeconds(45), System::currentTimeMillis));
        again.snapshot();
        events.clear();

        group.add("again", again);

        assertThat(events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("again/orders")).snapshot().host()).isEqualTo("again");
        assertThat(group.hosts()).containsExactly("branch", "again");
    }

    @Test
    void eachHostKeepsItsOwnEngineStatusAndItsChangesArriveUnderTheHostsName() throws Exception {
        events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("branch/orders"));
        org.sluice.lifecycle.EngineStatus down = org.sluice.lifecycle.EngineStatus.unavailable(
                org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, "Kubernetes refused to let the host list pods (403 Forbidden): grant it", 5_000);
        branch.launcher.engine(down);

        FleetEvent.EngineStatusChanged heard = events.next(FleetEvent.EngineStatusChanged.class, e -> e.host().equals("branch"));
        assertThat(heard.status()).isEqualTo(down);
        assertThat(heard.service()).isEmpty();
        assertThat(group.snapshot().engines()).containsEntry("branch", down)
                .containsEntry(ServiceSnapshot.THIS_HOST, org.sluice.lifecycle.EngineStatus.LOCAL);

        org.sluice.lifecycle.EngineStatus back = org.sluice.lifecycle.EngineStatus.available(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, 9_000);
        own.launcher.engine(back);
        assertThat(events.next(FleetEvent.EngineStatusChanged.class, e -> e.host().isEmpty()).status()).isEqualTo(back);
        assertThat(group.snapshot().engines()).containsEntry(ServiceSnapshot.THIS_HOST, back).containsEntry("branch", down);
    }
}
