package org.sluice.fleet;

import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;

/**
 * A fleet of integration services, as an operator sees and administers it.
 *
 * <p>Commands are asynchronous: a command the state chart allows is accepted at once with an
 * {@link OperationTicket} and runs in the background, and its progress and outcome arrive as
 * {@link FleetEvent}s. A command the chart refuses throws {@link OperationNotAllowedException}
 * (message {@code Operation not allowed}) and changes nothing.
 */
public interface Fleet extends AutoCloseable {
    /**
     * The largest message a service's front door takes, in bytes: 4 MiB. A larger one is answered
     * 413 and never reaches an instance.
     */
    int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;


    /** Everything now: every service with its instances. */
    FleetSnapshot snapshot();

    /**
     * Delivers every event from now on to {@code listener}, on a fleet thread, in order.
     * A listener that throws is logged and keeps receiving events.
     */
    Subscription subscribe(FleetListener listener);

    /**
     * Provisions a new service.
     *
     * @throws InvalidDefinitionException when the definition has problems; nothing is created
     * @throws ServiceExistsException    when a service of that name exists
     */
    OperationTicket create(ServiceDefinition definition);

    /**
     * Runs one of the operations that need nothing but the service: Start, Stop, Restart,
     * Suspend, Resume, Delete, Backup, ServiceUpdate.
     *
     * @throws OperationNotAllowedException when the service's state does not allow it
     * @throws UnknownServiceException      when there is no such service
     * @throws IllegalArgumentException     for an operation that needs more (Scale, UpdateConfiguration, …)
     */
    OperationTicket perform(String service, Operation operation);

    /** Changes the number of role instances, 1 to 8. */
    OperationTicket scale(String service, int units);

    /**
     * Replaces the service's definition. A definition that does not validate lands the service
     * in ConfigUpdateFailed and the previous definition stays in force.
     */
    OperationTicket updateConfiguration(String service, ServiceDefinition definition);

    /**
     * Creates a new service named {@code newName} from a backup; it lands Suspended.
     *
     * @throws UnknownBackupException when there is no such backup
     * @throws ServiceExistsException when a service of that name exists
     */
    OperationTicket restore(String backupId, String newName);

    /** Disables every service of the account that allows it; one ticket per service. */
    List<OperationTicket> disableAccount();

    /** Enables every disabled service of the account; one ticket per service. */
    List<OperationTicket> enableAccount();

    /**
     * Arms a drill: the next run of {@code operation} on {@code service} fails with a message
     * saying it was injected. Nothing fails at random.
     */
    void injectFault(String service, Operation operation);

    /** The operation log, newest first. */
    List<OperationRecord> operations(OperationQuery query);

    /** The log entry of one request id, running or ended; empty when the log has none. */
    Optional<OperationRecord> operation(String requestId);

    /** The throttle episodes of a service's instances within a time range, newest first. */
    List<InstanceEpisode> episodes(String service, long fromMs, long toMs);

    /**
     * The samples role instance {@code index} of {@code service} took from {@code fromMs} to
     * {@code toMs}, both included, oldest first: every sample its throttle governor saw, as far as
     * the host still keeps them (the last {@link SampleWindow#MAX_SAMPLES} of each instance), so
     * that {@code sluice replay} reproduces its decisions.
     *
     * @throws UnknownServiceException  when there is no such service
     * @throws IllegalArgumentException for an instance number out of range or a range that ends before it begins
     */
    SampleWindow samples(String service, int index, long fromMs, long toMs);

    /** The backups of a service, newest first. */
    List<BackupInfo> backups(String service);

    /**
     * What role instance {@code index} of {@code service} wrote to its standard error: whole lines,
     * at most {@code maxBytes} of them, from {@code offset}, or the last ones when {@code offset}
     * is negative. To follow the log, ask again from {@link InstanceLog#next()}.
     *
     * @param maxBytes 1 to {@link InstanceLog#MAX_BYTES}
     * @throws UnknownServiceException  when there is no such service
     * @throws IllegalArgumentException for an instance number or a size out of range
     */
    InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes);

    /** The address that receives messages for {@code service}, e.g. {@code http://127.0.0.1:7070/services/orders/messages}. */
    String endpoint(String service);

    /** Releases the fleet; for a local fleet this stops the role instances it started. */
    @Override
    void close();
}
