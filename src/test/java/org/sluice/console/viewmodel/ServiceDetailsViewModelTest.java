package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.ThrottleState;

/** The selected service's details, without the JavaFX toolkit. */
class ServiceDetailsViewModelTest {
    private final ServiceDetailsViewModel details = new ServiceDetailsViewModel(new FakeFleet(), Lifecycle.standard(),
            BackgroundExecutor.sameThread(), ZoneId.of("UTC"));

    private static ServiceSnapshot onBranch(InstanceStatus... statuses) {
        List<InstanceSnapshot> instances = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            instances.add(new InstanceSnapshot("branch/orders", i, statuses[i], ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                    Optional.empty()));
        }
        ServiceSnapshot own = FakeFleet.snapshot("orders", ServiceState.ACTIVE);
        return new ServiceSnapshot(own.definition(), own.state(), own.running(), instances, own.lastOperation(), own.endpoint(),
                "branch");
    }

    @Test
    void aServiceThatArrivesWholeShowsItsInstancesAsTheyAre() {
        details.apply(List.of(new FleetEvent.ServiceAdded("branch/orders", onBranch(InstanceStatus.RUNNING, InstanceStatus.RUNNING))));
        details.show("branch/orders");
        assertThat(details.instances()).extracting(i -> i.index() + " " + i.statusProperty().get())
                .containsExactly("0 RUNNING", "1 RUNNING");

        // Reached again after it was scaled down meanwhile: the instance that went is gone.
        details.apply(List.of(new FleetEvent.ServiceAdded("branch/orders", onBranch(InstanceStatus.RESTARTING))));
        assertThat(details.instances()).extracting(i -> i.index() + " " + i.statusProperty().get()).containsExactly("0 RESTARTING");
    }

    @Test
    void theInstancesOfASuspendedServiceReadSuspended() {
        details.apply(List.of(new FleetEvent.ServiceAdded("branch/orders", onBranch(InstanceStatus.RUNNING))));
        details.show("branch/orders");
        assertThat(details.instances().get(0).suspendedProperty().get()).isFalse();

        details.apply(List.of(new FleetEvent.ServiceStateChanged("branch/orders", ServiceState.SUSPENDED, Optional.empty())));
        assertThat(details.instances().get(0).suspendedProperty().get()).isTrue();
        details.apply(List.of(new FleetEvent.InstanceStatusChanged("branch/orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(details.instances()).extracting(i -> i.suspendedProperty().get()).containsExactly(true, true);

        details.apply(List.of(new FleetEvent.ServiceStateChanged("branch/orders", ServiceState.ACTIVE, Optional.empty())));
        assertThat(details.instances()).extracting(i -> i.suspendedProperty().get()).containsExactly(false, false);
    }
}
