package org.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.InstanceConnector;
import org.sluice.runtime.InstanceLauncher;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.RoleInstance;

/**
 * The simulation's engine: each instance the host launches is bound to one of the already running
 * {@link FakeInstances} (the next free address, kept for that service and number), as the
 * Kubernetes engine binds a ready pod, and reached there through the host's real
 * {@link InstanceConnector}. Nothing is started; a launch beyond the fakes there are fails as a pod
 * that never comes would.
 */
final class FakePodLauncher implements InstanceLauncher {
    private final InstanceConnector connector;
    private final String token;
    private final int slots;
    private final Map<String, Integer> bound = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    FakePodLauncher(InstanceConnector connector, String token, int slots) {
        this.connector = connector;
        this.token = token;
        this.slots = slots;
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener)
            throws IOException {
        int slot = bound.computeIfAbsent(definition.name() + "#" + index, key -> next.getAndIncrement());
        if (slot >= slots) {
            throw new IOException("no simulated instance is left for " + definition.name() + " instance " + index + ": all "
                    + slots + " are bound; start FakeInstances with more");
        }
        InetSocketAddress address = FakeInstances.address(slot);
        RoleInstance instance = connector.connect(definition.name(), index, address, token, listener);
        if (suspended) {
            // A pod starts open; a service that was Suspended is suspended as soon as it is ready.
            instance.ready().thenCompose(port -> instance.suspend()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    System.err.println("simulation: " + definition.name() + " instance " + index
                            + " was not suspended after its launch: " + failure);
                }
            });
        }
        return instance;
    }
}
