package org.sluice.runtime;

import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.Transition;
import org.sluice.runtime.store.HostJournal;
import org.sluice.runtime.store.StoredService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs accepted operations on the host's operation threads and keeps their books: the operation
 * log entry as it starts and as it ends, the service saved at each step, the state chart told of
 * the outcome, and the listeners told of all of it.
 */
final class OperationRunner {
    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    /** What an operation does to the service; throwing fails the operation with the message. */
    @FunctionalInterface
    interface Work {
        void run() throws OperationFailedException;
    }

    private final HostJournal journal;
    private final InstantSource clock;
    private final ExecutorService threads;
    private final HostEvents events;
    private final Map<String, ManagedService> services;

    /**
     * @param threads  owned from now on; operations on different services run side by side
     * @param services the host's services, from which a deleted one is removed
     */
    OperationRunner(HostJournal journal, InstantSource clock, ExecutorService threads, HostEvents events,
            Map<String, ManagedService> services) {
        this.journal = journal;
        this.clock = clock;
        this.threads = threads;
        this.events = events;
        this.services = services;
    }

    /**
     * Logs the operation as running, saves the service and returns at once; {@code work} runs on
     * an operation thread and the operation lands in the success or failure state of
     * {@code transition}, which the caller has already begun.
     */
    Host.Accepted submit(ManagedService managed, Transition transition, String requester, Work work) {
        OperationRecord record = new OperationRecord(UUID.randomUUID().toString(), managed.name(), transition.operation(),
                requester, clock.millis(), OptionalLong.empty(), Outcome.RUNNING, Optional.empty());
        managed.lastOperation = record;
        managed.runningFrom = transition.from().orElse(null);
        journal.operationStarted(record);
        persist(managed);
        ServiceView started = managed.view();
        events.publish(l -> {
            l.serviceChanged(started);
            l.operationProgress(record);
        });
        CompletableFuture<OperationRecord> completion = new CompletableFuture<>();
        threads.execute(() -> {
            String error = null;
            Problem problem = null;
            managed.instanceWork.lock();
            try {
                // A failed Backup is still recorded, as failed: the backup itself handles its drill.
                if (transition.operation() != Operation.BACKUP && managed.faults.remove(transition.operation())) {
                    throw new OperationFailedException(Host.INJECTED_PROBLEM, Host.INJECTED_FAULT);
                }
                work.run();
            } catch (OperationFailedException e) {
                error = e.getMessage();
                problem = e.problem();
            } catch (RuntimeException e) {
                LOG.error("{} of {} failed unexpectedly", transition.operation().chartName(), managed.name(), e);
                error = "Unexpected error: " + e;
                problem = Problem.of("unexpected", "reason", e.toString());
            } finally {
                managed.instanceWork.unlock();
            }
            completion.complete(land(managed, transition, record, error, problem));
        });
        return new Host.Accepted(record, completion);
    }

    private OperationRecord land(ManagedService managed, Transition transition, OperationRecord record, String error,
                                 Problem problem) {
        Outcome outcome = error == null ? Outcome.SUCCEEDED : Outcome.FAILED;
        OperationRecord ended = new OperationRecord(record.requestId(), record.service(), record.operation(), record.requester(),
                record.startedMs(), OptionalLong.of(clock.millis()), outcome, Optional.ofNullable(error), record.crash(),
                Optional.ofNullable(problem));
        managed.runningFrom = null;
        managed.lastOperation = ended;
        boolean removed = false;
        if (error == null) {
            removed = managed.lifecycle.succeed(transition).isEmpty();
        } else {
            managed.lifecycle.fail(transition);
            LOG.warn("{} of {} failed: {}", transition.operation().chartName(), managed.name(), error);
        }
        journal.operationEnded(ended);
        if (removed) {
            services.remove(managed.name());
            journal.deleteService(managed.name());
            events.publish(l -> {
                l.operationProgress(ended);
                l.serviceRemoved(managed.name());
            });
        } else {
            persist(managed);
            ServiceView after = managed.view();
            events.publish(l -> {
                l.serviceChanged(after);
                l.operationProgress(ended);
            });
        }
        return ended;
    }

    /** Saves the service as it stands, with its running operation if one runs. */
    void persist(ManagedService managed) {
        Operation running = managed.lifecycle.running().map(Transition::operation).orElse(null);
        OperationRecord last = managed.lastOperation;
        journal.saveService(new StoredService(managed.definition, managed.lifecycle.state(),
                managed.lifecycle.beforeDisable().orElse(null), running,
                running == null ? null : last.requestId(), running == null ? null : managed.runningFrom, clock.millis()));
    }

    /**
     * Runs {@code task} on an operation thread, outside any operation.
     *
     * @throws java.util.concurrent.RejectedExecutionException once the host is closed
     */
    void execute(Runnable task) {
        threads.execute(task);
    }

    /** Interrupts the operations still running, so that none waits out its timeouts after the host has closed. */
    /**
     * Interrupts the operations still running and waits a few seconds for them to land, so that
     * each is written to the journal before whoever closes the host closes the journal.
     */
    void close() {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("Some operations had not landed 5 s after the host began to close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
