package org.sluice.lifecycle;

import java.util.Optional;
import java.util.OptionalLong;


/**
 * One entry of the operation log.
 *
 * @param requestId the request id given when the operation was accepted
 * @param service   the service it acted on
 * @param operation the operation
 * @param requester who asked for it
 * @param startedMs when it was accepted
 * @param endedMs   when it ended; empty while it runs
 * @param outcome   how it ended
 * @param error     why it failed, if it did
 */
public record OperationRecord(String requestId, String service, Operation operation, String requester,
                              long startedMs, OptionalLong endedMs, Outcome outcome, Optional<String> error) {
}
