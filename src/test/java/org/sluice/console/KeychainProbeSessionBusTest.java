package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The Linux probe against a real session bus of its own (a private dbus-daemon, where one is
 * installed) with a stand-in for the Secret Service that has only its default collection's
 * {@code Locked}: a locked collection, which java-keyring would unlock with a password prompt, is
 * no keychain; an unlocked one is; and a bus without a Secret Service is none.
 */
@Timeout(60)
@EnabledIf("busDaemonInstalled")
class KeychainProbeSessionBusTest {
    private static final Path DAEMON = Path.of("/usr/bin/dbus-daemon");

    static boolean busDaemonInstalled() {
        return Files.isExecutable(DAEMON);
    }

    private Process daemon;
    private String address;
    private DBusConnection service;

    @BeforeEach
    void startBus() throws Exception {
        daemon = new ProcessBuilder(DAEMON.toString(), "--session", "--nofork", "--print-address=1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        address = out.readLine();
        assertThat(address).startsWith("unix:");
    }

    @AfterEach
    void stopBus() throws Exception {
        if (service != null) {
            service.close();
        }
        daemon.destroy();
        daemon.waitFor();
    }

    /** A Secret Service that is only a default collection, locked or not. */
    private void secretService(boolean locked) throws Exception {
        service = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        service.exportObject("/org/freedesktop/secrets/aliases/default", new Collection(locked));
        service.requestBusName("org.freedesktop.secrets");
    }

    @Test
    void aBusWithoutASecretServiceIsNoKeychain() throws Exception {
        assertThat(KeychainProbe.secretServiceUnlocked(address)).isFalse();
        assertThat(KeychainProbe.start("Linux", Map.of("DBUS_SESSION_BUS_ADDRESS", address), Duration.ofSeconds(5)).store()).isEmpty();
    }

    @Test
    void aLockedDefaultCollectionIsNoKeychainRatherThanAPasswordPrompt() throws Exception {
        secretService(true);
        assertThat(KeychainProbe.secretServiceUnlocked(address)).isFalse();
    }

    @Test
    void anUnlockedDefaultCollectionIsAKeychain() throws Exception {
        secretService(false);
        assertThat(KeychainProbe.secretServiceUnlocked(address)).isTrue();
    }

    private record Collection(boolean locked) implements Properties {
        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String interfaceName, String propertyName) {
            return (A) Boolean.valueOf(locked);
        }

        @Override
        public <A> void Set(String interfaceName, String propertyName, A value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Variant<?>> GetAll(String interfaceName) {
            return Map.of("Locked", new Variant<>(locked));
        }

        @Override
        public String getObjectPath() {
            return "/org/freedesktop/secrets/aliases/default";
        }
    }
}
