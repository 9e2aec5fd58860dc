package org.sluice.lifecycle;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of the service lifecycle: the state chart for the nine chart operations, the
 * specification's rules for the others, and the transition table that says where each operation
 * runs and lands.
 *
 * <p>Stateless and thread-safe; {@link ServiceLifecycle} applies it to one service.
 */
public final class Lifecycle {
    private static final Set<ServiceState> DISABLE_FROM =
            Collections.unmodifiableSet(EnumSet.of(ServiceState.ACTIVE, ServiceState.SUSPENDED, ServiceState.STOPPED));

    private static final Lifecycle STANDARD = new Lifecycle(StateChart.standard());

    private final StateChart chart;

    public Lifecycle(StateChart chart) {
        this.chart = Objects.requireNonNull(chart, "chart");
    }

    /** The lifecycle over the chart that ships with Sluice. */
    public static Lifecycle standard() {
        return STANDARD;
    }

    public StateChart chart() {
        return chart;
    }

    /**
     * Every operation allowed on an existing service in {@code state}: the chart's set plus
     * Disable (from Active, Suspended, Stopped), Enable (from Disabled) and ServiceUpdate (from
     * Active). Empty for a transitional state. Never contains Create or Restore.
     */
    public Set<Operation> allowed(ServiceState state) {
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        ops.addAll(chart.allowed(state));
        if (DISABLE_FROM.contains(state)) {
            ops.add(Operation.DISABLE);
        }
        if (state == ServiceState.DISABLED) {
            ops.add(Operation.ENABLE);
        }
        if (state == ServiceState.ACTIVE) {
            ops.add(Operation.SERVICE_UPDATE);
        }
        return Collections.unmodifiableSet(ops);
    }

    public boolean allows(ServiceState state, Operation operation) {
        return allowed(state).contains(operation);
    }

    /**
     * Starts {@code operation} on a service resting in {@code from}.
     *
     * <p>For Enable the transition lands in Active on success; {@link ServiceLifecycle}, which
     * remembers the state before Disable, lands it there instead.
     *
     * @throws OperationNotAllowedException with the message {@code Operation not allowed} when
     *         {@code from} does not allow it (always for a transitional state, and for Create and
     *         Restore, which do not act on an existing service)
     */
    public Transition begin(ServiceState from, Operation operation) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(operation, "operation");
        if (!allows(from, operation)) {
            throw new OperationNotAllowedException(from, operation);
        }
        return new Transition(operation, Optional.of(from), running(operation), success(operation, from), failure(operation, from));
    }

    /** The transition of a service being provisioned: Creating, then Active or CreateFailed. */
    public Transition create() {
        return new Transition(Operation.CREATE, Optional.empty(), ServiceState.CREATING,
                Optional.of(ServiceState.ACTIVE), ServiceState.CREATE_FAILED);
    }

    /** The transition of a service being restored from a backup: Restoring, then Suspended or RestoreFailed. */
    public Transition restore() {
        return new Transition(Operation.RESTORE, Optional.empty(), ServiceState.RESTORING,
                Optional.of(ServiceState.SUSPENDED), ServiceState.RESTORE_FAILED);
    }

    /**
     * Where a service lands when {@code operation}, begun in {@code from}, was interrupted (the
     * host stopped while it ran): the operation's failure state.
     */
    public ServiceState interrupted(Operation operation, Optional<ServiceState> from) {
        if (operation == Operation.CREATE) {
            return create().onFailure();
        }
        if (operation == Operation.RESTORE) {
            return restore().onFailure();
        }
        ServiceState start = from.orElseThrow(() ->
                new IllegalArgumentException(operation.chartName() + " needs the state it began in"));
        return failure(operation, start);
    }

    /** The transitional state shown while {@code operation} runs. */
    public static ServiceState running(Operation operation) {
        return switch (operation) {
            case CREATE -> ServiceState.CREATING;
            case START -> ServiceState.STARTING;
            case STOP -> ServiceState.STOPPING;
            case RESTART -> ServiceState.RESTARTING;
            case SUSPEND -> ServiceState.SUSPENDING;
            case RESUME -> ServiceState.RESUMING;
            case SCALE, UPDATE_CONFIGURATION, SERVICE_UPDATE -> ServiceState.UPDATING;
            case BACKUP -> ServiceState.BACKING_UP;
            case RESTORE -> ServiceState.RESTORING;
            case DELETE -> ServiceState.DELETING;
            case DISABLE -> ServiceState.DISABLING;
            case ENABLE -> ServiceState.ENABLING;
            case INSTANCE_RESTART, INSTANCE_LEFT_DOWN -> throw byHost(operation);
        };
    }

    private static Optional<ServiceState> success(Operation operation, ServiceState from) {
        return switch (operation) {
            case CREATE, START, RESTART, RESUME, SCALE, UPDATE_CONFIGURATION, SERVICE_UPDATE, ENABLE ->
                    Optional.of(ServiceState.ACTIVE);
            case STOP -> Optional.of(ServiceState.STOPPED);
            case SUSPEND, RESTORE -> Optional.of(ServiceState.SUSPENDED);
            case BACKUP -> Optional.of(from);
            case DELETE -> Optional.empty();
            case DISABLE -> Optional.of(ServiceState.DISABLED);
            case INSTANCE_RESTART, INSTANCE_LEFT_DOWN -> throw byHost(operation);
        };
    }

    private static ServiceState failure(Operation operation, ServiceState from) {
        return switch (operation) {
            case CREATE -> ServiceState.CREATE_FAILED;
            case START -> ServiceState.START_FAILED;
            case STOP -> ServiceState.STOP_FAILED;
            case RESTART -> ServiceState.RESTART_FAILED;
            case SUSPEND -> ServiceState.SUSPEND_FAILED;
            case RESUME -> ServiceState.RESUME_FAILED;
            case SCALE -> ServiceState.SCALE_FAILED;
            case UPDATE_CONFIGURATION -> ServiceState.CONFIG_UPDATE_FAILED;
            case BACKUP, DELETE -> from;
            case RESTORE -> ServiceState.RESTORE_FAILED;
            case DISABLE -> ServiceState.DISABLE_FAILED;
            case ENABLE -> ServiceState.ENABLE_FAILED;
            case SERVICE_UPDATE -> ServiceState.SERVICE_UPDATE_FAILED;
            case INSTANCE_RESTART, INSTANCE_LEFT_DOWN -> throw byHost(operation);
        };
    }

    /** What the host does on its own moves no service through the chart. */
    private static IllegalArgumentException byHost(Operation operation) {
        return new IllegalArgumentException(operation.chartName() + " is done by the host on its own and changes no service's state");
    }
}
