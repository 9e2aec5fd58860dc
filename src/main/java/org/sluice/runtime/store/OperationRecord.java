package org.sluice.runtime.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.sluice.lifecycle.Operation;

/**
 * One entry of the operation log.
 *
 * @param requestId the id the operation was accepted with
 * @param service   the service it acted on (kept after the service is deleted)
 * @param operation the operation
 * @param requester who asked for it
 * @param startedMs when it began, epoch milliseconds
 * @param endedMs   when it ended; empty while it runs
 * @param outcome   how it ended; empty while it runs
 * @param error     what went wrong, for a failed or interrupted operation
 */
public record OperationRecord(String requestId, String service, Operation operation, String requester,
                              long startedMs, OptionalLong endedMs, Optional<Outcome> outcome, Optional<String> error) {

    public OperationRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(endedMs, "endedMs");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(error, "error");
        if (endedMs.isPresent() != outcome.isPresent()) {
            throw new IllegalArgumentException("an operation has an end time exactly when it has an outcome");
        }
    }

    /** True while the operation has not ended. */
    public boolean isRunning() {
        return outcome.isEmpty();
    }
}
