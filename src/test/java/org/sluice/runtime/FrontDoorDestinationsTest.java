package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.ServiceDefinition;

/** A destination on the front door is given to an instance at the port the door has when it starts. */
class FrontDoorDestinationsTest {
    private final FakeLauncher fake = new FakeLauncher();
    private final AtomicInteger port = new AtomicInteger(7070);
    private final FrontDoorDestinations launcher = new FrontDoorDestinations(fake, port::get);

    private static ServiceDefinition delivering(String destination) {
        return new ServiceDefinition("slow-partner", 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, destination);
    }

    @Test
    void aFrontDoorDestinationFollowsTheDoorsPortFromOneStartToTheNext() throws Exception {
        launcher.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { });
        port.set(7072);
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
        port.set(-1);
        assertThatThrownBy(() -> launcher.launch(delivering("door:/demo/slow-partner"), 0, false, event -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("door:/demo/slow-partner").hasMessageContaining("front door");
        assertThat(fake.launched).isEmpty();
    }

    @Test
    void aFrontDoorDestinationIsAPathThatStartsWithASlash() {
        assertThat(delivering("door:/demo/slow-partner").problems()).isEmpty();
        assertThat(delivering("door:demo").problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("destination"));
        assertThat(delivering("door:").problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("destination"));
    }
}
