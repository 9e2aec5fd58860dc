package org.sluice.runtime.store;

import java.util.Objects;
import java.util.Optional;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/**
 * A service as the store keeps it: enough to rebuild its lifecycle after a restart.
 *
 * @param definition         what the service is; its name is the key
 * @param state              the state it shows, resting or transitional
 * @param stateBeforeDisable the state to return to on Enable, or {@code null} when it is not
 *                           disabled (or was disabled before this was remembered)
 * @param runningOperation   the operation running on it, or {@code null}
 * @param runningRequestId   the request id of that operation in the operation log, or
 *                           {@code null}; present exactly when {@code runningOperation} is
 * @param runningFrom        the resting state that operation began in, or {@code null} (none
 *                           running, or Create and Restore, which begin in no state); after a
 *                           crash it says where an interrupted Backup or Delete lands
 * @param updatedMs          when this row was last written, epoch milliseconds
 */
public record StoredService(ServiceDefinition definition, ServiceState state, ServiceState stateBeforeDisable,
                            Operation runningOperation, String runningRequestId, ServiceState runningFrom,
                            long updatedMs) {

    public StoredService {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(state, "state");
        if (definition.name() == null || definition.name().isBlank()) {
            throw new IllegalArgumentException("a stored service needs a name");
        }
        if ((runningOperation == null) != (runningRequestId == null)) {
            throw new IllegalArgumentException("a running operation and its request id go together");
        }
    }

    /** A service resting in {@code state} with no operation running. */
    public static StoredService resting(ServiceDefinition definition, ServiceState state, long updatedMs) {
        return new StoredService(definition, state, null, null, null, null, updatedMs);
    }

    /** The service's name, from its definition. */
    public String name() {
        return definition.name();
    }

    /** The state to return to on Enable, if remembered. */
    public Optional<ServiceState> beforeDisable() {
        return Optional.ofNullable(stateBeforeDisable);
    }

    /** The operation running on the service, if any. */
    public Optional<Operation> running() {
        return Optional.ofNullable(runningOperation);
    }
}
