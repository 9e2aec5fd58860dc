package org.sluice.console.viewmodel;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.ThrottleState;

/**
 * One service in the services grid: what it is, which host it runs on, what state it is in, and
 * what can be done to it. While its host's connection is down the row is stale: it shows what was
 * last heard and its commands wait, saying why.
 */
public final class ServiceRowViewModel {
    private final String name;
    private final String serviceName;
    private final HostViewModel host;
    private final ReadOnlyObjectWrapper<ServiceState> state = new ReadOnlyObjectWrapper<>(this, "state");
    private final ReadOnlyObjectWrapper<Operation> running = new ReadOnlyObjectWrapper<>(this, "running");
    private final ReadOnlyObjectWrapper<ServiceDefinition> definition = new ReadOnlyObjectWrapper<>(this, "definition");
    private final ReadOnlyIntegerWrapper instances = new ReadOnlyIntegerWrapper(this, "instances");
    private final ReadOnlyIntegerWrapper throttled = new ReadOnlyIntegerWrapper(this, "throttled");
    private final ReadOnlyIntegerWrapper restarting = new ReadOnlyIntegerWrapper(this, "restarting");
    private final ReadOnlyIntegerWrapper failed = new ReadOnlyIntegerWrapper(this, "failed");
    private final ReadOnlyIntegerWrapper starting = new ReadOnlyIntegerWrapper(this, "starting");
    private final ReadOnlyObjectWrapper<StateSummary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private final ReadOnlyObjectWrapper<ServiceHealth> health = new ReadOnlyObjectWrapper<>(this, "health", ServiceHealth.OK);
    private final ReadOnlyStringWrapper endpoint = new ReadOnlyStringWrapper(this, "endpoint");
    private final ReadOnlyObjectWrapper<OperationRecord> lastOperation = new ReadOnlyObjectWrapper<>(this, "lastOperation");
    // Made on first use and let go when nothing shows the row any more: a grid of 10,000 rows shows
    // a few dozen, and each command holds bindings and listeners on the row and on its host
    // (docs/perf.md, "Footprint"; docs/decisions/0029).
    private final Map<Operation, OperationCommand> commands = new EnumMap<>(Operation.class);
    /** The cells, and the Service menu, showing this row's commands now. */
    private int holders;
    private final Set<Operation> operations;
    private final Lifecycle rules;
    private final OperationCommand.Invoker invoker;
    private final Map<Integer, InstanceStatus> instanceStatus = new TreeMap<>();
    private final Map<Integer, ThrottleState> instanceThrottle = new TreeMap<>();
    private final Set<Integer> instanceFlapping = new TreeSet<>();
    private final I18n i18n;
    private final BiConsumer<Operation, Phrase> onRefused;

    ServiceRowViewModel(ServiceSnapshot snapshot, HostViewModel host, Lifecycle rules, I18n i18n, OperationCommand.Invoker invoker,
                        BiConsumer<Operation, Phrase> onRefused) {
        this.name = snapshot.name();
        this.serviceName = snapshot.definition().name();
        this.host = host;
        this.onRefused = onRefused;
        this.i18n = i18n;
        this.rules = rules;
        this.invoker = invoker;
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        ops.addAll(rules.chart().operations());
        // A platform update acts on one service, like the chart's operations; Disable and Enable act on the account.
        ops.add(Operation.SERVICE_UPDATE);
        this.operations = Collections.unmodifiableSet(ops);
        update(snapshot);
    }

    /** Its name across the console's hosts: {@code host/name} for a service of a remote host. */
    public String name() {
        return name;
    }

    /** Its name on its own host, as its definition has it. */
    public String serviceName() {
        return serviceName;
    }

    /** The host it runs on. */
    public HostViewModel host() {
        return host;
    }

    /** True while its host's connection is down: what the row shows may be out of date. */
    public ReadOnlyBooleanProperty staleProperty() {
        return host.staleProperty();
    }

    public boolean isStale() {
        return host.isStale();
    }

    public ReadOnlyObjectProperty<ServiceState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ServiceState getState() {
        return state.get();
    }

    /** The operation running on the service, or {@code null}. */
    public ReadOnlyObjectProperty<Operation> runningProperty() {
        return running.getReadOnlyProperty();
    }

    public Operation getRunning() {
        return running.get();
    }

    public ReadOnlyObjectProperty<ServiceDefinition> definitionProperty() {
        return definition.getReadOnlyProperty();
    }

    public ServiceDefinition getDefinition() {
        return definition.get();
    }

    /** Role instances whose process is up. */
    public ReadOnlyIntegerProperty instancesProperty() {
        return instances.getReadOnlyProperty();
    }

    /** Role instances throttled now. */
    public ReadOnlyIntegerProperty throttledProperty() {
        return throttled.getReadOnlyProperty();
    }

    /** The state with a badge for throttled or flapping instances, as the grid's state cell shows it. */
    public ReadOnlyObjectProperty<StateSummary> stateSummaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Instances the host is starting again after a crash. */
    public ReadOnlyIntegerProperty restartingProperty() {
        return restarting.getReadOnlyProperty();
    }

    /** Instances left down after crashing too often in a row. */
    public ReadOnlyIntegerProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /**
     * Instances an Active or Suspended service should have up but has not yet: launched and not
     * yet accepting messages, or not launched yet, as just after the host started.
     */
    public ReadOnlyIntegerProperty startingProperty() {
        return starting.getReadOnlyProperty();
    }

    /** How the instances are doing, beside the state. */
    public ReadOnlyObjectProperty<ServiceHealth> healthProperty() {
        return health.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty endpointProperty() {
        return endpoint.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<OperationRecord> lastOperationProperty() {
        return lastOperation.getReadOnlyProperty();
    }

    /** The command for a chart operation, or for ServiceUpdate. */
    public OperationCommand command(Operation operation) {
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException(operation.chartName() + " is not an operation on one service");
        }
        return commands.computeIfAbsent(operation, op -> new OperationCommand(this, op, rules, i18n, invoker));
    }

    /** The commands of the nine chart operations, in chart order. */
    public List<OperationCommand> commands() {
        return operations.stream().map(this::command).toList();
    }

    /**
     * Moves a hold from {@code from} to {@code to} (either may be null; nothing when they are the
     * same), holding the new row before releasing the old, so that a row shown again keeps its
     * commands.
     *
     * @return {@code to}, the row now held
     */
    public static ServiceRowViewModel moveHold(ServiceRowViewModel from, ServiceRowViewModel to) {
        if (from != to) {
            if (to != null) {
                to.holdCommands();
            }
            if (from != null) {
                from.releaseCommands();
            }
        }
        return to;
    }

    /**
     * A cell, or the Service menu, starts showing this row's commands: they stay while it does.
     * Each call is matched by one {@link #releaseCommands()}.
     */
    public void holdCommands() {
        holders++;
    }

    /**
     * One that showed this row's commands no longer does. Once nothing shows them they go, except
     * one still being sent, which goes when it is answered: made again, it would offer the
     * operation a second time. A command made later binds to the row as it is then, as one kept
     * would have followed it there.
     */
    public void releaseCommands() {
        if (holders == 0) {
            throw new IllegalStateException("the commands of " + name + " are released more often than held");
        }
        holders--;
        if (holders == 0) {
            commands.values().removeIf(command -> !command.runningProperty().get());
        }
    }

    /** {@code command} is being sent: a row that let it go takes it back, so a cell shown meanwhile finds it. */
    void sending(OperationCommand command) {
        commands.putIfAbsent(command.operation(), command);
    }

    /** {@code command} was answered: it goes if nothing shows the row. */
    void answered(OperationCommand command) {
        if (holders == 0) {
            commands.remove(command.operation(), command);
        }
    }

    /** How many operation commands the row holds now: for tests. */
    public int commandsMade() {
        return commands.size();
    }

    /**
     * Whether {@code operation}'s command is executable now, without making the command if it has
     * not been asked for yet (a command nobody has made is not running).
     */
    public boolean canRun(Operation operation) {
        OperationCommand command = commands.get(operation);
        if (command != null) {
            return command.isExecutable();
        }
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException(operation.chartName() + " is not an operation on one service");
        }
        return OperationCommand.allowed(this, operation, rules);
    }

    void update(ServiceSnapshot snapshot) {
        state.set(snapshot.state());
        running.set(snapshot.running().orElse(null));
        definition.set(snapshot.definition());
        endpoint.set(snapshot.endpoint());
        snapshot.lastOperation().ifPresent(lastOperation::set);
        instanceStatus.clear();
        instanceThrottle.clear();
        for (InstanceSnapshot instance : snapshot.instances()) {
            instanceStatus.put(instance.index(), instance.status());
            instanceThrottle.put(instance.index(), instance.throttle());
        }
        recount();
    }

    void applyState(ServiceState newState, Operation newRunning) {
        // Running first, so no binding sees the new state with the old operation still running.
        running.set(newRunning);
        state.set(newState);
        recount();
    }

    void applyOperation(OperationRecord record) {
        lastOperation.set(record);
    }

    void applyInstanceStatus(int index, InstanceStatus status) {
        if (status == InstanceStatus.STOPPED) {
            instanceStatus.remove(index);
            instanceThrottle.remove(index);
        } else {
            instanceStatus.put(index, status);
            if (status != InstanceStatus.RUNNING) {
                instanceThrottle.put(index, ThrottleState.NORMAL);
            }
        }
        recount();
    }

    void applyThrottle(int index, ThrottleState throttle) {
        instanceThrottle.put(index, throttle);
        recount();
    }

    /** Instance {@code index} started or stopped flapping. */
    void applyFlapping(int index, boolean flapping) {
        if (flapping ? instanceFlapping.add(index) : instanceFlapping.remove(index)) {
            summarize();
        }
    }

    /** Instances flapping now. */
    public int flappingCount() {
        return instanceFlapping.size();
    }

    private void recount() {
        instances.set((int) instanceStatus.values().stream().filter(s -> s == InstanceStatus.RUNNING).count());
        throttled.set((int) instanceThrottle.entrySet().stream()
                .filter(e -> e.getValue() == ThrottleState.THROTTLED && instanceStatus.get(e.getKey()) == InstanceStatus.RUNNING)
                .count());
        restarting.set((int) instanceStatus.values().stream().filter(s -> s == InstanceStatus.RESTARTING).count());
        failed.set((int) instanceStatus.values().stream().filter(s -> s == InstanceStatus.FAILED).count());
        ServiceState now = state.get();
        ServiceDefinition defined = definition.get();
        boolean shouldRun = now == ServiceState.ACTIVE || now == ServiceState.SUSPENDED;
        starting.set(shouldRun && defined != null
                ? Math.max(0, defined.units() - instances.get() - restarting.get() - failed.get()) : 0);
        // An instance still known (one stopping, say) is shown whatever the state; none, in a state that runs none, has no health.
        // An instance starting is Starting whatever the state: a service being created said Ok while its first ones started.
        health.set(now != null && !now.runsInstances() && instanceStatus.isEmpty() ? ServiceHealth.NONE
                : failed.get() > 0 ? ServiceHealth.ERROR : restarting.get() > 0 ? ServiceHealth.WARNING
                : starting.get() > 0 || instanceStatus.containsValue(InstanceStatus.STARTING) ? ServiceHealth.STARTING
                : ServiceHealth.OK);
        summarize();
    }

    /** Says the badge again, in the language in use now. */
    void relabel() {
        summarize();
    }

    /**
     * The state cell's badge. A flapping instance counts as flapping whatever its state of the
     * moment, so the badge does not change with every change of a flapping instance.
     */
    private void summarize() {
        int running = instances.get();
        int flapping = instanceFlapping.size();
        int steady = 0;
        for (Map.Entry<Integer, ThrottleState> instance : instanceThrottle.entrySet()) {
            if (instance.getValue() == ThrottleState.THROTTLED && instanceStatus.get(instance.getKey()) == InstanceStatus.RUNNING
                    && !instanceFlapping.contains(instance.getKey())) {
                steady++;
            }
        }
        StateSummary.Mark mark = steady > 0 ? StateSummary.Mark.THROTTLED
                : flapping > 0 ? StateSummary.Mark.FLAPPING : StateSummary.Mark.NONE;
        String badge;
        String compact;
        if (steady > 0 && flapping > 0) {
            badge = i18n.get("services.badge.throttledAndFlapping", steady, running, flapping);
            compact = i18n.get("services.badge.compactAndFlapping", steady, running, flapping);
        } else if (steady > 0) {
            badge = i18n.get("services.badge.throttled", steady, running);
            compact = i18n.get("services.badge.compact", steady, running);
        } else if (flapping > 0) {
            badge = i18n.get("services.badge.flapping", flapping, running);
            compact = i18n.get("services.badge.compact", flapping, running);
        } else {
            badge = "";
            compact = "";
        }
        StateSummary next = new StateSummary(state.get(), mark, badge, compact);
        if (!next.equals(summary.get())) {
            summary.set(next);
        }
    }

    void refused(Operation operation, Phrase reason) {
        onRefused.accept(operation, reason);
    }
}
