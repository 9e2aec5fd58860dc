package org.sluice.runtime;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import org.sluice.lifecycle.ServiceDefinition;

/**
 * Gives each instance whose destination is on the host's own front door
 * ({@link ServiceDefinition#FRONT_DOOR}, {@code door:/PATH}) the door's address as it is when the
 * instance starts. The service keeps {@code door:/PATH}: a later run whose door has another port
 * (7070 taken) delivers there all the same, and whoever edits the destination reads what it means.
 */
final class FrontDoorDestinations extends ForwardingInstanceLauncher {
    private final Supplier<Optional<String>> door;

    /** @param door the front door's {@code http://HOST:PORT} as this machine reaches it; empty while it is not open */
    FrontDoorDestinations(InstanceLauncher launcher, Supplier<Optional<String>> door) {
        super(launcher);
        this.door = door;
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener) throws IOException {
        String destination = definition.destination();
        if (destination == null || !destination.startsWith(ServiceDefinition.FRONT_DOOR)) {
            return super.launch(definition, index, suspended, listener);
        }
        Optional<String> now = door.get();
        if (now.isEmpty()) {
            throw new IOException(definition.name() + " delivers to " + destination + ", on this host's front door, which is not open;"
                    + " start the host with its front door, or give the service another destination");
        }
        Optional<String> reached = frontDoorForInstances(now.get());
        if (reached.isEmpty()) {
            throw new IOException(definition.name() + " delivers to " + destination + ", on this host's front door at " + now.get()
                    + ", which this engine's instances cannot reach there; start the host with --door-url and the door's address"
                    + " as the instances reach it (on Kubernetes, its Service: http://sluice-door.NAMESPACE.svc:7070),"
                    + " or give the service another destination");
        }
        String address = reached.get() + destination.substring(ServiceDefinition.FRONT_DOOR.length());
        return super.launch(definition.withDestination(address), index, suspended, listener);
    }
}
