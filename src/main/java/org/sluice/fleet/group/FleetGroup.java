package org.sluice.fleet.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.FleetListeners;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.FleetUnavailableException;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several hosts as one fleet: the console's own host, and the remote hosts the operator connected
 * to. A service of a remote host goes by {@code host/name} across the group (a service name never
 * has a {@code /}), and its snapshot names the host; the own host's services keep their names.
 * Every command goes to the host of the service it names, and account-wide commands to every
 * host. Each host keeps its own engine status, under the host's name.
 */
public final class FleetGroup implements Fleet {
    private static final Logger LOG = LoggerFactory.getLogger(FleetGroup.class);

    /** Hears hosts come and go, and their connections change, on a fleet thread. */
    public interface HostsListener {
        void hostsChanged(List<String> hosts);

        void connectionChanged(String host, RemoteFleet.Connection connection);
    }

    private record Member(RemoteFleet fleet, Subscription events, Subscription connection) {
    }

    private final Fleet local;
    private final Map<String, Member> remotes = new LinkedHashMap<>();
    private final FleetListeners listeners = new FleetListeners();
    private final List<HostsListener> hostsListeners = new CopyOnWriteArrayList<>();
    private final Subscription localEvents;

    /** A group of just {@code local}, the console's own host; the group owns it from now on. */
    public FleetGroup(Fleet local) {
        this.local = local;
        this.localEvents = local.subscribe(this::publish);
    }

    /** The remote hosts' names, in the order they were added. */
    public synchronized List<String> hosts() {
        return List.copyOf(remotes.keySet());
    }

    public synchronized Optional<RemoteFleet> remote(String host) {
        return Optional.ofNullable(remotes.get(host)).map(Member::fleet);
    }

    /** Whether {@code name} can name a remote host: not blank, no {@code /}, not taken. */
    public synchronized boolean canAdd(String name) {
        return !name.isBlank() && name.indexOf(ServiceSnapshot.HOST_SEPARATOR) < 0 && !remotes.containsKey(name);
    }

    /**
     * Adds a remote host under {@code name}; its services join the group as its snapshot comes in.
     *
     * @throws IllegalArgumentException when the name is blank, has a {@code /} or is taken
     */
    public void add(String name, RemoteFleet remote) {
        List<String> now;
        synchronized (this) {
            if (!canAdd(name)) {
                throw new IllegalArgumentException("A host is named '" + name + "' already, or the name is blank or has a '/'");
            }
            Subscription events = remote.subscribe(event -> publishFrom(name, remote, onHost(name, event)));
            Subscription connection = remote.onConnection(c -> hostsListeners.forEach(l -> l.connectionChanged(name, c)));
            remotes.put(name, new Member(remote, events, connection));
            now = List.copyOf(remotes.keySet());
        }
        hostsListeners.forEach(l -> l.hostsChanged(now));
        // A host that had its snapshot before it joined announces nothing more: announce its services here.
        if (remote.connection().state() == RemoteFleet.State.CONNECTED) {
            try {
                FleetSnapshot joined = remote.snapshot();
                joined.services().forEach(s -> publishFrom(name, remote, new FleetEvent.ServiceAdded(
                        ServiceSnapshot.qualified(name, s.name()), onHost(name, s))));
                Optional.ofNullable(joined.engines().get(ServiceSnapshot.THIS_HOST))
                        .ifPresent(engine -> publishFrom(name, remote, new FleetEvent.EngineStatusChanged(name, engine)));
            } catch (FleetUnavailableException e) {
                LOG.debug("{} dropped as it joined: {}", name, e.getMessage());
            }
        }
    }

    /** Removes a remote host: its services leave the group and its connection is closed. */
    public void remove(String name) {
        Member member;
        List<String> now;
        synchronized (this) {
            member = remotes.remove(name);
            now = List.copyOf(remotes.keySet());
        }
        if (member == null) {
            return;
        }
        member.events().close();
        member.connection().close();
        // Under the group's lock, as every event of a member is: none of its events can land after these.
        synchronized (this) {
            member.fleet().knownServices().forEach(service -> publish(new FleetEvent.ServiceRemoved(
                    ServiceSnapshot.qualified(name, service))));
        }
        member.fleet().close();
        hostsListeners.forEach(l -> l.hostsChanged(now));
    }

    public Subscription onHosts(HostsListener listener) {
        hostsListeners.add(listener);
        return () -> hostsListeners.remove(listener);
    }

    /** The host a service of the group runs on; {@link ServiceSnapshot#THIS_HOST} for the own host. */
    public static String hostOf(String service) {
        int slash = service.indexOf(ServiceSnapshot.HOST_SEPARATOR);
        return slash < 0 ? ServiceSnapshot.THIS_HOST : service.substring(0, slash);
    }

    /** A service's name on its own host. */
    public static String nameOnHost(String service) {
        int slash = service.indexOf(ServiceSnapshot.HOST_SEPARATOR);
        return slash < 0 ? service : service.substring(slash + 1);
    }

    private Fleet fleetOf(String service) {
        String host = hostOf(service);
        if (host.isEmpty()) {
            return local;
        }
        synchronized (this) {
            Member member = remotes.get(host);
            if (member == null) {
                throw new UnknownServiceException(service);
            }
            return member.fleet();
        }
    }

    private synchronized List<Map.Entry<String, Fleet>> members() {
        List<Map.Entry<String, Fleet>> all = new ArrayList<>();
        all.add(Map.entry(ServiceSnapshot.THIS_HOST, local));
        remotes.forEach((name, member) -> all.add(Map.entry(name, member.fleet())));
        return all;
    }

    // Naming things of a host for the group

    private static ServiceSnapshot onHost(String host, ServiceSnapshot s) {
        if (host.isEmpty()) {
            return s;
        }
        List<InstanceSnapshot> instances = s.instances().stream().map(i -> new InstanceSnapshot(
                ServiceSnapshot.qualified(host, i.service()), i.index(), i.status(), i.throttle(), i.causes(),
                i.throttledSinceMs(), i.lastSample(), i.crashesInARow(), i.restartCause())).toList();
        return new ServiceSnapshot(s.definition(), s.state(), s.running(), instances,
                s.lastOperation().map(r -> onHost(host, r)), s.endpoint(), host);
    }

    private static OperationRecord onHost(String host, OperationRecord r) {
        return host.isEmpty() ? r : new OperationRecord(r.requestId(), ServiceSnapshot.qualified(host, r.service()), r.operation(),
                r.requester(), r.startedMs(), r.endedMs(), r.outcome(), r.error(), r.crash(), r.problem());
    }

    private static OperationTicket onHost(String host, OperationTicket t) {
        return host.isEmpty() ? t : new OperationTicket(t.requestId(), ServiceSnapshot.qualified(host, t.service()), t.operation(),
                t.completion().thenApply(r -> onHost(host, r)));
    }

    private static FleetEvent onHost(String host, FleetEvent event) {
        String q = ServiceSnapshot.qualified(host, event.service());
        return switch (event) {
            case FleetEvent.ServiceAdded added -> new FleetEvent.ServiceAdded(q, onHost(host, added.snapshot()));
            case FleetEvent.ServiceRemoved removed -> new FleetEvent.ServiceRemoved(q);
            case FleetEvent.ServiceStateChanged changed -> new FleetEvent.ServiceStateChanged(q, changed.state(), changed.running());
            case FleetEvent.DefinitionChanged changed -> new FleetEvent.DefinitionChanged(q, onHost(host, changed.snapshot()));
            case FleetEvent.OperationProgress progress -> new FleetEvent.OperationProgress(q, onHost(host, progress.record()));
            case FleetEvent.InstanceStatusChanged changed -> new FleetEvent.InstanceStatusChanged(q, changed.index(), changed.status(),
                    changed.message(), changed.crashesInARow(), changed.cause());
            case FleetEvent.InstanceSampled sampled -> new FleetEvent.InstanceSampled(q, sampled.index(), sampled.sample());
            case FleetEvent.ThrottleChanged changed -> new FleetEvent.ThrottleChanged(q, changed.index(), changed.transition());
            case FleetEvent.InstanceProblem problem -> new FleetEvent.InstanceProblem(q, problem.index(), problem.message());
            case FleetEvent.EngineStatusChanged changed -> host.isEmpty() ? changed
                    : new FleetEvent.EngineStatusChanged(host, changed.status());
        };
    }

    private void publish(FleetEvent event) {
        listeners.publish(event);
    }

    /**
     * Hands on an event of a remote host while it is a member, under the group's lock: an event
     * already on its way as the host is removed is dropped instead of bringing back a service of a
     * host the group no longer has.
     */
    private void publishFrom(String name, RemoteFleet remote, FleetEvent event) {
        synchronized (this) {
            Member member = remotes.get(name);
            if (member != null && member.fleet() == remote) {
                listeners.publish(event);
            }
        }
    }

    // Fleet

    /** Every host's services; a remote host that has never been reached has none to show yet. */
    @Override
    public FleetSnapshot snapshot() {
        FleetSnapshot own = local.snapshot();
        List<ServiceSnapshot> services = new ArrayList<>(own.services());
        Map<String, EngineStatus> engines = new LinkedHashMap<>(own.engines());
        long time = System.currentTimeMillis();
        for (Map.Entry<String, Fleet> member : members()) {
            if (member.getKey().isEmpty()) {
                continue;
            }
            try {
                FleetSnapshot remote = member.getValue().snapshot();
                remote.services().forEach(s -> services.add(onHost(member.getKey(), s)));
                Optional.ofNullable(remote.engines().get(ServiceSnapshot.THIS_HOST)).ifPresent(e -> engines.put(member.getKey(), e));
            } catch (FleetUnavailableException e) {
                LOG.debug("{} has no snapshot yet: {}", member.getKey(), e.getMessage());
            }
        }
        services.sort(Comparator.comparing(ServiceSnapshot::host).thenComparing(ServiceSnapshot::name));
        return new FleetSnapshot(time, List.copyOf(services), engines);
    }

    @Override
    public Subscription subscribe(FleetListener listener) {
        return listeners.add(listener);
    }

    /** Creates a service on the console's own host. */
    @Override
    public OperationTicket create(ServiceDefinition definition) {
        return local.create(definition);
    }

    /** Creates a service on {@code host} ({@link ServiceSnapshot#THIS_HOST} for the own host). */
    public OperationTicket create(String host, ServiceDefinition definition) {
        if (host.isEmpty()) {
            return local.create(definition);
        }
        RemoteFleet remote = remote(host).orElseThrow(() -> new IllegalArgumentException("No host named '" + host + "'"));
        return onHost(host, remote.create(definition));
    }

    @Override
    public OperationTicket perform(String service, Operation operation) {
        return onHost(hostOf(service), fleetOf(service).perform(nameOnHost(service), operation));
    }

    @Override
    public OperationTicket scale(String service, int units) {
        return onHost(hostOf(service), fleetOf(service).scale(nameOnHost(service), units));
    }

    @Override
    public OperationTicket updateConfiguration(String service, ServiceDefinition definition) {
        return onHost(hostOf(service), fleetOf(service).updateConfiguration(nameOnHost(service), definition));
    }

    /** Restores a backup on the host that made it; {@code backupId} is as {@link #backups} gave it. */
    @Override
    public OperationTicket restore(String backupId, String newName) {
        String host = hostOf(backupId);
        return onHost(host, fleetOf(backupId).restore(nameOnHost(backupId), nameOnHost(newName)));
    }

    @Override
    public List<OperationTicket> disableAccount() {
        return everyHost(Fleet::disableAccount);
    }

    @Override
    public List<OperationTicket> enableAccount() {
        return everyHost(Fleet::enableAccount);
    }

    private List<OperationTicket> everyHost(java.util.function.Function<Fleet, List<OperationTicket>> command) {
        List<OperationTicket> tickets = new ArrayList<>();
        for (Map.Entry<String, Fleet> member : members()) {
            command.apply(member.getValue()).forEach(t -> tickets.add(onHost(member.getKey(), t)));
        }
        return List.copyOf(tickets);
    }

    @Override
    public void injectFault(String service, Operation operation) {
        fleetOf(service).injectFault(nameOnHost(service), operation);
    }

    /** The log of the host a query's service names; without a service, of every host reachable now, merged. */
    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        if (query.service().isPresent()) {
            String service = query.service().get();
            String host = hostOf(service);
            return fleetOf(service).operations(query.forService(nameOnHost(service))).stream().map(r -> onHost(host, r)).toList();
        }
        List<OperationRecord> all = new ArrayList<>();
        for (Map.Entry<String, Fleet> member : members()) {
            try {
                member.getValue().operations(query).forEach(r -> all.add(onHost(member.getKey(), r)));
            } catch (FleetUnavailableException e) {
                LOG.debug("{} left out of the operation log: {}", member.getKey(), e.getMessage());
            }
        }
        all.sort(Comparator.comparingLong(OperationRecord::startedMs).reversed());
        return List.copyOf(all.subList(0, Math.min(all.size(), query.limit())));
    }

    @Override
    public Optional<OperationRecord> operation(String requestId) {
        for (Map.Entry<String, Fleet> member : members()) {
            try {
                Optional<OperationRecord> found = member.getValue().operation(requestId);
                if (found.isPresent()) {
                    return found.map(r -> onHost(member.getKey(), r));
                }
            } catch (FleetUnavailableException e) {
                LOG.debug("{} not asked for {}: {}", member.getKey(), requestId, e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return fleetOf(service).episodes(nameOnHost(service), fromMs, toMs).stream()
                .map(e -> new InstanceEpisode(service, e.instance(), e.episode())).toList();
    }

    @Override
    public SampleWindow samples(String service, int index, long fromMs, long toMs) {
        return fleetOf(service).samples(nameOnHost(service), index, fromMs, toMs);
    }

    /** A service's backups; a remote host's backup ids go by {@code host/id} in the group. */
    @Override
    public List<BackupInfo> backups(String service) {
        String host = hostOf(service);
        return fleetOf(service).backups(nameOnHost(service)).stream().map(b -> host.isEmpty() ? b
                : new BackupInfo(ServiceSnapshot.qualified(host, b.id()), service, b.createdMs(), b.definition(), b.succeeded(),
                b.error())).toList();
    }

    @Override
    public InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes) {
        return fleetOf(service).instanceLog(nameOnHost(service), index, run, offset, maxBytes);
    }

    @Override
    public String endpoint(String service) {
        return fleetOf(service).endpoint(nameOnHost(service));
    }

    /** Closes every remote connection and the own host. */
    @Override
    public void close() {
        for (String host : hosts()) {
            Member member;
            synchronized (this) {
                member = remotes.remove(host);
            }
            if (member != null) {
                member.events().close();
                member.connection().close();
                member.fleet().close();
            }
        }
        localEvents.close();
        local.close();
    }
}
