package org.sluice.runtime.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/**
 * Run in a child JVM by {@link StoreCrashTest}: writes to a store, then halts the JVM without
 * closing anything, as a crash or a kill would.
 */
public final class CrashingWriter {
    static final int HALTED = 3;

    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Store store = Store.open(Path.of(args[0]));
        ServiceDefinition definition = new ServiceDefinition("orders", 2, 1, 256, ServiceDefinition.Validation.JSON,
                null, null, "dir:/tmp/out");
        store.operationStarted(new OperationRecord("req-1", "orders", Operation.START, "ops@example.org", 1_000,
                OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
        store.saveService(new StoredService(definition, ServiceState.STARTING, null, Operation.START, "req-1", ServiceState.STOPPED, 1_000));
        store.operationStarted(new OperationRecord("req-0", "orders", Operation.CREATE, "ops@example.org", 500,
                OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
        store.operationEnded(new OperationRecord("req-0", "orders", Operation.CREATE, "ops@example.org", 500,
                OptionalLong.of(900), Outcome.SUCCEEDED, Optional.empty()));
        Runtime.getRuntime().halt(HALTED);
    }
}
