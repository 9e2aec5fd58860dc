package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.List;

/** Connections kept in memory, as the console's file keeps them; it counts the saves. */
final class MemoryConnections implements ConnectionStore {
    final List<RememberedConnection> kept = new ArrayList<>();
    int saves;
    KeyPlace place = KeyPlace.FILE;

    @Override
    public List<RememberedConnection> load() {
        return List.copyOf(kept);
    }

    @Override
    public void save(List<RememberedConnection> connections) {
        saves++;
        kept.clear();
        kept.addAll(connections);
    }

    @Override
    public KeyPlace keyPlace() {
        return place;
    }
}
