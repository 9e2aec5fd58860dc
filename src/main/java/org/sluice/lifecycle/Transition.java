package org.sluice.lifecycle;

import java.util.Objects;
import java.util.Optional;

/**
 * One operation under way: where it started, what the service shows while it runs, and where it
 * lands when it succeeds or fails.
 *
 * @param operation the operation
 * @param from      the resting state it began in; empty for {@link Operation#CREATE} and
 *                  {@link Operation#RESTORE}, which bring a new service into being
 * @param running   the transitional state shown while it runs
 * @param onSuccess the state on success; empty when success removes the service ({@link Operation#DELETE})
 * @param onFailure the state on failure
 */
public record Transition(Operation operation, Optional<ServiceState> from, ServiceState running,
                         Optional<ServiceState> onSuccess, ServiceState onFailure) {

    public Transition {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(onSuccess, "onSuccess");
        Objects.requireNonNull(onFailure, "onFailure");
        if (!running.isTransitional()) {
            throw new IllegalArgumentException(running + " is not a transitional state");
        }
    }

    /** True when success removes the service rather than leaving it in a state. */
    public boolean removesOnSuccess() {
        return onSuccess.isEmpty();
    }

    /** The same transition landing in {@code state} on success (Enable returns to the state before Disable). */
    Transition withSuccess(ServiceState state) {
        return new Transition(operation, from, running, Optional.of(state), onFailure);
    }
}
