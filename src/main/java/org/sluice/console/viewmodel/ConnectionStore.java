package org.sluice.console.viewmodel;

import java.io.IOException;
import java.util.List;

/**
 * Where the console keeps its connections to remote hosts between runs. Both calls do I/O: view
 * models call them through the {@link BackgroundExecutor}.
 */
public interface ConnectionStore {

    /** The connections kept, in the order they were made; none when nothing was kept yet. */
    List<RememberedConnection> load() throws IOException;

    /** Keeps exactly {@code connections}, replacing what was kept. */
    void save(List<RememberedConnection> connections) throws IOException;
}
