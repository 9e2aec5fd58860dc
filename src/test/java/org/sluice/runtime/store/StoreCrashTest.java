package org.sluice.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;

/** What a store holds after the process writing it died without closing it. */
@Timeout(60)
class StoreCrashTest {

    @Test
    void dataWrittenBeforeAnUncleanStopIsThereOnReopen(@TempDir Path dir) throws IOException {
        Store abandoned = Store.open(dir);
        abandoned.saveService(StoredService.resting(StoreTest.definition("orders"), ServiceState.ACTIVE, 10));
        abandoned.operationStarted(StoreTest.started("req-1", "orders", Operation.STOP, 20));
        // Copy the files as they are now, WAL and all, the way a crash would leave them on disk,
        // without closing (and so without checkpointing) the first store.
        Path crashed = Files.createDirectories(dir.resolve("crashed"));
        for (String suffix : List.of("", "-wal")) {
            Path source = dir.resolve(Store.FILE_NAME + suffix);
            if (Files.exists(source)) {
                Files.copy(source, crashed.resolve(Store.FILE_NAME + suffix));
            }
        }
        try (Store reopened = Store.open(crashed)) {
            assertThat(reopened.loadServices()).extracting(StoredService::name).containsExactly("orders");
            assertThat(reopened.runningOperations()).extracting(OperationRecord::requestId).containsExactly("req-1");
        }
        abandoned.close();
    }

    @Test
    void aHaltedProcessLeavesItsCommittedWritesAndItsRunningOperation(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-cp", classPath, CrashingWriter.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        assertThat(child.waitFor(45, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isEqualTo(CrashingWriter.HALTED);
        assertThat(new File(dir.toFile(), Store.FILE_NAME + "-wal")).as("the WAL was never checkpointed away").exists();

        try (Store store = Store.open(dir)) {
            List<OperationRecord> running = store.runningOperations();
            assertThat(running).hasSize(1);
            assertThat(running.get(0).requestId()).isEqualTo("req-1");
            assertThat(running.get(0).operation()).isEqualTo(Operation.START);
            assertThat(running.get(0).outcome()).isEqualTo(Outcome.RUNNING);
            assertThat(store.loadServices()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(ServiceState.STARTING);
                assertThat(s.runningRequestId()).isEqualTo("req-1");
            });
            assertThat(store.operations(StoreTest.ALL.withOutcome(Outcome.SUCCEEDED)))
                    .extracting(OperationRecord::requestId).containsExactly("req-0");

            // Recovery marks it interrupted; it is then no longer running.
            store.operationEnded(StoreTest.ended(running.get(0), Outcome.INTERRUPTED, 5_000,
                    "the host stopped while it ran"));
            store.saveService(new StoredService(StoreTest.definition("orders"), ServiceState.START_FAILED,
                    null, null, null, null, 5_000));
            assertThat(store.runningOperations()).isEmpty();
        }
    }
}
