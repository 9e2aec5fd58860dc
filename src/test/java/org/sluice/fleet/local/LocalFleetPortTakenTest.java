package org.sluice.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's own host on this machine: when another program holds the front door's usual port,
 * the door opens on a free one instead of the console failing to open.
 */
@Timeout(60)
class LocalFleetPortTakenTest {
    @Test
    void aFrontDoorPortThatIsTakenGivesWayToAFreeOne(@TempDir Path data) throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int taken = other.getLocalPort();

            try (LocalFleet fleet = LocalFleet.openOnThisMachine(data, taken, "console:test", false)) {
                String endpoint = fleet.endpoint("orders");
                assertThat(endpoint).startsWith("http://127.0.0.1:").doesNotContain(":" + taken + "/");
            }
        }
    }
}
