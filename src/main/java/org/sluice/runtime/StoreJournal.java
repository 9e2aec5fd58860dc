package org.sluice.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.runtime.store.BackupRecord;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredService;
import org.sluice.throttle.InstanceEpisode;

/** The host's journal in its SQLite {@link Store}. */
public final class StoreJournal implements HostJournal {
    private static final String NO_SETTINGS = "{}";
    private final Store store;

    public StoreJournal(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public List<StoredService> loadServices() {
        return store.loadServices();
    }

    @Override
    public void saveService(StoredService service) {
        store.saveService(service);
    }

    @Override
    public void deleteService(String name) {
        store.deleteService(name);
    }

    @Override
    public void operationStarted(OperationRecord record) {
        store.beginOperation(record.requestId(), record.service(), record.operation(), record.requester(), record.startedMs());
    }

    @Override
    public void operationEnded(OperationRecord record) {
        org.sluice.runtime.store.Outcome outcome = switch (record.outcome()) {
            case SUCCEEDED -> org.sluice.runtime.store.Outcome.SUCCEEDED;
            case FAILED -> org.sluice.runtime.store.Outcome.FAILED;
            case INTERRUPTED -> org.sluice.runtime.store.Outcome.INTERRUPTED;
            case RUNNING -> throw new IllegalArgumentException("A running operation has not ended");
        };
        store.endOperation(record.requestId(), outcome, record.endedMs().orElseThrow(), record.error().orElse(null));
    }

    @Override
    public List<OperationRecord> runningOperations() {
        return store.runningOperations().stream().map(StoreJournal::record).toList();
    }

    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        if (query.outcome().isPresent() && query.outcome().get() == Outcome.RUNNING) {
            return runningOperations(query);
        }
        org.sluice.runtime.store.OperationQuery stored = org.sluice.runtime.store.OperationQuery.all()
                .withLimit(query.limit());
        if (query.fromMs().isPresent() || query.toMs().isPresent()) {
            stored = stored.withRange(query.fromMs().orElse(0L), query.toMs().orElse(Long.MAX_VALUE));
        }
        if (query.service().isPresent()) {
            stored = stored.withService(query.service().get());
        }
        if (query.operation().isPresent()) {
            stored = stored.withOperation(query.operation().get());
        }
        if (query.outcome().isPresent()) {
            stored = stored.withOutcome(org.sluice.runtime.store.Outcome.valueOf(query.outcome().get().name()));
        }
        return store.operations(stored).stream().map(StoreJournal::record).toList();
    }

    /**
     * The store's query cannot ask for running operations, and filtering its answer afterwards
     * would apply the limit to ended ones too; so the filters run here over every running one.
     */
    private List<OperationRecord> runningOperations(OperationQuery query) {
        List<OperationRecord> oldestFirst = runningOperations().stream()
                .filter(r -> query.fromMs().map(ms -> r.startedMs() >= ms).orElse(true))
                .filter(r -> query.toMs().map(ms -> r.startedMs() < ms).orElse(true))
                .filter(r -> query.service().map(r.service()::equals).orElse(true))
                .filter(r -> query.operation().map(o -> o == r.operation()).orElse(true))
                .toList();
        List<OperationRecord> newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);
        return newestFirst.stream().limit(query.limit()).toList();
    }

    private static OperationRecord record(org.sluice.runtime.store.OperationRecord stored) {
        Outcome outcome = stored.outcome().map(o -> Outcome.valueOf(o.name())).orElse(Outcome.RUNNING);
        return new OperationRecord(stored.requestId(), stored.service(), stored.operation(), stored.requester(),
                stored.startedMs(), stored.endedMs(), outcome, stored.error());
    }

    @Override
    public void episodeEnded(InstanceEpisode episode) {
        store.recordEpisode(episode.service(), episode.instance(), episode.episode());
    }

    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return store.episodes(service, fromMs, toMs).stream()
                .map(e -> new InstanceEpisode(e.service(), e.instanceIndex(), e.episode()))
                .toList();
    }

    @Override
    public void backupSaved(BackupInfo backup) {
        store.saveBackup(new BackupRecord(backup.id(), backup.service(), backup.createdMs(), backup.definition(), NO_SETTINGS,
                backup.succeeded() ? BackupRecord.Status.SUCCEEDED : BackupRecord.Status.FAILED, backup.error().orElse(null)));
    }

    @Override
    public List<BackupInfo> backups(String service) {
        return store.backups(service).stream().map(StoreJournal::backup).toList();
    }

    @Override
    public Optional<BackupInfo> backup(String id) {
        return store.backup(id).map(StoreJournal::backup);
    }

    private static BackupInfo backup(BackupRecord record) {
        return new BackupInfo(record.id(), record.service(), record.createdMs(), record.definition(),
                record.status() == BackupRecord.Status.SUCCEEDED, record.failure());
    }

    @Override
    public void close() {
        store.close();
    }
}
