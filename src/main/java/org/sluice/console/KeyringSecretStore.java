package org.sluice.console;

import java.io.IOException;

import com.github.javakeyring.Keyring;

import org.sluice.console.viewmodel.KeyPlace;

/**
 * Keys in the platform's keychain through java-keyring: the macOS Keychain, the Windows Credential
 * Manager, or the freedesktop Secret Service. Each key is an entry of the service
 * {@value #SERVICE} under the connection's name. {@link KeychainProbe} makes it, once it has seen
 * the keychain answer.
 */
final class KeyringSecretStore implements SecretStore {
    /** The service the entries are kept under, as the keychain's own tools list it. */
    static final String SERVICE = "Sluice Console";

    private final Keyring keyring;
    private final KeyPlace place;

    KeyringSecretStore(Keyring keyring, KeyPlace place) {
        this.keyring = keyring;
        this.place = place;
    }

    @Override
    public KeyPlace place() {
        return place;
    }

    @Override
    public synchronized void put(String connection, String key) throws IOException {
        try {
            keyring.setPassword(SERVICE, connection, key);
        } catch (Exception e) {
            throw new IOException(String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public synchronized String get(String connection) throws IOException {
        String key;
        try {
            key = keyring.getPassword(SERVICE, connection);
        } catch (Exception e) {
            throw new IOException(String.valueOf(e.getMessage()), e);
        }
        if (key == null || key.isBlank()) {
            throw new IOException("no key is kept for " + connection);
        }
        return key;
    }

    @Override
    public synchronized void delete(String connection) throws IOException {
        try {
            keyring.deletePassword(SERVICE, connection);
        } catch (Exception e) {
            throw new IOException(String.valueOf(e.getMessage()), e);
        }
    }
}
