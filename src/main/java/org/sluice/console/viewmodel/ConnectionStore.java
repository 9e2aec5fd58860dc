package org.sluice.console.viewmodel;

import java.io.IOException;
import java.util.List;

/**
 * Where the console keeps its connections to remote hosts between runs. Every call may do I/O or
 * wait for the keychain's answer: view models call them through the {@link BackgroundExecutor}.
 */
public interface ConnectionStore {

    /**
     * The connections kept, in the order they were made; none when nothing was kept yet. A key the
     * keychain did not give back leaves its connection without one, saying why
     * ({@link RememberedConnection#keyNotGiven()}).
     */
    List<RememberedConnection> load() throws IOException;

    /** Keeps exactly {@code connections}, replacing what was kept; keys of connections no longer kept are forgotten. */
    void save(List<RememberedConnection> connections) throws IOException;

    /** Where a key to be remembered goes. */
    default KeyPlace keyPlace() {
        return KeyPlace.FILE;
    }
}
