package org.sluice.runtime;

import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.OperationRecord;

/** Receives the host's events, in order, on the host's event thread. */
public interface HostListener {

    /** A service appeared, or its state, running operation or definition changed. */
    void serviceChanged(ServiceView service);

    /** A service was deleted. */
    void serviceRemoved(String name);

    /** An operation was accepted or ended. */
    void operationProgress(OperationRecord record);

    /** A role instance reported something, or its process started or ended. */
    void instanceEvent(String service, InstanceView instance, InstanceEvent event);

    /** The engine that runs the host's instances became available, or unavailable, or unavailable for another reason. */
    default void engineStatusChanged(EngineStatus status) {
    }
}
