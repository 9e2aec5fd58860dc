package org.sluice.fleet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/**
 * A service as it is now.
 *
 * @param definition    its definition; its name is the one the service has on its host
 * @param state         its state, transitional while an operation runs
 * @param running       the operation running now
 * @param instances     its role instances
 * @param lastOperation the most recent operation, running or ended
 * @param endpoint      the address that receives its messages
 * @param host          the host it runs on, as the console names it; {@link #THIS_HOST} for the
 *                      fleet's own host
 */
public record ServiceSnapshot(ServiceDefinition definition, ServiceState state, Optional<Operation> running,
                              List<InstanceSnapshot> instances, Optional<OperationRecord> lastOperation, String endpoint,
                              String host) {
    /** The host of a fleet that has just one. */
    public static final String THIS_HOST = "";
    /** Between a host's name and a service's in a name that is unique across hosts; no service name has it. */
    public static final char HOST_SEPARATOR = '/';

    public ServiceSnapshot {
        Objects.requireNonNull(host, "host");
    }

    /** A service of the fleet's own host. */
    public ServiceSnapshot(ServiceDefinition definition, ServiceState state, Optional<Operation> running,
                           List<InstanceSnapshot> instances, Optional<OperationRecord> lastOperation, String endpoint) {
        this(definition, state, running, instances, lastOperation, endpoint, THIS_HOST);
    }

    /** Its name across the fleet: the definition's name, after {@code host/} when it runs on another host. */
    public String name() {
        return qualified(host, definition.name());
    }

    /** {@code name} on {@code host}, as the fleet names it. */
    public static String qualified(String host, String name) {
        return host.isEmpty() ? name : host + HOST_SEPARATOR + name;
    }
}
