package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.runtime.store.Store;

/** The operation log as the host reads it, through its journal on a real SQLite store. */
@Timeout(60)
class StoreJournalTest {
    @TempDir
    Path dir;

    private static OperationRecord started(String id, long startedMs) {
        return new OperationRecord(id, "orders", Operation.START, "ops", startedMs, OptionalLong.empty(),
                Outcome.RUNNING, Optional.empty());
    }

    private static OperationRecord ended(OperationRecord running) {
        return new OperationRecord(running.requestId(), running.service(), running.operation(), running.requester(),
                running.startedMs(), OptionalLong.of(running.startedMs() + 1), Outcome.SUCCEEDED, Optional.empty());
    }

    @Test
    void theRunningFilterFindsAnOperationOlderThanTheLimitOfEndedOnes() {
        try (StoreJournal journal = new StoreJournal(Store.open(dir))) {
            journal.operationStarted(started("still-running", 100));
            for (int i = 1; i <= 5; i++) {
                OperationRecord done = started("done-" + i, 100 + i * 10);
                journal.operationStarted(done);
                journal.operationEnded(ended(done));
            }
            OperationQuery running = new OperationQuery(Optional.empty(), Optional.empty(), Optional.of("orders"),
                    Optional.empty(), Optional.of(Outcome.RUNNING), 2);

            assertThat(journal.operations(running)).extracting(OperationRecord::requestId)
                    .containsExactly("still-running");
        }
    }
}
