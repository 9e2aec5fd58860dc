package org.sluice.runtime;

import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.Problem;
import org.sluice.runtime.store.HostJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what supervision does to the operation log as the host's own entries, issued by
 * {@value OperationRecord#HOST}, and tells the listeners as it tells them of any operation.
 *
 * <p>A restart is an entry that runs through the pause: written when the crash is seen, ended
 * Succeeded when the instance is started again, or Failed, with the reason, when it is not. One
 * that the host's end leaves running is logged as interrupted when the host starts again, as any
 * operation is. Leaving an instance down is an entry that fails at once.
 *
 * <p>A log that cannot be written does not stop supervision: the failure is logged and the
 * instance is started again all the same.
 */
final class SupervisionLog {
    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final HostJournal journal;
    private final HostEvents events;
    private final InstantSource clock;

    SupervisionLog(HostJournal journal, HostEvents events, InstantSource clock) {
        this.journal = journal;
        this.events = events;
        this.clock = clock;
    }

    /** Logs that the instance of {@code crash} is to be started again; the running entry, or empty if it could not be written. */
    Optional<OperationRecord> restarting(String service, InstanceCrash crash) {
        OperationRecord record = new OperationRecord(UUID.randomUUID().toString(), service, Operation.INSTANCE_RESTART,
                OperationRecord.HOST, clock.millis(), OptionalLong.empty(), Outcome.RUNNING, Optional.empty(), Optional.of(crash));
        try {
            journal.operationStarted(record);
        } catch (RuntimeException e) {
            LOG.error("The restart of {} instance {} could not be written to the operation log", service, crash.instance(), e);
            return Optional.empty();
        }
        events.publish(l -> l.operationProgress(record));
        return Optional.of(record);
    }

    /** The instance is started again. */
    void restarted(Optional<OperationRecord> restarting) {
        restarting.ifPresent(record -> end(record.ended(clock.millis(), Outcome.SUCCEEDED, Optional.empty())));
    }

    /** The instance is not started again, for {@code reason}, which is {@code problem} in English. */
    void notRestarted(Optional<OperationRecord> restarting, String reason, Problem problem) {
        restarting.ifPresent(record -> end(record.ended(clock.millis(), Outcome.FAILED, reason, problem)));
    }

    /** The instance is not started again: the service's state runs none now. */
    void notRestartedAsNoneRuns(Optional<OperationRecord> restarting) {
        notRestarted(restarting, "Not started again: the service's state runs no instance now", Problem.of("restart-state-runs-none"));
    }

    /** The instance is not started again: an operation replaced the service's instances meanwhile. */
    void notRestartedAsReplaced(Optional<OperationRecord> restarting) {
        notRestarted(restarting, "Not started again: an operation on the service replaced its instances meanwhile",
                Problem.of("restart-replaced"));
    }

    /** Logs that the instance of {@code crash} is left down, for {@code reason}, which is {@code problem} in English. */
    void leftDown(String service, InstanceCrash crash, String reason, Problem problem) {
        long now = clock.millis();
        OperationRecord running = new OperationRecord(UUID.randomUUID().toString(), service, Operation.INSTANCE_LEFT_DOWN,
                OperationRecord.HOST, now, OptionalLong.empty(), Outcome.RUNNING, Optional.empty(), Optional.of(crash));
        try {
            journal.operationStarted(running);
        } catch (RuntimeException e) {
            LOG.error("That {} instance {} is left down could not be written to the operation log", service, crash.instance(), e);
            return;
        }
        end(running.ended(now, Outcome.FAILED, reason, problem));
    }

    private void end(OperationRecord ended) {
        try {
            journal.operationEnded(ended);
        } catch (RuntimeException e) {
            LOG.error("The end of {} of {} could not be written to the operation log", ended.operation().chartName(), ended.service(), e);
            return;
        }
        events.publish(l -> l.operationProgress(ended));
    }
}
