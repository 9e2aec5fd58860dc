package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredService;

/**
 * Every operation cut short by a crash, as the real SQLite store keeps it: the store is written
 * as the host writes it while the operation runs (the log entry, then the service in its
 * transitional state), closed without the operation ending, and opened again by a new host.
 * Expected landings are the specification's failure states (Backup and Delete fall back to the
 * state they began in).
 */
class RecoveryOverStoreTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} begun in {1} lands in {2}")
    @CsvSource({
            "CREATE,               ,            CREATE_FAILED",
            "RESTORE,              ,            RESTORE_FAILED",
            "START,                STOPPED,     START_FAILED",
            "STOP,                 ACTIVE,      STOP_FAILED",
            "RESTART,              ACTIVE,      RESTART_FAILED",
            "SUSPEND,              ACTIVE,      SUSPEND_FAILED",
            "RESUME,               SUSPENDED,   RESUME_FAILED",
            "SCALE,                ACTIVE,      SCALE_FAILED",
            "UPDATE_CONFIGURATION, ACTIVE,      CONFIG_UPDATE_FAILED",
            "BACKUP,               SUSPENDED,   SUSPENDED",
            "DELETE,               STOPPED,     STOPPED",
            "DISABLE,              ACTIVE,      DISABLE_FAILED",
            "ENABLE,               DISABLED,    ENABLE_FAILED",
            "SERVICE_UPDATE,       ACTIVE,      SERVICE_UPDATE_FAILED",
    })
    void anOperationCutShortByACrashLandsInItsFailureStateAndIsLoggedInterrupted(Operation operation, ServiceState from,
                                                                                ServiceState expected) throws Exception {
        Path data = temp.resolve("data");
        ServiceDefinition orders = new ServiceDefinition("orders", 1, 1, 128, Validation.NONE, null, null, "dir:/srv/out");
        try (Store crashed = Store.open(data)) {
            crashed.operationStarted(new OperationRecord("r-1", "orders", operation, "alice", 1_000, OptionalLong.empty(),
                    Outcome.RUNNING, Optional.empty()));
            crashed.saveService(new StoredService(orders, Lifecycle.running(operation), null, operation, "r-1", from, 1_000));
        }

        try (Store store = Store.open(data)) {
            Host restarted = new Host(new FakeLauncher(), store, InstantSource.fixed(Instant.ofEpochMilli(5_000)),
                    new Host.Settings(Duration.ofSeconds(5), Duration.ofMillis(200)));
            try {
                restarted.load();
                assertThat(restarted.service("orders").orElseThrow().state()).isEqualTo(expected);
                OperationRecord logged = store.operations(OperationQuery.all(10)).get(0);
                assertThat(logged.outcome()).isEqualTo(Outcome.INTERRUPTED);
                assertThat(logged.endedMs()).hasValue(5_000);
                assertThat(logged.error()).contains(Host.INTERRUPTED);
                assertThat(logged.problem()).contains(Host.INTERRUPTED_PROBLEM);
                assertThat(store.runningOperations()).isEmpty();
            } finally {
                restarted.close();
            }
            // And as stored: a third start finds the service where the second left it.
            assertThat(store.loadServices()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(expected);
                assertThat(s.running()).isEmpty();
            });
        }
    }

    @Test
    void aFailedOperationsProblemIsTheLastOperationsAgainAfterTheHostRestarts() throws Exception {
        Path data = temp.resolve("data");
        ServiceDefinition orders = new ServiceDefinition("orders", 1, 1, 128, Validation.NONE, null, null, "dir:/srv/out");
        Host.Settings settings = new Host.Settings(Duration.ofSeconds(5), Duration.ofMillis(200));
        OperationRecord failed;
        try (Store store = Store.open(data)) {
            FakeLauncher launcher = new FakeLauncher();
            launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.FAILS_TO_START);
            Host host = new Host(launcher, store, InstantSource.fixed(Instant.ofEpochMilli(1_000)), settings);
            try {
                failed = host.create(orders, "alice").completion().get(10, TimeUnit.SECONDS);
            } finally {
                host.close();
            }
        }
        assertThat(failed.problem()).hasValueSatisfying(p -> {
            assertThat(p.code()).isEqualTo("instance-did-not-start");
            assertThat(p.arguments()).containsEntry("instance", "0").containsKey("reason");
        });

        try (Store store = Store.open(data)) {
            Host restarted = new Host(new FakeLauncher(), store, InstantSource.fixed(Instant.ofEpochMilli(5_000)), settings);
            try {
                restarted.load();
                assertThat(restarted.service("orders").orElseThrow().lastOperation()).hasValueSatisfying(last -> {
                    assertThat(last.requestId()).isEqualTo(failed.requestId());
                    assertThat(last.error()).isEqualTo(failed.error());
                    assertThat(last.problem()).isEqualTo(failed.problem());
                });
            } finally {
                restarted.close();
            }
        }
    }
}
