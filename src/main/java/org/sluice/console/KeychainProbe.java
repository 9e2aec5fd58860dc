package org.sluice.console;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.javakeyring.Keyring;
import com.github.javakeyring.KeyringStorageType;
import com.github.javakeyring.PasswordAccessException;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.console.viewmodel.KeyPlace;

/**
 * Whether this computer's keychain answers, asked once as the console starts, on a thread of its
 * own, and given up after a short bound: the console never waits longer for it, and nothing here
 * may prompt. Anything but a clear answer, a failure, an exception, an error from native code or
 * silence, means no keychain, and the keys stay in the owner-only file as before
 * ({@code docs/decisions/0051-keys-in-the-os-keychain.md}).
 *
 * <ul>
 *   <li>macOS: the Keychain; Windows: the Credential Manager. Each must answer a look-up of an
 *       entry that is not there with "not found".</li>
 *   <li>Linux and other Unixes: only when the session's D-Bus (its address in
 *       {@code DBUS_SESSION_BUS_ADDRESS}) has an owner of {@code org.freedesktop.secrets} and the
 *       default collection is unlocked: a locked one would ask for its password, at a moment the
 *       console does not choose. Servers, containers and CI have no session bus at all.</li>
 * </ul>
 */
final class KeychainProbe {
    /** How long the console waits for the keychain's answer at most, from the start of the probe. */
    static final Duration BOUND = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(KeychainProbe.class);
    private static final String SECRETS = "org.freedesktop.secrets";
    private static final String PROBE_ENTRY = "keychain probe";

    private final CompletableFuture<Optional<SecretStore>> answer;
    private final Duration bound;
    private final long deadlineNanos;
    private Optional<SecretStore> decided;

    private KeychainProbe(CompletableFuture<Optional<SecretStore>> answer, Duration bound) {
        this.answer = answer;
        this.bound = bound;
        this.deadlineNanos = System.nanoTime() + bound.toNanos();
    }

    /** Starts asking this platform's keychain; {@code env} is the process's environment. */
    static KeychainProbe start(String osName, Map<String, String> env, Duration bound) {
        return start(() -> probe(osName, env), bound);
    }

    /**
     * Starts {@code probe} on a daemon thread of its own; what it gives by the bound is the answer.
     * Not on the console's background pool: a native or D-Bus call that never returns would keep
     * one of its workers for the whole run, where this thread is simply left behind.
     */
    static KeychainProbe start(Callable<Optional<SecretStore>> probe, Duration bound) {
        CompletableFuture<Optional<SecretStore>> answer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                answer.complete(probe.call());
            } catch (Throwable e) {
                // Native code that is missing or refuses (JNA, D-Bus) fails with errors as well as exceptions.
                answer.completeExceptionally(e);
            }
        }, "keychain-probe");
        thread.setDaemon(true);
        KeychainProbe started = new KeychainProbe(answer, bound);
        thread.start();
        return started;
    }

    /**
     * The keychain to keep keys in, or none: waits for the probe until the bound at most. Decided
     * once: an answer that comes late does not move keys elsewhere halfway through a run.
     */
    synchronized Optional<SecretStore> store() {
        if (decided == null) {
            decided = waitForAnswer();
            LOG.info("Remembered connection keys go {}", decided.map(s -> "in the " + s.place()).orElse("in connections.json"));
        }
        return decided;
    }

    private Optional<SecretStore> waitForAnswer() {
        try {
            return answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.info("The keychain did not answer within {} ms: keys stay in the file", bound.toMillis());
        } catch (ExecutionException e) {
            LOG.info("No keychain: {}", String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static Optional<SecretStore> probe(String osName, Map<String, String> env) throws Exception {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) {
            return answering(KeyringStorageType.OSX_KEYCHAIN, KeyPlace.MACOS_KEYCHAIN);
        }
        if (os.startsWith("windows")) {
            return answering(KeyringStorageType.WINDOWS_CREDENTIAL_STORE, KeyPlace.WINDOWS_CREDENTIAL_MANAGER);
        }
        String address = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        if (!secretServiceUnlocked(address)) {
            return Optional.empty();
        }
        return answering(KeyringStorageType.GNOME_KEYRING, KeyPlace.SECRET_SERVICE);
    }

    /** Whether a Secret Service is on the session bus at {@code address} with its default collection unlocked. */
    static boolean secretServiceUnlocked(String address) throws Exception {
        try (DBusConnection bus = DBusConnectionBuilder.forAddress(address).withShared(false).build()) {
            DBus daemon = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            if (!daemon.NameHasOwner(SECRETS)) {
                LOG.info("No Secret Service on the session bus");
                return false;
            }
            Properties collection = bus.getRemoteObject(SECRETS, "/org/freedesktop/secrets/aliases/default", Properties.class);
            Object locked = collection.Get("org.freedesktop.Secret.Collection", "Locked");
            if (!Boolean.FALSE.equals(locked)) {
                LOG.info("The Secret Service's default collection is locked: keys stay in the file rather than ask for its password");
                return false;
            }
            return true;
        }
    }

    /**
     * The keychain of {@code type} if it answers a look-up of an entry that is not there with "not
     * found" (or gives it: a probe entry someone made); nothing if it cannot be made.
     */
    private static Optional<SecretStore> answering(KeyringStorageType type, KeyPlace place) throws Exception {
        Keyring keyring = Keyring.create(type);
        try {
            keyring.getPassword(KeyringSecretStore.SERVICE, PROBE_ENTRY);
        } catch (PasswordAccessException notThere) {
            // The answer expected: the keychain is there and looked.
        }
        return Optional.of(new KeyringSecretStore(keyring, place));
    }
}
