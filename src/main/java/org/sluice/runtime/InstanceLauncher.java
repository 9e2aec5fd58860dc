package org.sluice.runtime;

import java.io.IOException;

import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;

/** Starts role instances. The host's real launcher starts child JVMs; tests may start something lighter. */
@FunctionalInterface
public interface InstanceLauncher {

    /**
     * Starts instance {@code index} of {@code definition}.
     *
     * @param suspended start refusing messages and without pulling, until resumed
     * @param listener  receives the instance's events
     * @throws IOException when the process cannot even be started
     */
    RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener) throws IOException;

    /**
     * What instance {@code index} of {@code service} wrote to its standard error, from
     * {@code offset} (negative: the last {@code maxBytes}), at most {@code maxBytes}. A launcher
     * whose instances keep no log has nothing to show.
     */
    default InstanceLog log(String service, int index, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        return InstanceLog.none(run, false, false);
    }
}
