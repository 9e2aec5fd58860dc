package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.util.ResourceLeakDetector;

/** What the door's transport sets up in Netty besides the loops (decision 0063). */
class DoorTransportTest {
    private String given;
    private ResourceLeakDetector.Level before;

    @BeforeEach
    void remember() {
        given = System.getProperty(DoorTransport.NETTY_LEAK_DETECTION);
        before = ResourceLeakDetector.getLevel();
    }

    @AfterEach
    void restore() {
        if (given == null) {
            System.clearProperty(DoorTransport.NETTY_LEAK_DETECTION);
        } else {
            System.setProperty(DoorTransport.NETTY_LEAK_DETECTION, given);
        }
        ResourceLeakDetector.setLevel(before);
    }

    @Test
    void nettysTrackingOfBuffersIsOffUnlessItsLevelIsGiven() {
        System.clearProperty(DoorTransport.NETTY_LEAK_DETECTION);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);

        DoorTransport.choose();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aLevelGivenOnTheCommandLineIsLeftAsItIs() {
        System.setProperty(DoorTransport.NETTY_LEAK_DETECTION, "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);

        DoorTransport.choose();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}
