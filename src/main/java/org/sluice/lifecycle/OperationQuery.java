package org.sluice.lifecycle;

import java.util.Objects;
import java.util.Optional;


/**
 * A filter on the operation log; every part is optional, and those given must all match. Start
 * from {@link #all(int)} and narrow with the {@code with…} methods.
 *
 * @param fromMs    entries started at or after this time
 * @param toMs      entries started before this time
 * @param service   entries of this service
 * @param operation entries of this operation
 * @param outcome   entries with this outcome; {@link Outcome#RUNNING} asks for those not ended
 * @param limit     at most this many entries, newest first, counted after the other filters
 */
public record OperationQuery(Optional<Long> fromMs, Optional<Long> toMs, Optional<String> service,
                             Optional<Operation> operation, Optional<Outcome> outcome, int limit) {

    /**
     * @throws IllegalArgumentException when {@code limit} is below 1, which would ask for nothing
     */
    public OperationQuery {
        Objects.requireNonNull(fromMs, "fromMs");
        Objects.requireNonNull(toMs, "toMs");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Everything, up to {@code limit} entries. */
    public static OperationQuery all(int limit) {
        return new OperationQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public OperationQuery forService(String name) {
        return new OperationQuery(fromMs, toMs, Optional.of(name), operation, outcome, limit);
    }

    /** Entries started in {@code [from, to)}, epoch milliseconds. */
    public OperationQuery withRange(long from, long to) {
        return new OperationQuery(Optional.of(from), Optional.of(to), service, operation, outcome, limit);
    }

    public OperationQuery withOperation(Operation op) {
        return new OperationQuery(fromMs, toMs, service, Optional.of(op), outcome, limit);
    }

    public OperationQuery withOutcome(Outcome ended) {
        return new OperationQuery(fromMs, toMs, service, operation, Optional.of(ended), limit);
    }

    public OperationQuery withLimit(int max) {
        return new OperationQuery(fromMs, toMs, service, operation, outcome, max);
    }
}
