package org.sluice.runtime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceLifecycle;
import org.sluice.lifecycle.ServiceState;
import org.sluice.lifecycle.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service as the host runs it: its place in the state chart, the definition in force, its
 * latest operation, the drill faults armed on it and its role instances.
 */
final class ManagedService implements ServiceInstances.Supervision {
    /**
     * The resting states whose services run role instances, and whether those are suspended. A
     * failed Scale or configuration update leaves the instances that were running; a failed
     * Suspend or Resume leaves them half one way, half the other, so they run suspended: nothing
     * is taken in a state that is not Active, and Suspend and Resume, which the chart offers
     * there, both find instances to act on.
     */
    static final Map<ServiceState, Boolean> RUNS_INSTANCES = Map.of(
            ServiceState.ACTIVE, false,
            ServiceState.SUSPENDED, true,
            ServiceState.SCALE_FAILED, false,
            ServiceState.CONFIG_UPDATE_FAILED, false,
            ServiceState.SUSPEND_FAILED, true,
            ServiceState.RESUME_FAILED, true);

    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    final ServiceLifecycle lifecycle;
    final ServiceInstances instances;
    /**
     * Held by whatever starts or stops the service's instances on an operation thread: an
     * operation's work, and a host restart's start again of the instances, which is no operation.
     * Without it, an operation accepted while that start waits for its instances ran beside it, and
     * a Stop could leave the instances it started running.
     */
    final java.util.concurrent.locks.ReentrantLock instanceWork = new java.util.concurrent.locks.ReentrantLock();
    volatile ServiceDefinition definition;
    volatile OperationRecord lastOperation;
    /** While an operation runs, the state it started from: recovery needs it to find the failure state. */
    volatile ServiceState runningFrom;
    /** Operations whose next run fails on purpose, for a drill. */
    final Set<Operation> faults = Collections.synchronizedSet(EnumSet.noneOf(Operation.class));

    ManagedService(ServiceLifecycle lifecycle, ServiceDefinition definition, ServiceInstances instances) {
        this.lifecycle = lifecycle;
        this.definition = definition;
        this.instances = instances;
        instances.supervisedBy(this);
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    @Override
    public boolean operationRunning() {
        return lifecycle.running().isPresent();
    }

    @Override
    public Optional<Boolean> restartSuspended() {
        return Optional.ofNullable(RUNS_INSTANCES.get(lifecycle.state()));
    }

    String name() {
        return definition.name();
    }

    ServiceView view() {
        List<InstanceView> views = instances.views();
        return new ServiceView(definition, lifecycle.state(), lifecycle.running().map(Transition::operation), views,
                Optional.ofNullable(lastOperation));
    }

    /** Gives the service a fresh, ready set of instances of the definition in force. */
    void startInstances(boolean suspended) throws OperationFailedException {
        instances.startAll(definition, suspended);
    }

    /** @param strict whether an instance that had to be killed fails the operation */
    void stopInstances(boolean strict) throws OperationFailedException {
        instances.stopAll(strict);
    }

    void scaleTo(int units) throws OperationFailedException {
        ServiceDefinition before = definition;
        ServiceDefinition after = before.withUnits(units);
        instances.scale(before, after);
        definition = after;
    }

    /**
     * Restarts the service on {@code next}. When the new definition does not start, the previous
     * one is started again and stays in force, and the operation fails all the same.
     */
    void reconfigure(ServiceDefinition next) throws OperationFailedException {
        List<ServiceDefinition.Problem> problems = next.problems();
        if (!problems.isEmpty()) {
            String said = problems.stream().map(ServiceDefinition.Problem::toString).collect(Collectors.joining("; "));
            throw new OperationFailedException(org.sluice.lifecycle.Problem.of("configuration-not-valid", "problems", said),
                    "The new configuration does not validate: " + said);
        }
        ServiceDefinition previous = definition;
        stopInstances(false);
        definition = next;
        try {
            startInstances(false);
        } catch (OperationFailedException failed) {
            definition = previous;
            try {
                startInstances(false);
            } catch (OperationFailedException alsoFailed) {
                LOG.error("{}: the previous configuration did not start again either: {}", name(), alsoFailed.getMessage());
            }
            throw new OperationFailedException(org.sluice.lifecycle.Problem.of("configuration-not-started").within(failed.problem()),
                    "The new configuration did not start (" + failed.getMessage()
                    + "); the previous configuration is in force again", failed);
        }
    }
}
