package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.FleetUnavailableException;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.InstanceEpisode;

/**
 * A fleet that records the commands it is given and checks them against the chart, as a real one
 * does; its services' states are set by the test.
 */
final class FakeFleet implements Fleet {
    final Map<String, ServiceState> states = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<BackupInfo> backups = new ArrayList<>();
    final List<InstanceEpisode> episodes = new CopyOnWriteArrayList<>();
    /** What the next creates throw, or null to accept them. */
    volatile RuntimeException createFails;
    private final Lifecycle rules = Lifecycle.standard();

    static ServiceDefinition definition(String name) {
        return new ServiceDefinition(name, 2, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/" + name);
    }

    static ServiceSnapshot snapshot(String name, ServiceState state) {
        return new ServiceSnapshot(definition(name), state, Optional.empty(), List.of(), Optional.empty(),
                "http://127.0.0.1:7070/services/" + name + "/messages");
    }

    @Override
    public FleetSnapshot snapshot() {
        return new FleetSnapshot(0, states.entrySet().stream().map(e -> snapshot(e.getKey(), e.getValue())).toList());
    }

    @Override
    public Subscription subscribe(FleetListener listener) {
        return () -> { };
    }

    private OperationTicket accept(String service, Operation operation, String call) {
        ServiceState state = states.get(service);
        if (state == null) {
            throw new UnknownServiceException(service);
        }
        if (!rules.allows(state, operation)) {
            throw new OperationNotAllowedException(state, operation);
        }
        calls.add(call);
        OperationRecord record = new OperationRecord("r" + calls.size(), service, operation, "test", 0,
                OptionalLong.empty(), Outcome.RUNNING, Optional.empty());
        return new OperationTicket(record.requestId(), service, operation, new CompletableFuture<>());
    }

    @Override
    public OperationTicket create(ServiceDefinition definition) {
        calls.add("create " + definition.name());
        if (createFails != null) {
            throw createFails;
        }
        states.put(definition.name(), ServiceState.CREATING);
        return new OperationTicket("c", definition.name(), Operation.CREATE, new CompletableFuture<>());
    }

    @Override
    public OperationTicket perform(String service, Operation operation) {
        return accept(service, operation, operation.chartName() + " " + service);
    }

    @Override
    public OperationTicket scale(String service, int units) {
        return accept(service, Operation.SCALE, "Scale " + service + " " + units);
    }

    @Override
    public OperationTicket updateConfiguration(String service, ServiceDefinition definition) {
        return accept(service, Operation.UPDATE_CONFIGURATION, "UpdateConfiguration " + service + " " + definition.memoryMb());
    }

    @Override
    public OperationTicket restore(String backupId, String newName) {
        calls.add("restore " + backupId + " as " + newName);
        return new OperationTicket("x", newName, Operation.RESTORE, new CompletableFuture<>());
    }

    @Override
    public List<OperationTicket> disableAccount() {
        calls.add("disableAccount");
        return account(Operation.DISABLE);
    }

    @Override
    public List<OperationTicket> enableAccount() {
        calls.add("enableAccount");
        return account(Operation.ENABLE);
    }

    private List<OperationTicket> account(Operation operation) {
        return states.entrySet().stream().filter(e -> rules.allows(e.getValue(), operation))
                .map(e -> new OperationTicket("a" + e.getKey(), e.getKey(), operation, new CompletableFuture<OperationRecord>()))
                .toList();
    }

    @Override
    public void injectFault(String service, Operation operation) {
        calls.add("fault " + service + " " + operation.chartName());
    }

    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        return List.of();
    }

    @Override
    public Optional<OperationRecord> operation(String requestId) {
        return Optional.empty();
    }

    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return episodes.stream().filter(e -> e.service().equals(service)).toList();
    }

    @Override
    public org.sluice.throttle.SampleWindow samples(String service, int index, long fromMs, long toMs) {
        return org.sluice.throttle.SampleWindow.none();
    }

    @Override
    public List<BackupInfo> backups(String service) {
        return backups.stream().filter(b -> b.service().equals(service)).toList();
    }

    /** Each instance's log as the test writes it, by "service#index". */
    final Map<String, StringBuilder> logs = new ConcurrentHashMap<>();
    final List<String> logReads = new CopyOnWriteArrayList<>();
    final java.util.Set<String> previousKept = ConcurrentHashMap.newKeySet();
    /** Each log's run number, by "service#index" or "service#index#previous"; none: the host does not count runs. */
    final Map<String, Long> runIds = new ConcurrentHashMap<>();
    volatile String failingLog;

    @Override
    public InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes) {
        logReads.add(service + "#" + index + " " + run + " from " + offset);
        String log = logs.getOrDefault(service + "#" + index + (run == InstanceLog.Run.PREVIOUS ? "#previous" : ""),
                new StringBuilder()).toString();
        byte[] bytes = log.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (service.equals(failingLog)) {
            throw new FleetUnavailableException("The host answered 500: disk unreadable", null);
        }
        boolean restarted = offset > bytes.length;
        long from = offset < 0 ? Math.max(0, bytes.length - maxBytes) : restarted ? 0 : offset;
        boolean skipped = bytes.length - from > maxBytes;
        if (skipped) {
            from = bytes.length - maxBytes;
        }
        String text = new String(bytes, (int) from, (int) (bytes.length - from), java.nio.charset.StandardCharsets.UTF_8);
        return new InstanceLog(run, from, bytes.length, bytes.length, text, skipped || (offset < 0 && from > 0), restarted,
                previousKept.contains(service + "#" + index), runIds.getOrDefault(service + "#" + index
                        + (run == InstanceLog.Run.PREVIOUS ? "#previous" : ""), InstanceLog.UNKNOWN_RUN));
    }

    @Override
    public String endpoint(String service) {
        return "http://127.0.0.1:7070/services/" + service + "/messages";
    }

    @Override
    public void close() {
    }
}
