package org.sluice.lifecycle;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of one service: its current state and the operation running on it, changed
 * atomically.
 *
 * <p>Thread-safe. Of many concurrent {@link #begin} calls exactly one wins; the others are refused
 * because the service is then in a transitional state. A refused operation changes nothing.
 */
public final class ServiceLifecycle {
    private final Lifecycle rules;
    private ServiceState state;
    private Transition running;
    private ServiceState beforeDisable;
    private boolean removed;

    private ServiceLifecycle(Lifecycle rules, ServiceState state, Transition running) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.state = state;
        this.running = running;
    }

    /** A service resting in {@code state}, e.g. as read back from storage. */
    public static ServiceLifecycle resting(Lifecycle rules, ServiceState state) {
        return resting(rules, state, null);
    }

    /**
     * A service resting in {@code state} that remembers the state it had before it was disabled,
     * so that Enable returns it there.
     */
    public static ServiceLifecycle resting(Lifecycle rules, ServiceState state, ServiceState beforeDisable) {
        if (!state.isResting()) {
            throw new IllegalArgumentException(state.chartName() + " is not a resting state");
        }
        ServiceLifecycle lifecycle = new ServiceLifecycle(rules, state, null);
        lifecycle.beforeDisable = beforeDisable;
        return lifecycle;
    }

    /** A service being provisioned: it shows Creating until the Create transition ends. */
    public static ServiceLifecycle creating(Lifecycle rules) {
        Transition create = rules.create();
        return new ServiceLifecycle(rules, create.running(), create);
    }

    /** A service being restored from a backup: it shows Restoring until the Restore transition ends. */
    public static ServiceLifecycle restoring(Lifecycle rules) {
        Transition restore = rules.restore();
        return new ServiceLifecycle(rules, restore.running(), restore);
    }

    /**
     * Starts {@code operation}: the service moves to the operation's transitional state.
     *
     * @throws OperationNotAllowedException when the current state does not allow it, when
     *         another operation runs, or when the service has been deleted; nothing changes then
     */
    public synchronized Transition begin(Operation operation) {
        if (removed || running != null) {
            throw new OperationNotAllowedException(state, operation);
        }
        Transition transition = rules.begin(state, operation);
        if (operation == Operation.ENABLE && beforeDisable != null) {
            transition = transition.withSuccess(beforeDisable);
        }
        if (operation == Operation.DISABLE) {
            beforeDisable = state;
        }
        running = transition;
        state = transition.running();
        return transition;
    }

    /**
     * Ends {@code transition} successfully.
     *
     * @return the state the service lands in; empty when the service is removed (Delete)
     * @throws IllegalStateException when {@code transition} is not the one running
     */
    public synchronized Optional<ServiceState> succeed(Transition transition) {
        requireRunning(transition);
        running = null;
        if (transition.removesOnSuccess()) {
            removed = true;
            return Optional.empty();
        }
        state = transition.onSuccess().orElseThrow();
        if (transition.operation() == Operation.ENABLE) {
            beforeDisable = null;
        }
        return Optional.of(state);
    }

    /**
     * Ends {@code transition} with a failure: the service lands in the operation's failure state.
     *
     * @throws IllegalStateException when {@code transition} is not the one running
     */
    public synchronized ServiceState fail(Transition transition) {
        requireRunning(transition);
        running = null;
        state = transition.onFailure();
        return state;
    }

    private void requireRunning(Transition transition) {
        if (running == null || !running.equals(transition)) {
            throw new IllegalStateException("The transition " + transition.operation().chartName()
                    + " is not the one running on this service");
        }
    }

    /** The current state: resting, or transitional while an operation runs. */
    public synchronized ServiceState state() {
        return state;
    }

    /** The operation running now, if any. */
    public synchronized Optional<Transition> running() {
        return Optional.ofNullable(running);
    }

    /** The state before the last Disable, kept until Enable succeeds. */
    public synchronized Optional<ServiceState> beforeDisable() {
        return Optional.ofNullable(beforeDisable);
    }

    /** True once a Delete has succeeded; a removed service allows nothing. */
    public synchronized boolean isRemoved() {
        return removed;
    }

    /** The operations allowed now: none while an operation runs or once removed. */
    public synchronized Set<Operation> allowed() {
        return removed ? Set.of() : rules.allowed(state);
    }
}
