package org.sluice.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.sluice.console.viewmodel.KeyPlace;

/** A keychain in memory: its entries by connection, and a failure to give when told to. */
class MemorySecrets implements SecretStore {
    final Map<String, String> entries = new LinkedHashMap<>();
    /** When set, reading a key fails with it, as a locked or refusing keychain does. */
    IOException refusing;
    int puts;

    @Override
    public KeyPlace place() {
        return KeyPlace.MACOS_KEYCHAIN;
    }

    @Override
    public void put(String connection, String key) {
        puts++;
        entries.put(connection, key);
    }

    @Override
    public String get(String connection) throws IOException {
        if (refusing != null) {
            throw refusing;
        }
        String key = entries.get(connection);
        if (key == null) {
            throw new IOException("No entry for " + connection);
        }
        return key;
    }

    @Override
    public void delete(String connection) throws IOException {
        if (entries.remove(connection) == null) {
            throw new IOException("No entry for " + connection);
        }
    }
}
