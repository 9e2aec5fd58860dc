package org.sluice.runtime;

import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.InstanceEpisode;

/**
 * Where the host keeps what must outlive it: services and their states, the operation log,
 * throttle episodes and backups. Every call is durable when it returns.
 */
public interface HostJournal extends AutoCloseable {

    /**
     * A service as stored.
     *
     * @param definition    its definition
     * @param state         its state; transitional while {@code running} is set
     * @param beforeDisable the state before the last Disable, or {@code null}
     * @param running       the operation under way, or {@code null}
     * @param runningFrom   the state that operation began in, or {@code null} (Create, Restore)
     */
    record StoredService(ServiceDefinition definition, ServiceState state, ServiceState beforeDisable,
                         Operation running, ServiceState runningFrom) {
        public String name() {
            return definition.name();
        }
    }

    List<StoredService> loadServices();

    void saveService(StoredService service);

    void deleteService(String name);

    void operationStarted(OperationRecord record);

    void operationEnded(OperationRecord record);

    /** Operations started and never ended: after a crash, those that were interrupted. */
    List<OperationRecord> runningOperations();

    List<OperationRecord> operations(OperationQuery query);

    void episodeEnded(InstanceEpisode episode);

    List<InstanceEpisode> episodes(String service, long fromMs, long toMs);

    void backupSaved(BackupInfo backup);

    List<BackupInfo> backups(String service);

    Optional<BackupInfo> backup(String id);

    @Override
    void close();
}
