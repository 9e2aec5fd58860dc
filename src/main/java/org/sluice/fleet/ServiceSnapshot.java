package org.sluice.fleet;

import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/**
 * A service as it is now.
 *
 * @param definition    its definition
 * @param state         its state, transitional while an operation runs
 * @param running       the operation running now
 * @param instances     its role instances
 * @param lastOperation the most recent operation, running or ended
 * @param endpoint      the address that receives its messages
 */
public record ServiceSnapshot(ServiceDefinition definition, ServiceState state, Optional<Operation> running,
                              List<InstanceSnapshot> instances, Optional<OperationRecord> lastOperation, String endpoint) {

    public String name() {
        return definition.name();
    }
}
