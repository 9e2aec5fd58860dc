package org.sluice.runtime;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceLifecycle;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.store.HostJournal;
import org.sluice.runtime.store.StoredService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the host back to where its last run left off: the stored services, with any operation
 * that the end of that run cut short logged as interrupted and landed in its failure state, and
 * the role instances of the services that ran them ({@link ManagedService#RUNS_INSTANCES}).
 */
final class Recovery {
    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final Lifecycle rules;
    private final HostJournal journal;
    private final InstantSource clock;
    private final Map<String, ManagedService> services;
    private final BiFunction<ServiceLifecycle, ServiceDefinition, ManagedService> manage;
    private final OperationRunner runner;
    private final HostEvents events;
    private static final int PAGE = 50;
    private final AtomicBoolean relaunched = new AtomicBoolean();

    /**
     * @param services the host's services, which the loaded ones join
     * @param manage   makes a service the host runs, as {@code Host} does for a new one
     */
    Recovery(Lifecycle rules, HostJournal journal, InstantSource clock, Map<String, ManagedService> services,
            BiFunction<ServiceLifecycle, ServiceDefinition, ManagedService> manage, OperationRunner runner, HostEvents events) {
        this.rules = rules;
        this.journal = journal;
        this.clock = clock;
        this.services = services;
        this.manage = manage;
        this.runner = runner;
        this.events = events;
    }

    /** See {@link Host#load()}. */
    void load() {
        for (OperationRecord running : journal.runningOperations()) {
            journal.operationEnded(running.ended(clock.millis(), Outcome.INTERRUPTED, Optional.of(Host.INTERRUPTED)));
        }
        int cutShort = journal.closeOpenEpisodes(clock.millis());
        if (cutShort > 0) {
            LOG.warn("{} throttle episodes were still open when the host last stopped; they end now", cutShort);
        }
        for (StoredService stored : journal.loadServices()) {
            ServiceState state = stored.state();
            if (stored.runningOperation() != null || state.isTransitional()) {
                Operation interrupted = stored.running().orElse(Operation.START);
                state = rules.interrupted(interrupted, Optional.ofNullable(stored.runningFrom()));
                LOG.warn("{} was interrupted during {}; it is now {}", stored.name(), interrupted.chartName(), state.chartName());
            }
            ManagedService managed = manage.apply(ServiceLifecycle.resting(rules, state, stored.stateBeforeDisable()),
                    stored.definition());
            managed.lastOperation = lastAskedFor(stored.name());
            services.put(stored.name(), managed);
            runner.persist(managed);
            events.publish(l -> l.serviceChanged(managed.view()));
        }
    }

    /**
     * The service's latest entry of an operation someone asked for: the host's own entries
     * (restarts of crashed instances) are in the log, but are not the service's last operation.
     */
    private OperationRecord lastAskedFor(String service) {
        OperationQuery page = OperationQuery.all(PAGE).forService(service);
        while (true) {
            List<OperationRecord> newest = journal.operations(page);
            Optional<OperationRecord> asked = newest.stream().filter(r -> !r.operation().byHost()).findFirst();
            if (asked.isPresent() || newest.size() < PAGE) {
                return asked.orElse(null);
            }
            page = page.withRange(0, newest.get(newest.size() - 1).startedMs());
        }
    }

    /** See {@link Host#relaunchInstances()}. */
    void relaunchInstances() {
        if (!relaunched.compareAndSet(false, true)) {
            return;
        }
        for (ManagedService managed : services.values()) {
            if (needsInstances(managed)) {
                try {
                    runner.execute(() -> relaunch(managed));
                } catch (RejectedExecutionException closed) {
                    LOG.debug("Host closed; {} keeps no instances", managed.name());
                    return;
                }
            }
        }
    }

    private static boolean needsInstances(ManagedService managed) {
        return ManagedService.RUNS_INSTANCES.containsKey(managed.lifecycle.state())
                && managed.lifecycle.running().isEmpty() && managed.instances.isEmpty();
    }

    // Checked again on the operation thread: an operation accepted since relaunchInstances looked owns the instances now.
    private void relaunch(ManagedService managed) {
        if (!needsInstances(managed)) {
            return;
        }
        try {
            managed.startInstances(ManagedService.RUNS_INSTANCES.get(managed.lifecycle.state()));
        } catch (OperationFailedException e) {
            LOG.error("{} did not get its instances back after a restart: {}", managed.name(), e.getMessage());
        }
    }
}
