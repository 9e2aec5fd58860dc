package org.sluice.runtime;

import java.io.IOException;
import java.util.function.IntSupplier;

import org.sluice.lifecycle.ServiceDefinition;

/**
 * Gives each instance whose destination is on the host's own front door
 * ({@link ServiceDefinition#FRONT_DOOR}, {@code door:/PATH}) the door's address as it is when the
 * instance starts. The service keeps {@code door:/PATH}: a later run whose door has another port
 * (7070 taken) delivers there all the same, and whoever edits the destination reads what it means.
 */
final class FrontDoorDestinations extends ForwardingInstanceLauncher {
    private final IntSupplier port;

    /** @param port the front door's port, or a negative number while it is not open */
    FrontDoorDestinations(InstanceLauncher launcher, IntSupplier port) {
        super(launcher);
        this.port = port;
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener) throws IOException {
        String destination = definition.destination();
        if (destination == null || !destination.startsWith(ServiceDefinition.FRONT_DOOR)) {
            return super.launch(definition, index, suspended, listener);
        }
        int now = port.getAsInt();
        if (now < 0) {
            throw new IOException(definition.name() + " delivers to " + destination + ", on this host's front door, which is not open;"
                    + " start the host with its front door, or give the service another destination");
        }
        String address = FrontDoor.address(now, destination.substring(ServiceDefinition.FRONT_DOOR.length()));
        return super.launch(definition.withDestination(address), index, suspended, listener);
    }
}
