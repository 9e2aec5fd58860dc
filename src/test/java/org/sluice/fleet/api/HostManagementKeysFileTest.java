package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.LocalHost;
import org.sluice.runtime.access.HostKeys;

/** The management API's keys taken from a file the operator gives (a Secret in a cluster), not made by the host. */
@Timeout(60)
class HostManagementKeysFileTest {
    @TempDir
    Path data;
    @TempDir
    Path secret;

    @Test
    void theListenerTakesTheKeysOfTheFileAndWritesNoneOfItsOwn() throws Exception {
        String primary = "P".repeat(44);
        Path keys = secret.resolve("keys.json");
        Files.writeString(keys, "{\"issuer\":\"owner\",\"primary\":\"" + primary + "\",\"secondary\":\"" + "S".repeat(44) + "\"}");
        HostManagement.Options options = new HostManagement.Options(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                false, Optional.empty(), Optional.empty(), Optional.of(keys));

        try (LocalHost local = LocalHost.openWithoutInstances(data, 0);
             HostManagement management = HostManagement.open(local, options, "test")) {
            ManagementClient given = new ManagementClient(java.net.URI.create(management.url()), "owner", primary, management.fingerprint());
            ManagementClient other = new ManagementClient(java.net.URI.create(management.url()), "owner", "X".repeat(44), management.fingerprint());

            assertThat(given.get("/services").status()).isEqualTo(200);
            assertThat(other.get("/services").status()).isEqualTo(401);
            assertThat(data.resolve(HostKeys.FILE_NAME)).doesNotExist();
            assertThat(ApiJson.MAPPER.readTree(data.resolve(HostManagement.CONNECTION_FILE).toFile()).path("keys").asText())
                    .isEqualTo(keys.toString());
        }
    }
}
