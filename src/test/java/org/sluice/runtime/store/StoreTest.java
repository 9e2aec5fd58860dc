package org.sluice.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.CauseChange;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleEpisode;

@Timeout(60)
class StoreTest {
    @TempDir
    Path dir;

    static ServiceDefinition definition(String name) {
        return new ServiceDefinition(name, 2, 1, 256, ServiceDefinition.Validation.XML, "transforms/orders.xsl",
                "dir:/srv/in", "http://127.0.0.1:9000/orders");
    }

    /** Everything, as far as these tests' logs go. */
    static final OperationQuery ALL = OperationQuery.all(1_000);

    static OperationRecord started(String requestId, String service, Operation operation, long startedMs) {
        return new OperationRecord(requestId, service, operation, "ops@example.org", startedMs, OptionalLong.empty(),
                Outcome.RUNNING, Optional.empty());
    }

    static OperationRecord ended(OperationRecord running, Outcome outcome, long endedMs, String error) {
        return new OperationRecord(running.requestId(), running.service(), running.operation(), running.requester(),
                running.startedMs(), OptionalLong.of(endedMs), outcome, Optional.ofNullable(error));
    }

    /** The first column of the first row of {@code sql}, read beside the store on a connection of its own. */
    private static String query(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String pragma(Path file, String name) throws SQLException {
        return query(file, "PRAGMA " + name);
    }

    // Opening and migrating

    @Test
    void migrationsApplyToAnEmptyDirectory() throws SQLException {
        Path data = dir.resolve("not/yet/there");
        try (Store store = Store.open(data)) {
            assertThat(store.file()).isEqualTo(data.resolve("sluice.db").toAbsolutePath());
            assertThat(store.loadServices()).isEmpty();
            assertThat(store.operations(ALL)).isEmpty();
        }
        Path file = data.resolve(Store.FILE_NAME);
        assertThat(pragma(file, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(file, "user_version")).isEqualTo(Integer.toString(Migrations.latest()));
    }

    @Test
    void reopeningChangesNothing() throws SQLException {
        try (Store store = Store.open(dir)) {
            store.saveService(StoredService.resting(definition("orders"), ServiceState.ACTIVE, 1));
        }
        for (int i = 0; i < 3; i++) {
            try (Store store = Store.open(dir)) {
                assertThat(pragma(store.file(), "user_version")).isEqualTo(Integer.toString(Migrations.latest()));
                assertThat(store.loadServices()).extracting(StoredService::name).containsExactly("orders");
            }
        }
    }

    @Test
    void aDatabaseFromANewerSluiceIsRefusedAndLeftAlone() throws SQLException {
        Path file = dir.resolve(Store.FILE_NAME);
        int newer = Migrations.latest() + 1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE future (x INTEGER)");
            s.execute("PRAGMA user_version = " + newer);
        }
        assertThatThrownBy(() -> Store.open(dir))
                .isInstanceOfSatisfying(SchemaTooNewException.class, e -> {
                    assertThat(e.found()).isEqualTo(newer);
                    assertThat(e.known()).isEqualTo(Migrations.latest());
                })
                .hasMessageContaining("schema version " + newer)
                .hasMessageContaining("knows versions up to " + Migrations.latest());
        assertThat(pragma(file, "user_version")).isEqualTo(Integer.toString(newer));
        assertThat(pragma(file, "journal_mode")).isEqualTo("delete");
    }

    @Test
    void theListOfMigrationsMatchesTheScriptsAndEachParses() throws Exception {
        Path folder = Path.of(Migrations.class.getResource("migrations").toURI());
        Pattern name = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");
        List<String> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(Migrations.SCRIPTS);
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            Matcher m = name.matcher(Migrations.SCRIPTS.get(i));
            assertThat(m.matches()).as(Migrations.SCRIPTS.get(i)).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(i + 1);
            assertThat(Migrations.statements(i + 1)).isNotEmpty().allSatisfy(sql -> assertThat(sql).endsWith(";"));
        }
    }

    @Test
    void aVersionOneDatabaseIsMigratedAndKeepsItsServices() throws SQLException {
        Path file = dir.resolve(Store.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : Migrations.statements(1)) {
                s.execute(sql);
            }
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO service (name, definition, state, updated_ms) VALUES ('orders', '"
                    + org.sluice.runtime.definition.DefinitionJson.write(definition("orders")) + "', 'Active', 3)");
        }
        try (Store store = Store.open(dir)) {
            assertThat(pragma(file, "user_version")).isEqualTo(Integer.toString(Migrations.latest()));
            assertThat(store.loadServices()).containsExactly(StoredService.resting(definition("orders"), ServiceState.ACTIVE, 3));
            assertThat(store.keyHashes()).isEmpty();
        }
    }

    @Test
    void scriptsSplitAtLineEndingSemicolonsAndDropComments() {
        assertThat(Migrations.split("-- a comment\nCREATE TABLE a (\n  x TEXT -- inline stays\n);\n\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (\n  x TEXT -- inline stays\n);", "CREATE INDEX i ON a (x);");
        assertThatThrownBy(() -> Migrations.split("CREATE TABLE a (x TEXT)")).hasMessageContaining("without a ';'");
    }

    @Test
    void aClosedStoreRefusesCallsAndClosesTwiceQuietly() {
        Store store = Store.open(dir);
        store.close();
        store.close();
        assertThatThrownBy(store::loadServices).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    // Key hashes

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);
    private static final String HASH_C = "c".repeat(64);

    @Test
    void keyHashesRoundTripAndASaveReplacesOnlyTheSlotsItNames() {
        try (Store store = Store.open(dir)) {
            assertThat(store.keyHashes()).isEmpty();
            store.saveKeyHashes(List.of(new StoredKeyHash("owner", "primary", HASH_A, 1),
                    new StoredKeyHash("owner", "secondary", HASH_B, 1)));
            store.saveKeyHashes(List.of(new StoredKeyHash("owner", "secondary", HASH_C, 2)));
            assertThat(store.keyHashes()).containsExactly(new StoredKeyHash("owner", "primary", HASH_A, 1),
                    new StoredKeyHash("owner", "secondary", HASH_C, 2));
        }
        try (Store reopened = Store.open(dir)) {
            assertThat(reopened.keyHashes()).extracting(StoredKeyHash::hash).containsExactly(HASH_A, HASH_C);
        }
    }

    @Test
    void aKeyHashOfAnUnknownSlotOrNotAHashIsRefusedAndNothingOfItsBatchIsSaved() {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.saveKeyHashes(List.of(new StoredKeyHash("owner", "primary", HASH_A, 1),
                    new StoredKeyHash("owner", "tertiary", HASH_B, 1))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("save the key hashes");
            assertThatThrownBy(() -> store.saveKeyHashes(List.of(new StoredKeyHash("owner", "primary", "not-a-hash", 1))))
                    .isInstanceOf(StoreException.class);
            assertThat(store.keyHashes()).isEmpty();
        }
    }

    // Services

    @Test
    void servicesRoundTripAndSaveReplaces() {
        try (Store store = Store.open(dir)) {
            ServiceDefinition minimal = new ServiceDefinition("minimal", 1, 1, 64, ServiceDefinition.Validation.NONE,
                    null, null, "dir:/out");
            store.saveService(StoredService.resting(minimal, ServiceState.STOPPED, 5));
            store.saveService(new StoredService(definition("orders"), ServiceState.DISABLED, ServiceState.SUSPENDED,
                    null, null, null, 7));
            assertThat(store.loadServices()).containsExactly(
                    new StoredService(minimal, ServiceState.STOPPED, null, null, null, null, 5),
                    new StoredService(definition("orders"), ServiceState.DISABLED, ServiceState.SUSPENDED, null, null, null, 7));

            store.saveService(StoredService.resting(minimal.withUnits(4), ServiceState.ACTIVE, 9));
            assertThat(store.loadServices()).first().isEqualTo(StoredService.resting(minimal.withUnits(4), ServiceState.ACTIVE, 9));
            assertThat(store.loadServices()).hasSize(2);

            assertThat(store.deleteService("minimal")).isTrue();
            assertThat(store.deleteService("minimal")).isFalse();
            assertThat(store.loadServices()).extracting(StoredService::name).containsExactly("orders");
        }
    }

    @Test
    void aServicesRunningOperationMustBeInTheLog() {
        try (Store store = Store.open(dir)) {
            StoredService starting = new StoredService(definition("orders"), ServiceState.STARTING, null,
                    Operation.START, "req-9", ServiceState.STOPPED, 1);
            assertThatThrownBy(() -> store.saveService(starting)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("save the service orders");
            assertThat(store.loadServices()).isEmpty();

            store.operationStarted(started("req-9", "orders", Operation.START, 1));
            store.saveService(starting);
            assertThat(store.loadServices()).containsExactly(starting);
        }
    }

    // Operation log

    private static void log(Store store, String id, String service, Operation op, long startedMs, Outcome outcome) {
        OperationRecord running = started(id, service, op, startedMs);
        store.operationStarted(running);
        if (outcome != Outcome.RUNNING) {
            store.operationEnded(ended(running, outcome, startedMs + 5, outcome == Outcome.SUCCEEDED ? null : "it broke"));
        }
    }

    private Store storeWithLog() {
        Store store = Store.open(dir);
        log(store, "r1", "orders", Operation.START, 100, Outcome.SUCCEEDED);
        log(store, "r2", "orders", Operation.STOP, 200, Outcome.FAILED);
        log(store, "r3", "billing", Operation.START, 300, Outcome.SUCCEEDED);
        log(store, "r4", "billing", Operation.SCALE, 400, Outcome.INTERRUPTED);
        log(store, "r5", "orders", Operation.START, 500, Outcome.RUNNING);
        return store;
    }

    private static List<String> ids(List<OperationRecord> records) {
        return records.stream().map(OperationRecord::requestId).toList();
    }

    @Test
    void theLogKeepsWhoWhatWhenAndHowItEnded() {
        try (Store store = storeWithLog()) {
            List<OperationRecord> all = store.operations(ALL);
            assertThat(ids(all)).containsExactly("r5", "r4", "r3", "r2", "r1");
            assertThat(all.get(3)).isEqualTo(new OperationRecord("r2", "orders", Operation.STOP, "ops@example.org", 200,
                    OptionalLong.of(205), Outcome.FAILED, Optional.of("it broke")));
            assertThat(all.get(0).outcome()).isEqualTo(Outcome.RUNNING);
            assertThat(all.get(0).endedMs()).isEmpty();
            assertThat(all.get(0).error()).isEmpty();
        }
    }

    @Test
    void aFailuresProblemIsReadBackAfterTheStoreIsOpenedAgain() {
        Problem problem = Problem.of("instance-not-ready", "instance", 0, "seconds", 30, "service", "orders");
        OperationRecord running = started("r1", "orders", Operation.START, 100);
        OperationRecord failed = running.ended(105, Outcome.FAILED, "Instance 0 did not become ready within 30 s", problem);
        try (Store store = Store.open(dir)) {
            store.operationStarted(running);
            store.operationEnded(failed);
        }
        try (Store reopened = Store.open(dir)) {
            assertThat(reopened.operations(ALL)).containsExactly(failed);
            assertThat(reopened.operations(ALL).get(0).problem()).hasValue(problem);
        }
    }

    @Test
    void eachFilterNarrowsTheLog() {
        try (Store store = storeWithLog()) {
            OperationQuery all = ALL;
            assertThat(ids(store.operations(all.withRange(200, 400)))).containsExactly("r3", "r2");
            assertThat(ids(store.operations(all.withRange(0, 100)))).isEmpty();
            assertThat(ids(store.operations(all.forService("billing")))).containsExactly("r4", "r3");
            assertThat(ids(store.operations(all.withOperation(Operation.START)))).containsExactly("r5", "r3", "r1");
            assertThat(ids(store.operations(all.withOutcome(Outcome.SUCCEEDED)))).containsExactly("r3", "r1");
            assertThat(ids(store.operations(all.withOutcome(Outcome.FAILED)))).containsExactly("r2");
            assertThat(ids(store.operations(all.withOutcome(Outcome.INTERRUPTED)))).containsExactly("r4");
            assertThat(ids(store.operations(all.withOutcome(Outcome.RUNNING)))).containsExactly("r5");
            assertThat(ids(store.operations(all.forService("orders").withOperation(Operation.START)
                    .withOutcome(Outcome.SUCCEEDED)))).containsExactly("r1");
            assertThat(ids(store.operations(all.withLimit(2)))).containsExactly("r5", "r4");
            assertThat(ids(store.operations(all.forService("nobody")))).isEmpty();
        }
        assertThatThrownBy(() -> ALL.withLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRunningFilterFindsAnOperationOlderThanTheLimitOfEndedOnes() {
        try (Store store = Store.open(dir)) {
            log(store, "still-running", "orders", Operation.START, 100, Outcome.RUNNING);
            for (int i = 1; i <= 5; i++) {
                log(store, "done-" + i, "orders", Operation.START, 100 + i * 10, Outcome.SUCCEEDED);
            }
            OperationQuery running = ALL.forService("orders").withOutcome(Outcome.RUNNING).withLimit(2);

            assertThat(ids(store.operations(running))).containsExactly("still-running");
        }
    }

    @Test
    void operationsStartedInTheSameMillisecondAreNewestFirstByInsertion() {
        try (Store store = Store.open(dir)) {
            log(store, "b", "orders", Operation.START, 100, Outcome.SUCCEEDED);
            log(store, "a", "orders", Operation.STOP, 100, Outcome.SUCCEEDED);
            assertThat(ids(store.operations(ALL))).containsExactly("a", "b");
        }
    }

    @Test
    void runningOperationsAreThoseNeverEndedAndSurviveAReopen() {
        try (Store store = storeWithLog()) {
            store.operationStarted(started("r6", "billing", Operation.BACKUP, 50));
            assertThat(ids(store.runningOperations())).containsExactly("r6", "r5");
        }
        try (Store store = Store.open(dir)) {
            assertThat(ids(store.runningOperations())).containsExactly("r6", "r5");
            store.operationEnded(ended(started("r6", "billing", Operation.BACKUP, 50), Outcome.INTERRUPTED, 1_000,
                    "the host stopped while it ran"));
            assertThat(ids(store.runningOperations())).containsExactly("r5");
        }
    }

    @Test
    void endingAnUnknownOrEndedOperationIsRefused() {
        try (Store store = storeWithLog()) {
            assertThatThrownBy(() -> store.operationEnded(ended(started("nope", "orders", Operation.START, 1),
                    Outcome.SUCCEEDED, 1, null)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> store.operationEnded(ended(started("r1", "orders", Operation.START, 100),
                    Outcome.FAILED, 1, "again")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.operations(ALL.withOutcome(Outcome.SUCCEEDED))).extracting(OperationRecord::requestId)
                    .contains("r1");
            assertThatThrownBy(() -> store.operationStarted(started("r1", "orders", Operation.START, 1)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("r1");
            assertThatThrownBy(() -> store.operationEnded(started("r5", "orders", Operation.START, 500)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ids(store.runningOperations())).containsExactly("r5");
        }
    }

    // Throttle episodes

    @Test
    void episodesRoundTripAndAnOpenEpisodeIsClosedInPlace() {
        try (Store store = Store.open(dir)) {
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(100, OptionalLong.empty(),
                    Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 1, new ThrottleEpisode(150, OptionalLong.of(400),
                    EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))));
            store.saveEpisode(new InstanceEpisode("billing", 0, new ThrottleEpisode(120, OptionalLong.of(130),
                    Set.of(Cause.CONCURRENCY))));
            assertThat(store.episodes("orders", 0, 1_000)).containsExactly(
                    new InstanceEpisode("orders", 0, new ThrottleEpisode(100, OptionalLong.empty(), Set.of(Cause.MEMORY))),
                    new InstanceEpisode("orders", 1, new ThrottleEpisode(150, OptionalLong.of(400),
                            EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))));

            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(100, OptionalLong.of(300),
                    EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))));
            assertThat(store.episodes("orders", 0, 1_000)).first().isEqualTo(new InstanceEpisode("orders", 0,
                    new ThrottleEpisode(100, OptionalLong.of(300), EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))));
            assertThat(store.episodes("orders", 0, 1_000)).hasSize(2);
        }
    }

    @Test
    void anEpisodeKeepsItsCauseHistoryAndWhetherItWasCutShort() {
        try (Store store = Store.open(dir)) {
            ThrottleEpisode open = ThrottleEpisode.opening(100, Set.of(Cause.MEMORY))
                    .changedAt(250, EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))
                    .changedAt(400, Set.of(Cause.CONCURRENCY));
            store.saveEpisode(new InstanceEpisode("orders", 0, open));
            assertThat(store.episodes("orders", 0, 1_000)).singleElement().isEqualTo(new InstanceEpisode("orders", 0, open));

            store.saveEpisode(new InstanceEpisode("orders", 0, open.cutShortAt(460)));
            assertThat(store.episodes("orders", 0, 1_000)).singleElement().satisfies(e -> {
                assertThat(e.episode().cutShort()).isTrue();
                assertThat(e.episode().endMs()).hasValue(460);
                assertThat(e.episode().history()).containsExactly(new CauseChange(100, Set.of(Cause.MEMORY)),
                        new CauseChange(250, EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY)),
                        new CauseChange(400, Set.of(Cause.CONCURRENCY)));
            });
        }
    }

    @Test
    void anEpisodeWhoseHistoryLeftStepsOutKeepsTheCountOfThem() {
        try (Store store = Store.open(dir)) {
            ThrottleEpisode episode = ThrottleEpisode.opening(0, Set.of(Cause.MEMORY));
            for (int i = 1; i <= 1_000; i++) {
                episode = episode.changedAt(i * 10L, i % 2 == 1 ? EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY) : Set.of(Cause.MEMORY));
            }
            assertThat(episode.omittedSteps()).isPositive();
            store.saveEpisode(new InstanceEpisode("orders", 0, episode.endedAt(20_000)));

            assertThat(store.episodes("orders", 0, 30_000)).singleElement()
                    .isEqualTo(new InstanceEpisode("orders", 0, episode.endedAt(20_000)));
        }
    }

    @Test
    void episodesLeftOpenAndClosedAtRecoveryAreMarkedCutShortAndThoseEndedBeforeAreNot() {
        try (Store store = Store.open(dir)) {
            store.saveEpisode(new InstanceEpisode("orders", 0, ThrottleEpisode.opening(100, Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 1, ThrottleEpisode.opening(50, Set.of(Cause.MEMORY)).endedAt(90)));

            assertThat(store.closeOpenEpisodes(900)).isEqualTo(1);

            assertThat(store.episodes("orders", 0, 1_000)).extracting(e -> e.instance() + " " + e.episode().endMs().getAsLong()
                    + " " + e.episode().cutShort()).containsExactly("1 90 false", "0 900 true");
        }
    }

    @Test
    void aVersion2DatabaseIsUpgradedInPlaceAndKeepsItsLogAndEpisodes() throws Exception {
        Path file = dir.resolve(Store.FILE_NAME);
        // A database as a host of schema version 2 left it: built from that version's scripts, with its rows.
        databaseOfVersion(file, 2, s -> {
            s.execute("INSERT INTO operation_log (request_id, service, operation, requester, started_ms, ended_ms, outcome) "
                    + "VALUES ('r1', 'orders', 'Start', 'alice', 100, 200, 'SUCCEEDED')");
            s.execute("INSERT INTO throttle_episode (service, instance_index, start_ms, end_ms, causes) "
                    + "VALUES ('orders', 0, 1000, 4000, 'MEMORY+CONCURRENCY')");
            s.execute("INSERT INTO throttle_episode (service, instance_index, start_ms, end_ms, causes) "
                    + "VALUES ('orders', 1, 2000, NULL, 'CONCURRENCY')");
        });

        try (Store store = Store.open(dir)) {
            assertThat(pragma(file, "user_version")).isEqualTo(String.valueOf(Migrations.latest()));
            assertThat(store.operations(ALL)).singleElement().satisfies(r -> {
                assertThat(r.operation()).isEqualTo(Operation.START);
                assertThat(r.crash()).isEmpty();
            });
            // Version 2 kept no steps: an old episode has one, at its start, with all its causes.
            assertThat(store.episodes("orders", 0, Long.MAX_VALUE)).extracting(InstanceEpisode::episode).containsExactly(
                    new ThrottleEpisode(1000, OptionalLong.of(4000), EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY)),
                    new ThrottleEpisode(2000, OptionalLong.empty(), Set.of(Cause.CONCURRENCY)));

            store.closeOpenEpisodes(5000);
            assertThat(store.episodes("orders", 0, Long.MAX_VALUE)).extracting(e -> e.episode().cutShort()).containsExactly(false, true);
        }
    }

    @Test
    void theHostsOwnEntriesKeepWhetherACrashOrAHostRestartMadeThem() {
        try (Store store = Store.open(dir)) {
            store.operationStarted(new OperationRecord("c1", "orders", Operation.INSTANCE_RESTART, OperationRecord.HOST, 100,
                    OptionalLong.empty(), Outcome.RUNNING, Optional.empty(), Optional.of(new InstanceCrash(1, 137, 2, RestartCause.CRASH))));
            store.operationStarted(new OperationRecord("h1", "orders", Operation.INSTANCE_LEFT_DOWN, OperationRecord.HOST, 200,
                    OptionalLong.empty(), Outcome.RUNNING, Optional.empty(),
                    Optional.of(new InstanceCrash(0, -1, 6, RestartCause.HOST_RESTART))));
        }
        try (Store reopened = Store.open(dir)) {
            assertThat(reopened.operations(ALL)).extracting(r -> r.crash().orElseThrow().cause())
                    .containsExactly(RestartCause.HOST_RESTART, RestartCause.CRASH);
        }
    }

    @Test
    void theHostsOwnEntriesOfAVersion4DatabaseAreCrashes() throws Exception {
        Path file = dir.resolve(Store.FILE_NAME);
        databaseOfVersion(file, 4, s -> {
            s.execute("INSERT INTO operation_log (request_id, service, operation, requester, started_ms, ended_ms, outcome, "
                    + "instance_index, exit_status, crashes_in_a_row) VALUES ('c1', 'orders', 'InstanceRestart', '"
                    + OperationRecord.HOST + "', 100, 200, 'SUCCEEDED', 1, 1, 3)");
        });
        try (Store store = Store.open(dir)) {
            assertThat(store.operations(ALL)).singleElement().satisfies(r ->
                    assertThat(r.crash()).hasValue(new InstanceCrash(1, 1, 3, RestartCause.CRASH)));
            assertThat(query(file, "SELECT restart_cause FROM operation_log")).isEqualTo("Crash");
        }
    }

    @Test
    void anEpisodeOfANegativeInstanceIsRefused() {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.saveEpisode(new InstanceEpisode("orders", -1,
                    new ThrottleEpisode(100, OptionalLong.empty(), Set.of(Cause.MEMORY)))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.episodes("orders", 0, Long.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void episodesAreThoseOverlappingTheRange() {
        try (Store store = Store.open(dir)) {
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(100, OptionalLong.of(200), Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(300, OptionalLong.of(400), Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(500, OptionalLong.empty(), Set.of(Cause.MEMORY))));
            assertThat(starts(store.episodes("orders", 150, 350))).containsExactly(100L, 300L);
            assertThat(starts(store.episodes("orders", 201, 299))).isEmpty();
            assertThat(starts(store.episodes("orders", 200, 300))).containsExactly(100L);
            assertThat(starts(store.episodes("orders", 10_000, 20_000))).containsExactly(500L);
        }
    }

    private static List<Long> starts(List<InstanceEpisode> episodes) {
        return episodes.stream().map(e -> e.episode().startMs()).toList();
    }

    // Backups

    @Test
    void backupsRoundTripNewestFirst() throws SQLException {
        try (Store store = Store.open(dir)) {
            BackupInfo first = new BackupInfo("b1", "orders", 100, definition("orders"), true, Optional.empty());
            BackupInfo failed = new BackupInfo("b2", "orders", 200, definition("orders").withUnits(3), false,
                    Optional.of("the settings could not be read"));
            BackupInfo other = new BackupInfo("b3", "billing", 150, definition("billing"), true, Optional.empty());
            store.backupSaved(first);
            store.backupSaved(failed);
            store.backupSaved(other);
            assertThat(store.backups("orders")).containsExactly(failed, first);
            assertThat(store.backup("b2")).contains(failed);
            assertThat(store.backup("b2").orElseThrow().error()).contains("the settings could not be read");
            assertThat(store.backup("b9")).isEmpty();
            assertThat(store.backups("nobody")).isEmpty();
        }
        // The column stays in the schema for settings a later version may keep; today it is empty JSON.
        assertThat(query(dir.resolve(Store.FILE_NAME), "SELECT group_concat(DISTINCT settings) FROM backup"))
                .isEqualTo("{}");
    }

    // Concurrency

    @Test
    void concurrentWritersThroughOneStoreAndASecondConnectionLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 60;
        try (Store first = Store.open(dir); Store second = Store.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Store store = thread % 2 == 0 ? first : second;
                Callable<Void> writer = () -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String id = "t" + thread + "-" + i;
                        OperationRecord running = started(id, "svc-" + thread, Operation.START, i);
                        store.operationStarted(running);
                        store.operationEnded(ended(running, Outcome.SUCCEEDED, i + 1, null));
                        store.saveEpisode(new InstanceEpisode("svc-" + thread, 0, new ThrottleEpisode(i,
                                OptionalLong.of(i + 1), Set.of(Cause.MEMORY))));
                        store.saveService(StoredService.resting(definition("svc-" + thread), ServiceState.ACTIVE, i));
                    }
                    return null;
                };
                results.add(pool.submit(writer));
            }
            go.countDown();
            for (Future<Void> result : results) {
                result.get(50, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(first.operations(ALL.withLimit(100_000))).hasSize(threads * perThread);
            assertThat(second.loadServices()).hasSize(threads);
            for (int t = 0; t < threads; t++) {
                assertThat(first.episodes("svc-" + t, 0, Long.MAX_VALUE)).hasSize(perThread);
            }
        }
        assertThat(pragma(dir.resolve(Store.FILE_NAME), "integrity_check")).isEqualTo("ok");
    }

    @Test
    void anEpisodeWrittenOpenIsReplacedWhenItEndsAndThoseLeftOpenCanBeEndedAtOnce() {
        try (Store store = Store.open(dir)) {
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(100, OptionalLong.empty(), Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(100, OptionalLong.of(400), Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 1, new ThrottleEpisode(200, OptionalLong.empty(), Set.of(Cause.CONCURRENCY))));

            assertThat(store.closeOpenEpisodes(900)).isEqualTo(1);

            assertThat(store.episodes("orders", 0, 1_000)).extracting(e -> e.instance() + ":" + e.episode().endMs().orElse(-1))
                    .containsExactly("0:400", "1:900");
        }
    }

    @Test
    void purgingDeletesWhatEndedBeforeTheCutOffAndKeepsWhatRunsOrIsOpen() {
        try (Store store = Store.open(dir)) {
            store.operationStarted(new OperationRecord("old", "orders", Operation.STOP, "t", 10, OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
            store.operationEnded(new OperationRecord("old", "orders", Operation.STOP, "t", 10, OptionalLong.of(20), Outcome.SUCCEEDED, Optional.empty()));
            store.operationStarted(new OperationRecord("stuck", "orders", Operation.START, "t", 10, OptionalLong.empty(), Outcome.RUNNING, Optional.empty()));
            store.saveEpisode(new InstanceEpisode("orders", 0, new ThrottleEpisode(5, OptionalLong.of(30), Set.of(Cause.MEMORY))));
            store.saveEpisode(new InstanceEpisode("orders", 1, new ThrottleEpisode(5, OptionalLong.empty(), Set.of(Cause.MEMORY))));

            assertThat(store.purgeEndedBefore(100)).isEqualTo(2);

            assertThat(store.operations(OperationQuery.all(10))).extracting(OperationRecord::requestId).containsExactly("stuck");
            assertThat(store.episodes("orders", 0, 1_000)).extracting(InstanceEpisode::instance).containsExactly(1);
        }
    }

    /** Rows written into a database of an older schema version. */
    private interface OlderRows {
        void add(Statement statement) throws java.sql.SQLException;
    }

    /**
     * Makes {@code file} a database as a host of schema version {@code version} left it, built
     * from that version's scripts, with the rows {@code rows} adds.
     */
    private static void databaseOfVersion(Path file, int version, OlderRows rows) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (int v = 1; v <= version; v++) {
                for (String sql : Migrations.statements(v)) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = " + version);
            rows.add(s);
        }
    }
}
