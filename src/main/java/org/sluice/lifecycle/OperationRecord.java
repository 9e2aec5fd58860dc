package org.sluice.lifecycle;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;


/**
 * One entry of the operation log: an operation someone asked for, or something the host did on
 * its own ({@link Operation#byHost()}), such as starting a crashed instance again.
 *
 * @param requestId the request id given when the operation was accepted
 * @param service   the service it acted on
 * @param operation the operation
 * @param requester who asked for it; {@value #HOST} for what the host did on its own
 * @param startedMs when it was accepted
 * @param endedMs   when it ended; empty while it runs
 * @param outcome   how it ended
 * @param error     why it failed, if it did
 * @param crash     on the host's own entries, the instance that crashed and how; empty on the others
 */
public record OperationRecord(String requestId, String service, Operation operation, String requester,
                              long startedMs, OptionalLong endedMs, Outcome outcome, Optional<String> error,
                              Optional<InstanceCrash> crash) {
    /** The requester of the entries the host writes on its own. */
    public static final String HOST = "host";

    public OperationRecord {
        Objects.requireNonNull(crash, "crash");
        if (operation != null && operation.byHost() != crash.isPresent()) {
            throw new IllegalArgumentException(operation.byHost()
                    ? operation.chartName() + " names the instance that crashed" : operation.chartName() + " is not about a crash");
        }
    }

    /** An entry of an operation someone asked for. */
    public OperationRecord(String requestId, String service, Operation operation, String requester,
                           long startedMs, OptionalLong endedMs, Outcome outcome, Optional<String> error) {
        this(requestId, service, operation, requester, startedMs, endedMs, outcome, error, Optional.empty());
    }

    /** This entry, ended at {@code endedMs} with {@code outcome} and {@code error}. */
    public OperationRecord ended(long endedMs, Outcome outcome, Optional<String> error) {
        return new OperationRecord(requestId, service, operation, requester, startedMs, OptionalLong.of(endedMs), outcome, error, crash);
    }
}
