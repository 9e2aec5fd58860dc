package org.sluice.fleet;

import java.util.concurrent.CompletableFuture;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;

/**
 * An accepted operation.
 *
 * @param requestId  the id under which the operation log records it
 * @param service    the service it acts on
 * @param operation  the operation
 * @param completion completes with the outcome when the operation ends (never exceptionally)
 */
public record OperationTicket(String requestId, String service, Operation operation,
                              CompletableFuture<OperationRecord> completion) {
}
