package org.sluice.runtime;

import java.io.IOException;
import java.util.function.IntSupplier;

import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * Gives each instance whose destination is on the host's own front door
 * ({@link ServiceDefinition#FRONT_DOOR}, {@code door:/PATH}) the door's address as it is when the
 * instance starts. The service keeps {@code door:/PATH}: a later run whose door has another port
 * (7070 taken) delivers there all the same, and whoever edits the destination reads what it means.
 */
final class FrontDoorDestinations implements InstanceLauncher {
    private final InstanceLauncher launcher;
    private final IntSupplier port;

    /** @param port the front door's port, or a negative number while it is not open */
    FrontDoorDestinations(InstanceLauncher launcher, IntSupplier port) {
        this.launcher = launcher;
        this.port = port;
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener) throws IOException {
        String destination = definition.destination();
        if (destination == null || !destination.startsWith(ServiceDefinition.FRONT_DOOR)) {
            return launcher.launch(definition, index, suspended, listener);
        }
        int now = port.getAsInt();
        if (now < 0) {
            throw new IOException(definition.name() + " delivers to " + destination + ", on this host's front door, which is not open;"
                    + " start the host with its front door, or give the service another destination");
        }
        String address = FrontDoor.address(now, destination.substring(ServiceDefinition.FRONT_DOOR.length()));
        return launcher.launch(definition.withDestination(address), index, suspended, listener);
    }

    @Override
    public InstanceLog log(String service, int index, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        return launcher.log(service, index, run, offset, maxBytes);
    }

    @Override
    public boolean restartsInstances() {
        return launcher.restartsInstances();
    }

    @Override
    public void released(String service, int from) throws IOException {
        launcher.released(service, from);
    }

    @Override
    public void deleted(String service) throws IOException {
        launcher.deleted(service);
    }
}
