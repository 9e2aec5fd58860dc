package org.sluice.runtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.definition.DefinitionJson;
import org.sluice.runtime.definition.DefinitionJsonException;
import org.sluice.runtime.instance.OwnerOnly;
import org.sluice.throttle.Cause;
import org.sluice.throttle.CauseChange;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleEpisode;

/**
 * The host's embedded database, {@code DATA/sluice.db}: services, the operation log, throttle
 * episodes and backups, and the hashes of the management API's keys. It is the host's
 * {@link HostJournal}, and reads and writes the domain's own records ({@link OperationRecord},
 * {@link InstanceEpisode}, {@link BackupInfo}).
 *
 * <p>SQLite in WAL mode with {@code synchronous=FULL}: a call that returned has reached the disk,
 * and a crash at any moment leaves the last committed state (see
 * {@code docs/decisions/0007-embedded-store.md}). Every call is one transaction. The schema is
 * brought up to date when the store opens, and a database written by a newer Sluice is refused
 * with {@link SchemaTooNewException}.
 *
 * <p>Thread-safe: the store has one connection, and a lock lets one call use it at a time. Other
 * processes opening the same file wait up to {@link #BUSY_TIMEOUT_MS} for a write lock.
 */
public final class Store implements HostJournal {
    /** The database's file name in the data directory. */
    public static final String FILE_NAME = "sluice.db";
    /** The first 16 bytes of every SQLite 3 database file. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** How long a write waits for another connection's lock before it fails. */
    public static final int BUSY_TIMEOUT_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /**
     * What the {@code settings} column of a backup holds. The schema has room for settings beside
     * the definition, but a service has none yet.
     */
    private static final String NO_SETTINGS = "{}";
    private static final String SUCCEEDED = "SUCCEEDED";
    private static final String FAILED = "FAILED";
    private static final String OPERATION_COLUMNS =
            "request_id, service, operation, requester, started_ms, ended_ms, outcome, error, instance_index, exit_status, "
                    + "crashes_in_a_row, restart_cause, problem";
    private static final String BACKUP_COLUMNS = "id, service, created_ms, definition, status, error";

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private Store(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) {@code dataDirectory/sluice.db} and migrates it to the latest
     * schema.
     *
     * @throws SchemaTooNewException when the database was written by a newer Sluice
     * @throws StoreException        when it cannot be created, opened or migrated
     */
    public static Store open(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new StoreException("Cannot create the data directory " + dataDirectory + ": " + e.getMessage(), e);
        }
        checkFile(dataDirectory, file);
        try {
            if (!Files.exists(file)) {
                // SQLite gives its write-ahead log and shared-memory files the database's permissions.
                OwnerOnly.write(file, new byte[0]);
            } else {
                OwnerOnly.restrict(file);
            }
        } catch (IOException e) {
            throw new StoreException("Cannot create " + file + ": " + e.getMessage(), e);
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new StoreException("Cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            configure(connection, file);
            migrate(connection, file);
            return new Store(file, connection);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("Cannot prepare " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a database file that is not what a host leaves behind. SQLite would take an empty
     * file as a new database, so a file emptied by a failed copy or a full disk would make a host
     * with no service, every service gone without a word; that is allowed only in a folder no host
     * has used yet (no instance folders, no write-ahead log).
     */
    private static void checkFile(Path dataDirectory, Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                if (Files.exists(dataDirectory.resolve("instances")) || Files.exists(Path.of(file + "-wal"))) {
                    throw new StoreException("The database " + file + " is empty (0 bytes), but this data folder has been used: "
                            + "its services are not in it. Put back a copy of it, or move it aside to start this folder afresh.");
                }
                return;
            }
            byte[] header = new byte[SQLITE_HEADER.length];
            try (var in = Files.newInputStream(file)) {
                int read = in.readNBytes(header, 0, header.length);
                if (read < header.length || !java.util.Arrays.equals(header, SQLITE_HEADER)) {
                    throw new StoreException("The file " + file + " is not a SQLite database. Put back the host's database, "
                            + "or move the file aside to start this folder afresh.");
                }
            }
        } catch (IOException e) {
            throw new StoreException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a database SQLite finds damaged, before anything is written to it. */
    private static void checkIntact(Statement statement, Path file) throws SQLException {
        List<String> findings = new ArrayList<>();
        try (ResultSet check = statement.executeQuery("PRAGMA quick_check(5)")) {
            while (check.next()) {
                findings.add(check.getString(1));
            }
        }
        if (!findings.equals(List.of("ok"))) {
            throw damaged(file, String.join("; ", findings), null);
        }
    }

    private static StoreException damaged(Path file, String finding, Throwable cause) {
        return new StoreException("The database " + file + " is damaged (" + finding + "). The host does not run on it. "
                + "Inspect it with: sqlite3 " + file + " 'PRAGMA integrity_check'; then put back a copy, or move it aside to "
                + "start this folder afresh.", cause);
    }

    private static void configure(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            try {
                checkIntact(statement, file);
            } catch (SQLException malformed) {
                throw damaged(file, malformed.getMessage(), malformed);
            }
            // Refuse a newer database before changing anything in it.
            int version = userVersion(statement);
            if (version > Migrations.latest()) {
                throw new SchemaTooNewException(file, version, Migrations.latest());
            }
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                String journal = mode.next() ? mode.getString(1) : "";
                if (!"wal".equalsIgnoreCase(journal)) {
                    throw new StoreException("Cannot use write-ahead logging for " + file + " (journal mode is "
                            + journal + ")");
                }
            }
            statement.execute("PRAGMA synchronous = FULL");
            statement.execute("PRAGMA foreign_keys = ON");
        }
    }

    private static int userVersion(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Applies each missing version in its own transaction; another process may be migrating too. */
    private static void migrate(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            while (true) {
                statement.execute("BEGIN IMMEDIATE");
                try {
                    int version = userVersion(statement);
                    if (version > Migrations.latest()) {
                        throw new SchemaTooNewException(file, version, Migrations.latest());
                    }
                    if (version == Migrations.latest()) {
                        statement.execute("COMMIT");
                        return;
                    }
                    int next = version + 1;
                    for (String sql : Migrations.statements(next)) {
                        statement.execute(sql);
                    }
                    statement.execute("PRAGMA user_version = " + next);
                    statement.execute("COMMIT");
                    LOG.info("Migrated {} to schema version {}", file, next);
                } catch (SQLException | RuntimeException e) {
                    rollback(statement, e);
                    throw e;
                }
            }
        }
    }

    private static void rollback(Statement statement, Exception cause) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    // Services

    /** Inserts the service, or replaces the stored one of the same name. */
    @Override
    public void saveService(StoredService service) {
        Objects.requireNonNull(service, "service");
        write("save the service " + service.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO service (name, definition, state, "
                    + "state_before_disable, running_operation, running_request_id, running_from, updated_ms) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, "
                    + "state = excluded.state, state_before_disable = excluded.state_before_disable, "
                    + "running_operation = excluded.running_operation, running_request_id = excluded.running_request_id, "
                    + "running_from = excluded.running_from, updated_ms = excluded.updated_ms")) {
                ps.setString(1, service.name());
                ps.setString(2, DefinitionJson.write(service.definition()));
                ps.setString(3, service.state().chartName());
                ps.setString(4, service.beforeDisable().map(ServiceState::chartName).orElse(null));
                ps.setString(5, service.running().map(Operation::chartName).orElse(null));
                ps.setString(6, service.runningRequestId());
                ps.setString(7, service.runningFrom() == null ? null : service.runningFrom().chartName());
                ps.setLong(8, service.updatedMs());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Removes the service; its operation log, episodes and backups stay. Returns false when there was none. */
    @Override
    public boolean deleteService(String name) {
        Objects.requireNonNull(name, "name");
        return write("delete the service " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM service WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Every stored service, by name. */
    @Override
    public List<StoredService> loadServices() {
        return read("load the services", c -> {
            List<StoredService> services = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, definition, state, state_before_disable, "
                    + "running_operation, running_request_id, running_from, updated_ms FROM service ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    services.add(new StoredService(definition(rs.getString("definition")),
                            state(rs.getString("state")), nullableState(rs.getString("state_before_disable")),
                            nullableOperation(rs.getString("running_operation")), rs.getString("running_request_id"),
                            nullableState(rs.getString("running_from")), rs.getLong("updated_ms")));
                }
            }
            return services;
        });
    }

    // Operation log

    /**
     * Logs that an operation began: its request id, service, operation, requester and start. A
     * service's {@link StoredService#runningRequestId()} may name it only once it is logged.
     *
     * @throws StoreException when its request id is already in the log
     */
    @Override
    public void operationStarted(OperationRecord record) {
        String requestId = Objects.requireNonNull(record.requestId(), "requestId");
        String service = Objects.requireNonNull(record.service(), "service");
        Operation operation = Objects.requireNonNull(record.operation(), "operation");
        String requester = Objects.requireNonNull(record.requester(), "requester");
        write("log the start of " + operation.chartName() + " " + requestId + " on " + service, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO operation_log (request_id, service, operation, "
                    + "requester, started_ms, instance_index, exit_status, crashes_in_a_row, restart_cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, requestId);
                ps.setString(2, service);
                ps.setString(3, operation.chartName());
                ps.setString(4, requester);
                ps.setLong(5, record.startedMs());
                Optional<InstanceCrash> crash = record.crash();
                ps.setObject(6, crash.map(InstanceCrash::instance).orElse(null), Types.INTEGER);
                ps.setObject(7, crash.map(InstanceCrash::exitStatus).orElse(null), Types.INTEGER);
                ps.setObject(8, crash.map(InstanceCrash::crashesInARow).orElse(null), Types.INTEGER);
                ps.setString(9, crash.map(k -> k.cause().apiName()).orElse(null));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Logs how a running operation ended: its end time, outcome and error.
     *
     * @throws IllegalArgumentException when the record's outcome is {@link Outcome#RUNNING}
     * @throws IllegalStateException    when no running operation has its request id
     */
    @Override
    public void operationEnded(OperationRecord record) {
        String requestId = Objects.requireNonNull(record.requestId(), "requestId");
        Outcome outcome = Objects.requireNonNull(record.outcome(), "outcome");
        if (outcome == Outcome.RUNNING) {
            throw new IllegalArgumentException("A running operation has not ended");
        }
        long endedMs = record.endedMs().orElseThrow();
        int updated = write("log the end of " + requestId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE operation_log SET ended_ms = ?, outcome = ?, "
                    + "error = ?, problem = ? WHERE request_id = ? AND ended_ms IS NULL")) {
                ps.setLong(1, endedMs);
                ps.setString(2, outcome.name());
                ps.setString(3, record.error().orElse(null));
                ps.setString(4, record.problem().map(ProblemJson::text).orElse(null));
                ps.setString(5, requestId);
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new IllegalStateException("No running operation has the request id " + requestId);
        }
    }

    /**
     * The operations matching {@code query}, newest first. Every filter, the running one
     * included, is part of the SQL, so the limit counts only matching entries.
     */
    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT " + OPERATION_COLUMNS + " FROM operation_log WHERE 1 = 1");
        List<Object> arguments = new ArrayList<>();
        query.fromMs().ifPresent(ms -> {
            sql.append(" AND started_ms >= ?");
            arguments.add(ms);
        });
        query.toMs().ifPresent(ms -> {
            sql.append(" AND started_ms < ?");
            arguments.add(ms);
        });
        query.service().ifPresent(name -> {
            sql.append(" AND service = ?");
            arguments.add(name);
        });
        query.operation().ifPresent(op -> {
            sql.append(" AND operation = ?");
            arguments.add(op.chartName());
        });
        query.outcome().ifPresent(outcome -> {
            if (outcome == Outcome.RUNNING) {
                sql.append(" AND ended_ms IS NULL");
            } else {
                sql.append(" AND outcome = ?");
                arguments.add(outcome.name());
            }
        });
        sql.append(" ORDER BY started_ms DESC, rowid DESC LIMIT ?");
        arguments.add(query.limit());
        return read("list the operation log", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < arguments.size(); i++) {
                    ps.setObject(i + 1, arguments.get(i));
                }
                return operationRecords(ps);
            }
        });
    }

    @Override
    public Optional<OperationRecord> operation(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        return read("read the operation " + requestId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATION_COLUMNS + " FROM operation_log WHERE request_id = ?")) {
                ps.setString(1, requestId);
                return operationRecords(ps).stream().findFirst();
            }
        });
    }

    /**
     * The operations that began and never ended, oldest first. Right after opening these are the
     * ones a crash or an unclean stop interrupted.
     */
    @Override
    public List<OperationRecord> runningOperations() {
        return read("list the running operations", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATION_COLUMNS
                    + " FROM operation_log WHERE ended_ms IS NULL ORDER BY started_ms, rowid")) {
                return operationRecords(ps);
            }
        });
    }

    // Throttle episodes

    /**
     * Records a throttle episode of one instance. An episode with the same service, instance and
     * start replaces the stored one, so an open episode can be recorded and later closed.
     *
     * @throws IllegalArgumentException when the instance index is negative
     */
    @Override
    public void saveEpisode(InstanceEpisode record) {
        String service = Objects.requireNonNull(record.service(), "service");
        ThrottleEpisode episode = Objects.requireNonNull(record.episode(), "episode");
        if (record.instance() < 0) {
            throw new IllegalArgumentException("instance index must not be negative, was " + record.instance());
        }
        write("record a throttle episode of " + service, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO throttle_episode "
                    + "(service, instance_index, start_ms, end_ms, causes, cut_short, cause_history, cause_history_omitted) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (service, instance_index, start_ms) DO UPDATE SET end_ms = excluded.end_ms, "
                    + "causes = excluded.causes, cut_short = excluded.cut_short, cause_history = excluded.cause_history, "
                    + "cause_history_omitted = excluded.cause_history_omitted")) {
                ps.setString(1, service);
                ps.setInt(2, record.instance());
                ps.setLong(3, episode.startMs());
                setNullableLong(ps, 4, episode.endMs());
                ps.setString(5, joined(episode.causes()));
                ps.setInt(6, episode.cutShort() ? 1 : 0);
                ps.setString(7, episode.history().stream().map(step -> step.atMs() + ":" + joined(step.causes()))
                        .collect(Collectors.joining(";")));
                ps.setInt(8, episode.omittedSteps());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int purgeEndedBefore(long ms) {
        return write("purge the operation log and throttle episodes", c -> {
            int purged;
            try (PreparedStatement operations = c.prepareStatement("DELETE FROM operation_log WHERE ended_ms IS NOT NULL AND ended_ms < ?")) {
                operations.setLong(1, ms);
                purged = operations.executeUpdate();
            }
            try (PreparedStatement episodes = c.prepareStatement("DELETE FROM throttle_episode WHERE end_ms IS NOT NULL AND end_ms < ?")) {
                episodes.setLong(1, ms);
                purged += episodes.executeUpdate();
            }
            return purged;
        });
    }

    @Override
    public int closeOpenEpisodes(long atMs) {
        return write("end the throttle episodes left open", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE throttle_episode SET end_ms = MAX(start_ms, ?), cut_short = 1 WHERE end_ms IS NULL")) {
                ps.setLong(1, atMs);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The episodes of {@code service}'s instances that overlap {@code [fromMs, toMs)}: started
     * before {@code toMs} and not ended before {@code fromMs}. Ordered by start, then instance.
     */
    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        Objects.requireNonNull(service, "service");
        return read("list the throttle episodes of " + service, c -> {
            List<InstanceEpisode> episodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT instance_index, start_ms, end_ms, causes, cut_short, cause_history, cause_history_omitted "
                    + "FROM throttle_episode WHERE service = ? AND start_ms < ? AND (end_ms IS NULL OR end_ms >= ?) "
                    + "ORDER BY start_ms, instance_index")) {
                ps.setString(1, service);
                ps.setLong(2, toMs);
                ps.setLong(3, fromMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long start = rs.getLong("start_ms");
                        Set<Cause> causes = causes(rs.getString("causes"));
                        String history = rs.getString("cause_history");
                        ThrottleEpisode episode = new ThrottleEpisode(start, nullableLong(rs, "end_ms"), causes,
                                history.isEmpty() ? List.of(new CauseChange(start, causes)) : history(history),
                                rs.getInt("cut_short") == 1, rs.getInt("cause_history_omitted"));
                        episodes.add(new InstanceEpisode(service, rs.getInt("instance_index"), episode));
                    }
                }
            }
            return episodes;
        });
    }

    // Backups

    /** Inserts the backup, or replaces the stored one with the same id. */
    @Override
    public void backupSaved(BackupInfo backup) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(backup.id(), "id");
        Objects.requireNonNull(backup.service(), "service");
        Objects.requireNonNull(backup.definition(), "definition");
        write("save the backup " + backup.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO backup "
                    + "(id, service, created_ms, definition, settings, status, error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, backup.id());
                ps.setString(2, backup.service());
                ps.setLong(3, backup.createdMs());
                ps.setString(4, DefinitionJson.write(backup.definition()));
                ps.setString(5, NO_SETTINGS);
                ps.setString(6, backup.succeeded() ? SUCCEEDED : FAILED);
                ps.setString(7, backup.error().orElse(null));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The backups of {@code service}, newest first. */
    @Override
    public List<BackupInfo> backups(String service) {
        Objects.requireNonNull(service, "service");
        return read("list the backups of " + service, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + BACKUP_COLUMNS
                    + " FROM backup WHERE service = ? ORDER BY created_ms DESC, rowid DESC")) {
                ps.setString(1, service);
                return readBackups(ps);
            }
        });
    }

    /** The backup with {@code id}, if there is one. */
    @Override
    public Optional<BackupInfo> backup(String id) {
        Objects.requireNonNull(id, "id");
        return read("read the backup " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + BACKUP_COLUMNS + " FROM backup WHERE id = ?")) {
                ps.setString(1, id);
                return readBackups(ps).stream().findFirst();
            }
        });
    }

    // Keys of the management API

    /** The hashes of every issuer's keys, by issuer and slot. */
    public List<StoredKeyHash> keyHashes() {
        return read("read the key hashes", c -> {
            List<StoredKeyHash> hashes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT issuer, slot, hash, changed_ms FROM issuer_keys "
                    + "ORDER BY issuer, slot");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hashes.add(new StoredKeyHash(rs.getString("issuer"), rs.getString("slot"), rs.getString("hash"),
                            rs.getLong("changed_ms")));
                }
            }
            return hashes;
        });
    }

    /**
     * Saves the hashes in one transaction, each replacing the stored hash of the same issuer and
     * slot; the slots not among them keep theirs.
     */
    public void saveKeyHashes(List<StoredKeyHash> hashes) {
        Objects.requireNonNull(hashes, "hashes");
        write("save the key hashes", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO issuer_keys (issuer, slot, hash, changed_ms) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (issuer, slot) DO UPDATE SET hash = excluded.hash, "
                    + "changed_ms = excluded.changed_ms")) {
                for (StoredKeyHash hash : hashes) {
                    ps.setString(1, hash.issuer());
                    ps.setString(2, hash.slot());
                    ps.setString(3, hash.hash());
                    ps.setLong(4, hash.changedMs());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Closes the connection. Further calls fail; closing again does nothing. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("Cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    // Plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction of its own. {@code BEGIN IMMEDIATE} takes the write lock
     * up front, so another connection's writer waits on the busy timeout instead of failing halfway.
     */
    private <T> T write(String what, Work<T> work) {
        lock.lock();
        try {
            requireOpen();
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                try {
                    T result = work.run(connection);
                    statement.execute("COMMIT");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(statement, e);
                    throw e;
                }
            } catch (SQLException e) {
                throw failure(what, e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs a read of one statement, which SQLite makes a transaction of its own. */
    private <T> T read(String what, Work<T> work) {
        lock.lock();
        try {
            requireOpen();
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The store " + file + " is closed");
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("Cannot " + what + " in " + file + ": " + e.getMessage(), e);
    }

    private static List<OperationRecord> operationRecords(PreparedStatement ps) throws SQLException {
        List<OperationRecord> records = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String outcome = rs.getString("outcome");
                OptionalLong instance = nullableLong(rs, "instance_index");
                Optional<InstanceCrash> crash = instance.isEmpty() ? Optional.empty() : Optional.of(new InstanceCrash(
                        (int) instance.getAsLong(), rs.getInt("exit_status"), rs.getInt("crashes_in_a_row"),
                        RestartCause.ofApiName(rs.getString("restart_cause")).orElse(RestartCause.CRASH)));
                records.add(new OperationRecord(rs.getString("request_id"), rs.getString("service"),
                        operationNamed(rs.getString("operation")), rs.getString("requester"), rs.getLong("started_ms"),
                        nullableLong(rs, "ended_ms"),
                        outcome == null ? Outcome.RUNNING : enumValue(Outcome.class, outcome),
                        Optional.ofNullable(rs.getString("error")), crash, ProblemJson.parse(rs.getString("problem"))));
            }
        }
        return records;
    }

    private static List<BackupInfo> readBackups(PreparedStatement ps) throws SQLException {
        List<BackupInfo> records = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                // The schema admits only SUCCEEDED and FAILED here.
                records.add(new BackupInfo(rs.getString("id"), rs.getString("service"), rs.getLong("created_ms"),
                        definition(rs.getString("definition")), SUCCEEDED.equals(rs.getString("status")),
                        Optional.ofNullable(rs.getString("error"))));
            }
        }
        return records;
    }

    private static void setNullableLong(PreparedStatement ps, int index, OptionalLong value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.getAsLong());
        } else {
            ps.setNull(index, Types.INTEGER);
        }
    }

    private static OptionalLong nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static ServiceState state(String chartName) {
        return ServiceState.fromChartName(chartName)
                .orElseThrow(() -> new StoreException("Unknown service state in the store: " + chartName));
    }

    private static ServiceState nullableState(String chartName) {
        return chartName == null ? null : state(chartName);
    }

    private static Operation operationNamed(String chartName) {
        return Operation.fromChartName(chartName)
                .orElseThrow(() -> new StoreException("Unknown operation in the store: " + chartName));
    }

    private static Operation nullableOperation(String chartName) {
        return chartName == null ? null : operationNamed(chartName);
    }

    private static String joined(Set<Cause> causes) {
        return causes.stream().map(Cause::name).collect(Collectors.joining("+"));
    }

    /** A cause history as {@code saveEpisode} writes it: {@code 1000:MEMORY;2500:MEMORY+CONCURRENCY}. */
    private static List<CauseChange> history(String written) {
        List<CauseChange> steps = new ArrayList<>();
        for (String step : written.split(";")) {
            int colon = step.indexOf(':');
            try {
                steps.add(new CauseChange(Long.parseLong(step.substring(0, colon)), causes(step.substring(colon + 1))));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new StoreException("A throttle episode's cause history in the store cannot be read: " + written, e);
            }
        }
        return steps;
    }

    private static Set<Cause> causes(String joined) {
        Set<Cause> causes = EnumSet.noneOf(Cause.class);
        for (String name : joined.split("\\+")) {
            causes.add(enumValue(Cause.class, name));
        }
        return causes;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new StoreException("Unknown " + type.getSimpleName() + " in the store: " + name, e);
        }
    }

    private static ServiceDefinition definition(String json) {
        try {
            return DefinitionJson.readDefinition(json);
        } catch (DefinitionJsonException e) {
            throw new StoreException("A stored definition cannot be read: " + e.getMessage(), e);
        }
    }
}
