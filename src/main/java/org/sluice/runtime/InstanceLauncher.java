package org.sluice.runtime;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * Starts role instances. The host's real launcher starts child JVMs; tests may start something
 * lighter. An engine that runs instances elsewhere (Kubernetes) also hears, through the default
 * methods, what the host does to a whole service; a launcher of child JVMs needs none of it.
 */
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

    /**
     * Whether the engine itself starts again an instance that exited without being asked to, as
     * Kubernetes does with a pod's container. Then the host never launches a second copy: it logs
     * the restart and waits for the same instance to say it is ready again (decision 0023).
     */
    default boolean restartsInstances() {
        return false;
    }

    /**
     * The host left instance {@code index} of {@code service} down after too many crashes in a
     * row, or after its last try to start it again when the host restarted: an engine that starts instances again by itself ({@link #restartsInstances()}) stops
     * doing so, and keeps no room for it, until the host launches that instance again. Returns at
     * once; what the engine must be told is told in the background. A launcher of child JVMs has
     * nothing to do: a crashed child stays down.
     */
    default void leftDown(String service, int index) {
    }

    /**
     * The host has stopped the instances of {@code service} numbered {@code from} and up (0 after
     * a Stop): an engine that keeps room for them elsewhere lets it go.
     *
     * @throws IOException when the engine cannot be told; the operation fails with the reason
     */
    default void released(String service, int from) throws IOException {
    }

    /**
     * {@code service} is deleted and its instances are stopped: an engine removes what it made
     * for it.
     *
     * @throws IOException when the engine cannot be told; the Delete fails with the reason
     */
    default void deleted(String service) throws IOException {
    }

    /**
     * Whether the engine can run instances now, and since when. A launcher of child JVMs on the
     * host's machine always can ({@link EngineStatus#LOCAL}).
     */
    default EngineStatus engineStatus() {
        return EngineStatus.LOCAL;
    }

    /**
     * Tells {@code listener} of each change of {@link #engineStatus()} from now on, on whichever
     * thread learns of it. An engine whose status never changes tells nothing.
     */
    default void watchEngine(Consumer<EngineStatus> listener) {
    }

    /**
     * Where this engine's instances reach the host's front door, given {@code onThisMachine}, its
     * {@code http://HOST:PORT} as the host's own machine reaches it; empty when they cannot reach
     * it. Child JVMs on the host's machine reach it there; pods need an address the cluster routes.
     */
    default Optional<String> frontDoorForInstances(String onThisMachine) {
        return Optional.of(onThisMachine);
    }
}
