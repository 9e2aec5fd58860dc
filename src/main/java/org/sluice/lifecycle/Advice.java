package org.sluice.lifecycle;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;

/**
 * The way out for an operation the current state does not allow: another operation does what the
 * operator wants instead (Resume while Stopped: Start it instead), one must come first (Stop while
 * Suspended: Resume it first), or the service is already there (Resume while Active).
 *
 * @param kind      whether {@code operation} replaces the wanted one or must come before it
 * @param operation the operation to run now
 */
public record Advice(Kind kind, Operation operation) {

    public enum Kind {
        /** {@code operation} reaches where the wanted operation would have. */
        INSTEAD,
        /** {@code operation} leads to a state that allows the wanted one. */
        FIRST,
        /** The service is already where the wanted operation ({@code operation}) would take it. */
        ALREADY
    }

    public Advice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
    }

    /**
     * The way out for {@code wanted} in {@code state}, if there is one. Empty when {@code wanted}
     * is allowed, while an operation runs (the way out is to wait), and when no sequence of
     * operations leads there.
     */
    public static Optional<Advice> forOperation(Lifecycle rules, ServiceState state, Operation wanted) {
        if (state.isTransitional() || rules.allows(state, wanted) || wanted.createsService()) {
            return Optional.empty();
        }
        Optional<ServiceState> goal = goal(wanted);
        if (goal.isPresent() && goal.get() == state) {
            return Optional.of(new Advice(Kind.ALREADY, wanted));
        }
        if (goal.isPresent()) {
            for (Operation candidate : rules.allowed(state)) {
                // Backup lands where it began and Enable where the service was before Disable: neither replaces another.
                if (candidate != Operation.BACKUP && candidate != Operation.ENABLE && rules.begin(state, candidate).onSuccess().equals(goal)) {
                    return Optional.of(new Advice(Kind.INSTEAD, candidate));
                }
            }
        }
        return firstStepTowards(rules, state, wanted).map(step -> new Advice(Kind.FIRST, step));
    }

    /** Where {@code operation} lands on success when it acts on the service as a whole, if fixed. */
    private static Optional<ServiceState> goal(Operation operation) {
        return switch (operation) {
            case START, RESTART, RESUME -> Optional.of(ServiceState.ACTIVE);
            case STOP -> Optional.of(ServiceState.STOPPED);
            case SUSPEND -> Optional.of(ServiceState.SUSPENDED);
            default -> Optional.empty();
        };
    }

    /** Breadth-first over successful transitions: the first operation of the shortest way to a state allowing {@code wanted}. */
    private static Optional<Operation> firstStepTowards(Lifecycle rules, ServiceState start, Operation wanted) {
        Map<ServiceState, Operation> firstStep = new EnumMap<>(ServiceState.class);
        Queue<ServiceState> frontier = new ArrayDeque<>();
        frontier.add(start);
        firstStep.put(start, null);
        while (!frontier.isEmpty()) {
            ServiceState state = frontier.remove();
            for (Operation operation : rules.allowed(state)) {
                if (operation == Operation.DELETE) {
                    continue;
                }
                Optional<ServiceState> next = rules.begin(state, operation).onSuccess();
                if (next.isEmpty() || firstStep.containsKey(next.get())) {
                    continue;
                }
                Operation first = state == start ? operation : firstStep.get(state);
                if (rules.allows(next.get(), wanted)) {
                    return Optional.of(first);
                }
                firstStep.put(next.get(), first);
                frontier.add(next.get());
            }
        }
        return Optional.empty();
    }
}
