package org.sluice.console;

import java.io.IOException;

import org.sluice.console.viewmodel.KeyPlace;

/**
 * A place outside the console's files that keeps a secret for each connection, by the connection's
 * name: the platform's keychain ({@link KeyringSecretStore}). {@link ConnectionsFile} keeps the
 * rest of a connection and, where the key was, only a marker. Every call may wait for the keychain
 * and is made off the FX thread. See {@code docs/decisions/0051-keys-in-the-os-keychain.md}.
 */
interface SecretStore {

    /** Which keychain this is, for the dialogs to name it. */
    KeyPlace place();

    /** Keeps {@code key} for {@code connection}, replacing the one kept. */
    void put(String connection, String key) throws IOException;

    /** The key kept for {@code connection}; an exception when there is none or the keychain does not give it. */
    String get(String connection) throws IOException;

    /** Forgets the key kept for {@code connection}. */
    void delete(String connection) throws IOException;
}
