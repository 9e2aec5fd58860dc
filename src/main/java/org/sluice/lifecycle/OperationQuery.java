package org.sluice.lifecycle;

import java.util.Optional;


/**
 * A filter on the operation log; every part is optional.
 *
 * @param fromMs    entries started at or after this time
 * @param toMs      entries started before this time
 * @param service   entries of this service
 * @param operation entries of this operation
 * @param outcome   entries with this outcome
 * @param limit     at most this many entries, newest first
 */
public record OperationQuery(Optional<Long> fromMs, Optional<Long> toMs, Optional<String> service,
                             Optional<Operation> operation, Optional<Outcome> outcome, int limit) {

    /** Everything, up to {@code limit} entries. */
    public static OperationQuery all(int limit) {
        return new OperationQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public OperationQuery forService(String name) {
        return new OperationQuery(fromMs, toMs, Optional.of(name), operation, outcome, limit);
    }
}
