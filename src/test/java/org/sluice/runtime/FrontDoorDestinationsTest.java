package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.ServiceDefinition;

/** A destination on the front door is given to an instance at the port the door has when it starts. */
class FrontDoorDestinationsTest {
    private final FakeLauncher fake = new FakeLauncher();
    private final AtomicReference<String> door = new AtomicReference<>("http://127.0.0.1:7070");
    private final FrontDoorDestinations launcher = new FrontDoorDestinations(fake, () -> Optional.ofNullable(door.get()));

    private static ServiceDefinition delivering(String destination) {
        return new ServiceDefinition("slow-partner", 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, destination);
    }

    @Test
    void aFrontDoorDestinationFollowsTheDoorsPortFromOneStartToTheNext() throws Exception {
        launcher.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { });
        door.set("http://127.0.0.1:7072");
        launcher.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { });

        assertThat(fake.launched).extracting(f -> f.definition.destination())
                .containsExactly("http://127.0.0.1:7070/demo/slow-partner", "http://127.0.0.1:7072/demo/slow-partner");
    }

    @Test
    void otherDestinationsReachTheInstanceAsWritten() throws Exception {
        launcher.launch(delivering("http://127.0.0.1:7070/demo/slow-partner"), 0, false, event -> { });
        launcher.launch(delivering("dir:/srv/out"), 0, false, event -> { });

        assertThat(fake.launched).extracting(f -> f.definition.destination())
                .containsExactly("http://127.0.0.1:7070/demo/slow-partner", "dir:/srv/out");
    }

    @Test
    void withNoDoorOpenAFrontDoorDestinationCannotStartAndSaysWhy() {
        door.set(null);
        assertThatThrownBy(() -> launcher.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("door:/demo/slow-partner").hasMessageContaining("front door");
        assertThat(fake.launched).isEmpty();
    }

    /** An engine whose instances run on other machines (pods) cannot use the door's loopback address. */
    private static InstanceLauncher elsewhere(FakeLauncher fake, Optional<String> doorAsInstancesReachIt) {
        return new ForwardingInstanceLauncher(fake) {
            @Override
            public Optional<String> frontDoorForInstances(String onThisMachine) {
                return doorAsInstancesReachIt;
            }
        };
    }

    @Test
    void anEngineWhoseInstancesRunElsewhereGivesThemTheDoorAtTheAddressTheyReach() throws Exception {
        FrontDoorDestinations wrapped = new FrontDoorDestinations(elsewhere(fake, Optional.of("http://sluice-door.sluice.svc:7070")),
                () -> Optional.ofNullable(door.get()));

        wrapped.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { });

        assertThat(fake.launched).extracting(f -> f.definition.destination())
                .containsExactly("http://sluice-door.sluice.svc:7070/demo/slow-partner");
    }

    @Test
    void anEngineWhoseInstancesCannotReachTheDoorRefusesAFrontDoorDestinationAndSaysWhatToGive() {
        FrontDoorDestinations wrapped = new FrontDoorDestinations(elsewhere(fake, Optional.empty()), () -> Optional.ofNullable(door.get()));

        assertThatThrownBy(() -> wrapped.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("door:/demo/slow-partner")
                .hasMessageContaining("127.0.0.1:7070").hasMessageContaining("--door-url");
        assertThat(fake.launched).isEmpty();
    }

    @Test
    void onThisMachineTheDoorIsReachedWhereItListens() {
        InstanceLauncher local = (definition, index, suspended, listener) -> {
            throw new UnsupportedOperationException();
        };
        assertThat(local.frontDoorForInstances("http://127.0.0.1:7070")).contains("http://127.0.0.1:7070");
    }

    @Test
    void aFrontDoorDestinationIsAPathThatStartsWithASlash() {
        assertThat(delivering("door:/demo/slow-partner").problems()).isEmpty();
        assertThat(delivering("door:demo").problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("destination"));
        assertThat(delivering("door:").problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("destination"));
    }

    @Test
    void anEngineThatRestartsItsOwnInstancesStillSaysSoAndHearsOfReleasesAndDeletesThroughTheDoorsWrapper() throws Exception {
        java.util.List<String> heard = new java.util.ArrayList<>();
        InstanceLauncher engine = new InstanceLauncher() {
            @Override
            public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean restartsInstances() {
                return true;
            }

            @Override
            public void released(String service, int from) {
                heard.add("released " + service + " from " + from);
            }

            @Override
            public void deleted(String service) {
                heard.add("deleted " + service);
            }
        };
        FrontDoorDestinations wrapped = new FrontDoorDestinations(engine, () -> Optional.ofNullable(door.get()));

        assertThat(wrapped.restartsInstances()).as("the host must not start a second copy of a pod Kubernetes restarts").isTrue();
        assertThat(new FrontDoorDestinations(new ForwardingInstanceLauncher(elsewhere(fake, Optional.empty())) { },
                () -> Optional.ofNullable(door.get())).frontDoorForInstances("http://127.0.0.1:7070"))
                .as("a wrapper passes the engine's answer on").isEmpty();
        wrapped.released("orders", 1);
        wrapped.deleted("orders");
        assertThat(heard).containsExactly("released orders from 1", "deleted orders");
    }
}
