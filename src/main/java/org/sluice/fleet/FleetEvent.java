package org.sluice.fleet;

import java.util.Optional;

import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleTransition;

/** Something that happened in the fleet. Events of one service arrive in the order they happened. */
public sealed interface FleetEvent {

    /** The service the event is about; empty for an event about a host ({@link EngineStatusChanged}). */
    String service();

    /** A service came into being (Create, Restore) or was found at start. */
    record ServiceAdded(String service, ServiceSnapshot snapshot) implements FleetEvent {
    }

    /** A service was deleted. */
    record ServiceRemoved(String service) implements FleetEvent {
    }

    /** A service's state changed; {@code running} is the operation under way, if any. */
    record ServiceStateChanged(String service, ServiceState state, Optional<Operation> running) implements FleetEvent {
    }

    /** A service's definition changed (Scale, UpdateConfiguration). */
    record DefinitionChanged(String service, ServiceSnapshot snapshot) implements FleetEvent {
    }

    /** An operation was accepted or ended; the record says which. */
    record OperationProgress(String service, OperationRecord record) implements FleetEvent {
    }

    /**
     * A role instance's process started, became ready, stopped or failed; {@code cause} says what
     * {@code crashesInARow} counts: crashes, or tries to start it again after a host restart.
     */
    record InstanceStatusChanged(String service, int index, InstanceStatus status, Optional<String> message, int crashesInARow,
            RestartCause cause) implements FleetEvent {

        public InstanceStatusChanged {
            java.util.Objects.requireNonNull(cause, "cause");
        }

        /** A change that crashes of the instance's own brought about, if any. */
        public InstanceStatusChanged(String service, int index, InstanceStatus status, Optional<String> message, int crashesInARow) {
            this(service, index, status, message, crashesInARow, RestartCause.CRASH);
        }

        /** A change that no crash brought about. */
        public InstanceStatusChanged(String service, int index, InstanceStatus status, Optional<String> message) {
            this(service, index, status, message, 0);
        }
    }

    /** A role instance reported a measurement. */
    record InstanceSampled(String service, int index, InstanceSample sample) implements FleetEvent {
    }

    /** A role instance's throttle state or causes changed. */
    record ThrottleChanged(String service, int index, ThrottleTransition transition) implements FleetEvent {
    }

    /** A role instance reported a problem the operator should see (a file moved to error, a failing destination). */
    record InstanceProblem(String service, int index, String message) implements FleetEvent {
    }

    /**
     * The engine that runs the instances of {@code host} ({@link ServiceSnapshot#THIS_HOST} for the
     * fleet's own) became available or unavailable, or is unavailable for another reason now.
     */
    record EngineStatusChanged(String host, EngineStatus status) implements FleetEvent {
        /** About no service: empty. */
        @Override
        public String service() {
            return "";
        }
    }
}
