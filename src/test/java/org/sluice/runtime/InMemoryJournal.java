package org.sluice.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.runtime.store.HostJournal;
import org.sluice.runtime.store.StoredService;
import org.sluice.throttle.InstanceEpisode;

/** A journal in memory, for host tests that are about behaviour rather than storage. */
public final class InMemoryJournal implements HostJournal {
    final Map<String, StoredService> services = new LinkedHashMap<>();
    final Map<String, OperationRecord> operations = new LinkedHashMap<>();
    final List<InstanceEpisode> episodes = new ArrayList<>();
    final Map<String, BackupInfo> backups = new LinkedHashMap<>();

    @Override
    public synchronized List<StoredService> loadServices() {
        return List.copyOf(services.values());
    }

    @Override
    public synchronized void saveService(StoredService service) {
        services.put(service.name(), service);
    }

    @Override
    public synchronized boolean deleteService(String name) {
        return services.remove(name) != null;
    }

    @Override
    public synchronized void operationStarted(OperationRecord record) {
        operations.put(record.requestId(), record);
    }

    @Override
    public synchronized void operationEnded(OperationRecord record) {
        operations.put(record.requestId(), record);
    }

    @Override
    public synchronized List<OperationRecord> runningOperations() {
        return operations.values().stream().filter(r -> r.outcome() == Outcome.RUNNING).toList();
    }

    @Override
    public synchronized List<OperationRecord> operations(OperationQuery query) {
        return operations.values().stream()
                .filter(r -> query.service().map(r.service()::equals).orElse(true))
                .filter(r -> query.operation().map(o -> o == r.operation()).orElse(true))
                .filter(r -> query.outcome().map(o -> o == r.outcome()).orElse(true))
                .sorted(Comparator.comparingLong(OperationRecord::startedMs).reversed())
                .limit(query.limit())
                .toList();
    }

    @Override
    public synchronized Optional<OperationRecord> operation(String requestId) {
        return Optional.ofNullable(operations.get(requestId));
    }

    @Override
    public synchronized void saveEpisode(InstanceEpisode episode) {
        episodes.removeIf(e -> e.service().equals(episode.service()) && e.instance() == episode.instance()
                && e.episode().startMs() == episode.episode().startMs());
        episodes.add(episode);
    }

    @Override
    public synchronized int purgeEndedBefore(long ms) {
        int before = operations.size() + episodes.size();
        operations.values().removeIf(r -> r.endedMs().isPresent() && r.endedMs().getAsLong() < ms);
        episodes.removeIf(e -> e.episode().endMs().isPresent() && e.episode().endMs().getAsLong() < ms);
        return before - operations.size() - episodes.size();
    }

    @Override
    public synchronized int closeOpenEpisodes(long atMs) {
        int closed = 0;
        for (int i = 0; i < episodes.size(); i++) {
            InstanceEpisode e = episodes.get(i);
            if (e.episode().isOpen()) {
                episodes.set(i, new InstanceEpisode(e.service(), e.instance(), e.episode().cutShortAt(atMs)));
                closed++;
            }
        }
        return closed;
    }

    @Override
    public synchronized List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return episodes.stream().filter(e -> e.service().equals(service)).toList();
    }

    @Override
    public synchronized void backupSaved(BackupInfo backup) {
        backups.put(backup.id(), backup);
    }

    @Override
    public synchronized List<BackupInfo> backups(String service) {
        return backups.values().stream().filter(b -> b.service().equals(service)).toList();
    }

    @Override
    public synchronized Optional<BackupInfo> backup(String id) {
        return Optional.ofNullable(backups.get(id));
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
