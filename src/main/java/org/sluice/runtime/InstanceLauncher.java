package org.sluice.runtime;

import java.io.IOException;

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
}
