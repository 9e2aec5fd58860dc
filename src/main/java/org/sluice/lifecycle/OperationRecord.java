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
 * @param problem   why it failed as a code and arguments, beside {@code error}; empty when it did not
 *                  fail, and from a host older than problems
 */
public record OperationRecord(String requestId, String service, Operation operation, String requester,
                              long startedMs, OptionalLong endedMs, Outcome outcome, Optional<String> error,
                              Optional<InstanceCrash> crash, Optional<Problem> problem) {
    /** The requester of the entries the host writes on its own. */
    public static final String HOST = "host";

    public OperationRecord {
        Objects.requireNonNull(crash, "crash");
        Objects.requireNonNull(problem, "problem");
        if (operation != null && operation.byHost() != crash.isPresent()) {
            throw new IllegalArgumentException(operation.byHost()
                    ? operation.chartName() + " names the instance that crashed" : operation.chartName() + " is not about a crash");
        }
    }

    /** An entry without a problem. */
    public OperationRecord(String requestId, String service, Operation operation, String requester,
                           long startedMs, OptionalLong endedMs, Outcome outcome, Optional<String> error,
                           Optional<InstanceCrash> crash) {
        this(requestId, service, operation, requester, startedMs, endedMs, outcome, error, crash, Optional.empty());
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

    /** This entry, ended at {@code endedMs} with {@code outcome}, {@code error} and its {@code problem}. */
    public OperationRecord ended(long endedMs, Outcome outcome, String error, Problem problem) {
        return new OperationRecord(requestId, service, operation, requester, startedMs, OptionalLong.of(endedMs), outcome,
                Optional.of(error), crash, Optional.of(problem));
    }
}
