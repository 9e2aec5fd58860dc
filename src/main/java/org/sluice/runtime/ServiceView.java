package org.sluice.runtime;

import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/** A service as the host has it now. */
public record ServiceView(ServiceDefinition definition, ServiceState state, Optional<Operation> running,
                          List<InstanceView> instances, Optional<OperationRecord> lastOperation) {
    public String name() {
        return definition.name();
    }
}
