package org.sluice.runtime.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.sluice.lifecycle.Operation;

/**
 * Which entries of the operation log to list. Every filter is optional; those given must all
 * match. Build one from {@link #all()} with the {@code with…} methods.
 *
 * @param fromMs    only operations started at or after this time
 * @param toMs      only operations started before this time
 * @param service   only operations on this service
 * @param operation only this operation
 * @param outcome   only operations that ended this way (running ones have no outcome)
 * @param limit     at most this many entries, the newest
 */
public record OperationQuery(OptionalLong fromMs, OptionalLong toMs, Optional<String> service,
                             Optional<Operation> operation, Optional<Outcome> outcome, int limit) {

    /** The limit of {@link #all()}. */
    public static final int DEFAULT_LIMIT = 1000;

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

    /** Every operation, newest first, up to {@link #DEFAULT_LIMIT}. */
    public static OperationQuery all() {
        return new OperationQuery(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
    }

    /** Operations started in {@code [fromMs, toMs)}. */
    public OperationQuery withRange(long from, long to) {
        return new OperationQuery(OptionalLong.of(from), OptionalLong.of(to), service, operation, outcome, limit);
    }

    public OperationQuery withService(String name) {
        return new OperationQuery(fromMs, toMs, Optional.of(name), operation, outcome, limit);
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
