package org.sluice.runtime;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.RestartCause;
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
 *
 * <p>Instances that do not come back are supervised as a crashed instance is: tried again after
 * the same doubling pause, each try again logged as the host's own restart, and after
 * {@link ServiceInstances#MAX_CRASHES} tries again left down with an entry that says why and
 * the way out; an engine that restarts instances by itself is told to stop, as for a crash loop
 * (decision 0047). Meanwhile they show as restarting, then as failed, so the service's health says
 * so. An operation on the service takes over: it ends the waiting entry, and the try again that
 * finds an operation running waits for it, as a crash restart does.
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
    private final SupervisionLog log;
    private final ScheduledExecutorService supervisor;
    private final java.time.Duration restartPause;
    private static final int PAGE = 50;
    private final AtomicBoolean relaunched = new AtomicBoolean();

    /**
     * @param services the host's services, which the loaded ones join
     * @param manage   makes a service the host runs, as {@code Host} does for a new one
     * @param log        where each try again, and instances left down, are logged
     * @param supervisor the thread that waits out the pause before a try again
     * @param restartPause the first pause before a try again, doubling as for a crash
     */
    Recovery(Lifecycle rules, HostJournal journal, InstantSource clock, Map<String, ManagedService> services,
            BiFunction<ServiceLifecycle, ServiceDefinition, ManagedService> manage, OperationRunner runner, HostEvents events,
            SupervisionLog log, ScheduledExecutorService supervisor, java.time.Duration restartPause) {
        this.rules = rules;
        this.journal = journal;
        this.clock = clock;
        this.services = services;
        this.manage = manage;
        this.runner = runner;
        this.events = events;
        this.log = log;
        this.supervisor = supervisor;
        this.restartPause = restartPause;
    }

    /** See {@link Host#load()}. */
    void load() {
        for (OperationRecord running : journal.runningOperations()) {
            journal.operationEnded(running.ended(clock.millis(), Outcome.INTERRUPTED, Host.INTERRUPTED, Host.INTERRUPTED_PROBLEM));
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
        return managed.restartSuspended().isPresent()
                && managed.lifecycle.running().isEmpty() && managed.instances.isEmpty();
    }

    // Checked again on the operation thread: an operation accepted since relaunchInstances looked owns the instances now.
    private void relaunch(ManagedService managed) {
        managed.instanceWork.lock();
        try {
            if (needsInstances(managed)) {
                tryRelaunch(managed, 1, Optional.empty());
            }
        } finally {
            managed.instanceWork.unlock();
        }
    }

    /**
     * On an operation thread: starts the service's instances, try number {@code attempt}.
     *
     * @param entry the running log entry of a try again; empty for the first try
     */
    private void tryRelaunch(ManagedService managed, int attempt, Optional<OperationRecord> entry) {
        // The state is read once: an operation accepted meanwhile may leave it one that runs no instance.
        Optional<Boolean> suspended = managed.restartSuspended();
        if (suspended.isEmpty()) {
            log.notRestartedAsNoneRuns(entry);
            return;
        }
        try {
            managed.startInstances(suspended.get());
            log.restarted(entry);
            if (attempt > 1) {
                LOG.info("{} got its instances back after the restart of the host, on try {}", managed.name(), attempt);
            }
        } catch (OperationFailedException e) {
            log.notRestarted(entry, e.getMessage(), e.problem());
            failed(managed, attempt, e.getMessage(), e.problem());
        }
    }

    private void failed(ManagedService managed, int attempt, String reason, Problem problem) {
        if (managed.lifecycle.running().isPresent() || managed.restartSuspended().isEmpty()) {
            LOG.warn("{} did not get its instances back after the restart of the host ({}); the operation under way decides what runs",
                    managed.name(), reason);
            return;
        }
        int units = managed.definition.units();
        // No process of the set got going, so the entries name the first instance and say it was not started.
        InstanceCrash tries = new InstanceCrash(0, -1, attempt, RestartCause.HOST_RESTART);
        if (attempt > ServiceInstances.MAX_CRASHES) {
            LOG.error("{} did not get its instances back after the restart of the host in {} tries ({}); they are left down until "
                    + "the service is started again", managed.name(), attempt, reason);
            managed.instances.relaunchGaveUp(units, attempt);
            log.leftDown(managed.name(), tries, reason + "; after " + attempt + " tries since the host started, the instances are left "
                    + "down: Start or Restart the service to run it again",
                    Problem.of("left-down-after-host-restart", "tries", attempt).within(problem));
            return;
        }
        long pause = ServiceInstances.pauseMs(restartPause, attempt);
        LOG.warn("{} did not get its instances back after the restart of the host ({}); tried again in {} ms (retry {} of {})",
                managed.name(), reason, pause, attempt, RestartCause.MAX_TRIES_IN_A_ROW);
        managed.instances.awaitRelaunch(units, attempt, pause, () -> log.restarting(managed.name(), tries));
        schedule(managed, attempt + 1, pause);
    }

    private void schedule(ManagedService managed, int attempt, long pauseMs) {
        try {
            supervisor.schedule(() -> {
                try {
                    runner.execute(() -> retry(managed, attempt));
                } catch (RejectedExecutionException closing) {
                    LOG.debug("Host closing; {} is not tried again", managed.name());
                }
            }, pauseMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            LOG.debug("Host closing; {} is not tried again", managed.name());
        }
    }

    /** On an operation thread, once the pause is over: try number {@code attempt}, unless an operation took over. */
    private void retry(ManagedService managed, int attempt) {
        managed.instanceWork.lock();
        try {
            retryHeld(managed, attempt);
        } finally {
            managed.instanceWork.unlock();
        }
    }

    private void retryHeld(ManagedService managed, int attempt) {
        if (managed.lifecycle.running().isPresent()) {
            // The operation decides what runs; look again once it has had time to land.
            schedule(managed, attempt, restartPause.toMillis());
            return;
        }
        Optional<ServiceInstances.PendingRelaunch> waiting = managed.instances.takeRelaunch();
        if (waiting.isEmpty()) {
            return;
        }
        if (managed.restartSuspended().isEmpty()) {
            log.notRestartedAsNoneRuns(waiting.get().entry());
            managed.instances.killAll();
            return;
        }
        tryRelaunch(managed, attempt, waiting.get().entry());
    }
}
