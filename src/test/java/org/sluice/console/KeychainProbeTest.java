package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.console.viewmodel.KeyPlace;
import org.sluice.console.viewmodel.RememberedConnection;

/** Choosing where keys go never waits past its bound, and falls back to the file whenever the keychain does not answer. */
@Timeout(30)
class KeychainProbeTest {
    private static final Duration BOUND = Duration.ofSeconds(3);

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @TempDir
    Path folder;

    @Test
    void onThisMachineWithoutASecretServiceTheFileIsChosenWithinTheBound() throws IOException {
        long start = System.nanoTime();
        KeychainProbe probe = KeychainProbe.start(System.getProperty("os.name"), System.getenv(), BOUND);
        ConnectionsFile connections = new ConnectionsFile(folder, probe::store);
        assertThat(connections.keyPlace()).isEqualTo(KeyPlace.FILE);
        assertThat(millisSince(start)).isLessThan(BOUND.toMillis());
        assertThat(probe.store()).isEmpty();

        connections.save(List.of(new RememberedConnection("branch", URI.create("https://10.0.0.5:7071"), "owner", "AB:CD",
                Optional.of("the-key"))));
        assertThat(Files.readString(connections.file())).contains("\"key\" : \"the-key\"");
    }

    @Test
    void aSessionBusThatIsNotThereIsNoKeychain() {
        long start = System.nanoTime();
        Optional<SecretStore> chosen = KeychainProbe.start("Linux",
                Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sluice-test/bus"), BOUND).store();
        assertThat(chosen).isEmpty();
        assertThat(millisSince(start)).isLessThan(BOUND.toMillis());
    }

    @Test
    void aLinuxSessionWithoutABusAddressIsNoKeychain() {
        assertThat(KeychainProbe.start("Linux", Map.of(), BOUND).store()).isEmpty();
    }

    @Test
    void aProbeThatHangsIsGivenUpAtTheBoundAndTheChoiceStays() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        KeychainProbe probe = KeychainProbe.start(() -> {
            never.await();
            return Optional.of(new MemorySecrets());
        }, Duration.ofMillis(200));
        assertThat(probe.store()).isEmpty();
        assertThat(millisSince(start)).isBetween(150L, 2_000L);
        never.countDown();
        // Decided once: a late answer does not move the keys somewhere else halfway through a run.
        assertThat(probe.store()).isEmpty();
    }

    @Test
    void aProbeThatFailsIsNoKeychainAndOneThatAnswersIsUsed() {
        assertThat(KeychainProbe.start(() -> {
            throw new UnsatisfiedLinkError("no libsecurity");
        }, BOUND).store()).isEmpty();
        MemorySecrets secrets = new MemorySecrets();
        assertThat(KeychainProbe.start(() -> Optional.of(secrets), BOUND).store()).containsSame(secrets);
    }
}
