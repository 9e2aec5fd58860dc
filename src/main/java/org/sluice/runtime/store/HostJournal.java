package org.sluice.runtime.store;

import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.throttle.InstanceEpisode;

/**
 * Where the host keeps what must outlive it: services and their states, the operation log,
 * throttle episodes and backups. Every call is durable when it returns. {@link Store} is the
 * journal the host runs with; tests may keep one in memory.
 */
public interface HostJournal extends AutoCloseable {

    List<StoredService> loadServices();

    /** Saves a service. Its running operation, if any, must already be in the log ({@link #operationStarted}). */
    void saveService(StoredService service);

    /** Returns false when there was no such service. */
    boolean deleteService(String name);

    void operationStarted(OperationRecord record);

    void operationEnded(OperationRecord record);

    /** Operations started and never ended: after a crash, those that were interrupted. */
    List<OperationRecord> runningOperations();

    List<OperationRecord> operations(OperationQuery query);

    /** The log entry of one request id, running or ended. */
    Optional<OperationRecord> operation(String requestId);

    /**
     * Records a throttle episode, open or ended; recording one again with the same instance and
     * start replaces it (an open episode is written when it starts and again when it ends).
     */
    void saveEpisode(InstanceEpisode episode);

    /**
     * Ends, at {@code atMs}, every episode still open: after a crash, those whose instance went
     * with the host. Returns how many.
     */
    int closeOpenEpisodes(long atMs);

    /**
     * Deletes the operations that ended, and the episodes that ended, before {@code ms}; running
     * operations and open episodes stay whatever their age. Returns how many entries went.
     */
    int purgeEndedBefore(long ms);

    List<InstanceEpisode> episodes(String service, long fromMs, long toMs);

    void backupSaved(BackupInfo backup);

    List<BackupInfo> backups(String service);

    Optional<BackupInfo> backup(String id);

    @Override
    void close();
}
