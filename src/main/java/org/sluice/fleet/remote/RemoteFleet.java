package org.sluice.fleet.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.FleetListeners;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.FleetUnavailableException;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceExistsException;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.UnknownBackupException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.api.ServerSentEvents;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;
import org.sluice.throttle.ThrottleState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A host on another machine (or in another process), administered through its management API.
 *
 * <p>It keeps one event stream open and a mirror of the host's services built from it, so that
 * {@link #snapshot()} answers at once and listeners hear every change. When the stream drops it
 * says so ({@link Connection}), tries again after a pause that doubles up to a ceiling, and on
 * coming back takes the host's fresh snapshot: services that changed meanwhile are announced
 * again (removed, then added), those that went are removed. The first snapshot announces every
 * service as added, so a listener that subscribed before it hears of them all. A refused key or a changed
 * certificate stops the retries: repeating them could not help, and the operator has to act.
 */
public final class RemoteFleet implements Fleet {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteFleet.class);
    private static final int RECENT_OUTCOMES = 1_000;

    /** Where the connection is. */
    public enum State {
        /** The first connection is being made. */
        CONNECTING,
        /** The event stream is open: what is shown is current. */
        CONNECTED,
        /** The stream dropped; the next try is at {@link Connection#retryAtMs()}. */
        RECONNECTING,
        /** The host refused the key (rolled, or wrong); a new one is needed. */
        UNAUTHORIZED,
        /** The host presented another certificate than the one accepted. */
        CERTIFICATE_CHANGED,
        /** The fleet was closed. */
        CLOSED
    }

    /**
     * The connection as it is now.
     *
     * @param state       where it is
     * @param lastHeardMs when the host was last heard from (an event or a keep-alive); 0 if never
     * @param retryAtMs   when the next try is, while reconnecting
     * @param problem     why it is not connected, in words
     */
    public record Connection(State state, long lastHeardMs, OptionalLong retryAtMs, Optional<String> problem) {
    }

    /** Hears every change of the connection, on the fleet's thread. */
    @FunctionalInterface
    public interface ConnectionListener {
        void changed(Connection connection);
    }

    /**
     * @param firstPause the pause before the first retry; it doubles after each failure
     * @param maxPause   the longest pause
     * @param silence    how long the host may be silent (it sends a keep-alive every 5 s) before
     *                   the stream counts as dropped
     * @param clock      epoch milliseconds
     */
    public record Settings(Duration firstPause, Duration maxPause, Duration silence, LongSupplier clock) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(20), System::currentTimeMillis);
        }
    }

    private final String name;
    private final ManagementClient client;
    private final Settings settings;
    private final Map<String, ServiceSnapshot> mirror = new ConcurrentHashMap<>();
    /** The host's engine as last heard, under {@link ServiceSnapshot#THIS_HOST}; empty from a host that does not say it. */
    private volatile Map<String, EngineStatus> engines = Map.of();
    private final FleetListeners listeners = new FleetListeners();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<OperationRecord>> pending = new ConcurrentHashMap<>();
    private final Map<String, OperationRecord> recentOutcomes = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, OperationRecord> eldest) {
                    return size() > RECENT_OUTCOMES;
                }
            });
    /** Done at the first snapshot or the first failure, whichever comes first. */
    private final CompletableFuture<Void> firstOutcome = new CompletableFuture<>();
    private volatile boolean synced;
    /** Counts the snapshots taken; a command compares it before and after to know whether one fell in between. */
    private final java.util.concurrent.atomic.AtomicLong snapshots = new java.util.concurrent.atomic.AtomicLong();
    private final Object lock = new Object();
    /** Guards changes of {@link #connection}: the reader, commands and {@link #close()} all change it. */
    private final Object connectionLock = new Object();
    private volatile Connection connection;
    private volatile boolean closed;
    private volatile InputStream openStream;
    private Thread reader;
    private Thread watchdog;

    private RemoteFleet(String name, ManagementClient client, Settings settings) {
        this.name = name;
        this.client = client;
        this.settings = settings;
        this.connection = new Connection(State.CONNECTING, 0, OptionalLong.empty(), Optional.empty());
    }

    /**
     * Starts following the host at {@code client}'s address. Returns at once; {@link #snapshot()}
     * waits for the first snapshot.
     *
     * @param name what the operator calls this host, for messages and logs
     */
    public static RemoteFleet connect(String name, ManagementClient client, Settings settings) {
        RemoteFleet fleet = new RemoteFleet(name, client, settings);
        fleet.reader = Thread.ofVirtual().name("sluice-remote-" + name).start(fleet::follow);
        fleet.watchdog = Thread.ofVirtual().name("sluice-remote-watch-" + name).start(fleet::watch);
        return fleet;
    }

    public String name() {
        return name;
    }

    public ManagementClient client() {
        return client;
    }

    public Connection connection() {
        return connection;
    }

    /** Hears every change of the connection from now on; closing the subscription stops that. */
    public Subscription onConnection(ConnectionListener listener) {
        connectionListeners.add(listener);
        return () -> connectionListeners.remove(listener);
    }

    // Following the host

    private void follow() {
        long pauseMs = settings.firstPause().toMillis();
        while (!closed) {
            try {
                HttpResponse<InputStream> response = client.events();
                if (response.statusCode() == 401) {
                    response.body().close();
                    setConnection(State.UNAUTHORIZED, OptionalLong.empty(),
                            "The host refused the key: it was rolled or is wrong. Enter the current key to connect again");
                    return;
                }
                if (response.statusCode() != 200) {
                    String error = ApiJson.MAPPER.readTree(response.body()).path("error").asText("HTTP " + response.statusCode());
                    throw new IOException("The host would not open an event stream: " + error);
                }
                openStream = response.body();
                heard();
                // The host answered: a drop from here on starts the pauses over, however long the last outage was.
                pauseMs = settings.firstPause().toMillis();
                try (InputStream in = response.body()) {
                    ServerSentEvents.read(in, new ServerSentEvents.Handler() {
                        @Override
                        public void event(String event, String data) throws IOException {
                            heard();
                            JsonNode json = ApiJson.MAPPER.readTree(data);
                            if (event.equals("snapshot")) {
                                resynchronise(ApiJson.readSnapshot(json));
                            } else {
                                ApiJson.readEvent(event, json).ifPresent(RemoteFleet.this::apply);
                            }
                        }

                        @Override
                        public void alive() {
                            heard();
                        }
                    });
                }
                pauseMs = settings.firstPause().toMillis();
                if (!closed) {
                    throw new IOException("The host ended the event stream");
                }
            } catch (ManagementClient.UnreachableException e) {
                if (ManagementClient.changed(e).isPresent()) {
                    setConnection(State.CERTIFICATE_CHANGED, OptionalLong.empty(), e.getMessage());
                    return;
                }
                pauseMs = retryLater(pauseMs, e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.info("The event stream of {} dropped: {}", name, e.toString());
                pauseMs = retryLater(pauseMs, "The connection to the host dropped: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            } finally {
                openStream = null;
            }
        }
    }

    /** Waits before the next try; returns the pause for the one after. */
    private long retryLater(long pauseMs, String problem) {
        if (closed) {
            return pauseMs;
        }
        setConnection(State.RECONNECTING, OptionalLong.of(settings.clock().getAsLong() + pauseMs), problem);
        synchronized (lock) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs);
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return pauseMs;
                }
            }
        }
        return Math.min(pauseMs * 2, settings.maxPause().toMillis());
    }

    /** Closes a stream the host has been silent on for too long, so that {@link #follow} tries again. */
    private void watch() {
        long silenceMs = settings.silence().toMillis();
        while (!closed) {
            synchronized (lock) {
                try {
                    lock.wait(Math.max(1, silenceMs / 3));
                } catch (InterruptedException e) {
                    return;
                }
            }
            InputStream stream = openStream;
            if (stream != null && settings.clock().getAsLong() - connection.lastHeardMs() > silenceMs) {
                LOG.info("{} has been silent for over {} s; connecting again", name, silenceMs / 1000);
                try {
                    stream.close();
                } catch (IOException e) {
                    LOG.debug("Closing a silent stream: {}", e.toString());
                }
            }
        }
    }

    /** The host was heard from: only the time changes, whatever the state (a refused key or a close stays). */
    private void heard() {
        synchronized (connectionLock) {
            Connection now = connection;
            connection = new Connection(now.state(), settings.clock().getAsLong(), now.retryAtMs(), now.problem());
        }
    }

    private void setConnection(State state, OptionalLong retryAtMs, String problem) {
        Connection next;
        synchronized (connectionLock) {
            if (connection.state() == State.CLOSED) {
                return;
            }
            next = new Connection(state, connection.lastHeardMs(), retryAtMs, problem == null ? Optional.empty() : Optional.of(problem));
            connection = next;
        }
        firstOutcome.complete(null);
        for (ConnectionListener listener : connectionListeners) {
            try {
                listener.changed(next);
            } catch (RuntimeException e) {
                LOG.error("A connection listener failed", e);
            }
        }
    }

    /** Takes the host's snapshot as the truth, announcing what changed since the mirror was last right. */
    private void resynchronise(FleetSnapshot snapshot) {
        Map<String, EngineStatus> heard = snapshot.engines();
        if (!heard.equals(engines)) {
            engines = heard;
            Optional.ofNullable(heard.get(ServiceSnapshot.THIS_HOST))
                    .ifPresent(engine -> publish(new FleetEvent.EngineStatusChanged(ServiceSnapshot.THIS_HOST, engine)));
        }
        Map<String, ServiceSnapshot> fresh = new LinkedHashMap<>();
        snapshot.services().forEach(s -> fresh.put(s.name(), s));
        for (String gone : List.copyOf(mirror.keySet())) {
            if (!fresh.containsKey(gone)) {
                mirror.remove(gone);
                publish(new FleetEvent.ServiceRemoved(gone));
            }
        }
        for (ServiceSnapshot service : fresh.values()) {
            ServiceSnapshot before = mirror.put(service.name(), service);
            if (before != null && !before.equals(service)) {
                publish(new FleetEvent.ServiceRemoved(service.name()));
            }
            if (before == null || !before.equals(service)) {
                publish(new FleetEvent.ServiceAdded(service.name(), service));
            }
        }
        // An operation that ended before this snapshot was taken sends no event on this stream; its
        // ticket may be made only now (its request was answered while the stream was opening):
        // keep its outcome where the ticket looks first.
        fresh.values().forEach(s -> s.lastOperation().filter(r -> r.outcome() != Outcome.RUNNING).ifPresent(this::ended));
        synced = true;
        snapshots.incrementAndGet();
        setConnection(State.CONNECTED, OptionalLong.empty(), null);
        // Operations that ended while the stream was down ended unheard: ask for them.
        for (String requestId : List.copyOf(pending.keySet())) {
            operation(requestId).filter(r -> r.outcome() != Outcome.RUNNING).ifPresent(this::ended);
        }
    }

    private void apply(FleetEvent event) {
        String service = event.service();
        switch (event) {
            case FleetEvent.ServiceAdded added -> mirror.put(service, added.snapshot());
            case FleetEvent.ServiceRemoved removed -> mirror.remove(service);
            case FleetEvent.DefinitionChanged changed -> mirror.put(service, changed.snapshot());
            case FleetEvent.ServiceStateChanged changed -> mirror.computeIfPresent(service, (n, s) -> new ServiceSnapshot(
                    s.definition(), changed.state(), changed.running(), s.instances(), s.lastOperation(), s.endpoint(), s.host()));
            case FleetEvent.OperationProgress progress -> {
                // A service's last operation is the last one asked for, as the host keeps it; not a restart of the host's own.
                if (!progress.record().operation().byHost()) {
                    mirror.computeIfPresent(service, (n, s) -> new ServiceSnapshot(s.definition(), s.state(), s.running(),
                            s.instances(), Optional.of(progress.record()), s.endpoint(), s.host()));
                }
                if (progress.record().outcome() != Outcome.RUNNING) {
                    ended(progress.record());
                }
            }
            case FleetEvent.InstanceStatusChanged changed -> {
                // An instance the snapshot did not have yet (one a restarted host starts again) is added;
                // not one that stopped, which the host may have removed before saying so.
                if (changed.status() != InstanceStatus.STOPPED) {
                    addInstanceIfAbsent(service, new InstanceSnapshot(service, changed.index(), changed.status(), ThrottleState.NORMAL,
                            Set.of(), OptionalLong.empty(), Optional.empty(), changed.crashesInARow(), changed.cause()));
                }
                updateInstance(service, changed.index(), i -> new InstanceSnapshot(
                        i.service(), i.index(), changed.status(), i.throttle(), i.causes(), i.throttledSinceMs(), i.lastSample(),
                        changed.crashesInARow(), changed.cause()));
            }
            case FleetEvent.InstanceSampled sampled -> updateInstance(service, sampled.index(), i -> new InstanceSnapshot(
                    i.service(), i.index(), i.status(), i.throttle(), i.causes(), i.throttledSinceMs(), Optional.of(sampled.sample()),
                    i.crashesInARow(), i.restartCause()));
            case FleetEvent.ThrottleChanged changed -> updateInstance(service, changed.index(), i -> {
                var t = changed.transition();
                OptionalLong since = t.state() == ThrottleState.NORMAL ? OptionalLong.empty()
                        : t.entersThrottled() ? OptionalLong.of(t.timeMs()) : i.throttledSinceMs();
                return new InstanceSnapshot(i.service(), i.index(), i.status(), t.state(), t.causes(), since, i.lastSample(),
                        i.crashesInARow(), i.restartCause());
            });
            case FleetEvent.InstanceProblem problem -> {
                // Nothing to keep: the event says it all.
            }
            case FleetEvent.EngineStatusChanged changed -> engines = Map.of(ServiceSnapshot.THIS_HOST, changed.status());
        }
        publish(event);
    }

    private void addInstanceIfAbsent(String service, InstanceSnapshot added) {
        mirror.computeIfPresent(service, (n, s) -> {
            if (s.instances().stream().anyMatch(i -> i.index() == added.index())) {
                return s;
            }
            List<InstanceSnapshot> instances = new ArrayList<>(s.instances());
            instances.add(added);
            instances.sort(java.util.Comparator.comparingInt(InstanceSnapshot::index));
            return new ServiceSnapshot(s.definition(), s.state(), s.running(), List.copyOf(instances), s.lastOperation(), s.endpoint(),
                    s.host());
        });
    }

    private void updateInstance(String service, int index, java.util.function.UnaryOperator<InstanceSnapshot> change) {
        mirror.computeIfPresent(service, (n, s) -> {
            List<InstanceSnapshot> instances = new ArrayList<>(s.instances());
            for (int i = 0; i < instances.size(); i++) {
                if (instances.get(i).index() == index) {
                    instances.set(i, change.apply(instances.get(i)));
                }
            }
            return new ServiceSnapshot(s.definition(), s.state(), s.running(), List.copyOf(instances), s.lastOperation(), s.endpoint(),
                    s.host());
        });
    }

    private void ended(OperationRecord record) {
        recentOutcomes.put(record.requestId(), record);
        CompletableFuture<OperationRecord> waiting = pending.remove(record.requestId());
        if (waiting != null) {
            waiting.complete(record);
        }
    }

    private void publish(FleetEvent event) {
        listeners.publish(event);
    }

    /** The names of the services as last heard, at once: never waits for a first snapshot. */
    public List<String> knownServices() {
        return List.copyOf(mirror.keySet());
    }

    // Fleet

    /**
     * The host's services as last heard; while the connection is down, as they were when it
     * dropped ({@link #connection()} says since when). Before the first snapshot it waits for the
     * first try to connect to end.
     *
     * @throws FleetUnavailableException when no snapshot has arrived yet and the first try failed
     *                                   (the host cannot be reached, refuses the key, or presents
     *                                   another certificate), or took over 30 s
     */
    @Override
    public FleetSnapshot snapshot() {
        try {
            firstOutcome.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new FleetUnavailableException("The host at " + client.base() + " sent no snapshot within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetUnavailableException("Interrupted while waiting for " + name, e);
        }
        if (!synced) {
            throw new FleetUnavailableException(connection.problem().orElse("The host at " + client.base() + " cannot be reached"), null);
        }
        List<ServiceSnapshot> services = new ArrayList<>(mirror.values());
        services.sort(Comparator.comparing(ServiceSnapshot::name));
        return new FleetSnapshot(Math.max(connection.lastHeardMs(), 0), List.copyOf(services), engines);
    }

    @Override
    public Subscription subscribe(FleetListener listener) {
        return listeners.add(listener);
    }

    @Override
    public OperationTicket create(ServiceDefinition definition) {
        List<ServiceDefinition.Problem> problems = definition.problems();
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        return ticket(command("POST", "/services", ApiJson.definition(definition), definition.name()), Operation.CREATE);
    }

    @Override
    public OperationTicket perform(String service, Operation operation) {
        String path = "/services/" + ManagementClient.segment(service);
        return switch (operation) {
            case DELETE -> ticket(command("DELETE", path, null, service), operation);
            // The host's own entries of the log: no state allows them, as the host would answer.
            case INSTANCE_RESTART, INSTANCE_LEFT_DOWN -> {
                ServiceSnapshot known = mirror.get(service);
                if (known == null) {
                    throw new UnknownServiceException(service);
                }
                throw new OperationNotAllowedException(known.state(), operation);
            }
            case START, STOP, RESTART, SUSPEND, RESUME, BACKUP, SERVICE_UPDATE -> ticket(command("POST",
                    path + "/" + operation.chartName().toLowerCase(java.util.Locale.ROOT), null, service), operation);
            default -> throw new IllegalArgumentException(operation.chartName() + " needs more than the service name");
        };
    }

    @Override
    public OperationTicket scale(String service, int units) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode().put("units", units);
        return ticket(command("PUT", "/services/" + ManagementClient.segment(service) + "/units", body, service), Operation.SCALE);
    }

    @Override
    public OperationTicket updateConfiguration(String service, ServiceDefinition definition) {
        return ticket(command("PUT", "/services/" + ManagementClient.segment(service) + "/definition", ApiJson.definition(definition), service),
                Operation.UPDATE_CONFIGURATION);
    }

    @Override
    public OperationTicket restore(String backupId, String newName) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode().put("name", newName);
        return ticket(command("POST", "/backups/" + ManagementClient.segment(backupId) + "/restore", body, newName), Operation.RESTORE);
    }

    @Override
    public List<OperationTicket> disableAccount() {
        return tickets(command("POST", "/account/disable", null, null), Operation.DISABLE);
    }

    @Override
    public List<OperationTicket> enableAccount() {
        return tickets(command("POST", "/account/enable", null, null), Operation.ENABLE);
    }

    /** Drills are armed on the host's own console only: the management API offers no way to break a service. */
    @Override
    public void injectFault(String service, Operation operation) {
        throw new UnsupportedOperationException("Drills can be armed only in the console that runs the host itself");
    }

    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        StringBuilder path = new StringBuilder("/operations?limit=").append(query.limit());
        query.service().ifPresent(s -> path.append("&service=").append(encode(s)));
        query.operation().ifPresent(o -> path.append("&operation=").append(o.chartName()));
        query.outcome().ifPresent(o -> path.append("&outcome=").append(ApiJson.word(o)));
        query.fromMs().ifPresent(ms -> path.append("&from=").append(encode(ApiJson.time(ms))));
        query.toMs().ifPresent(ms -> path.append("&to=").append(encode(ApiJson.time(ms))));
        return ApiJson.readOperations(call("GET", path.toString(), null, null).body());
    }

    @Override
    public Optional<OperationRecord> operation(String requestId) {
        ManagementClient.Answer answer = send("GET", "/operations/" + ManagementClient.segment(requestId), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(ApiJson.readOperation(check(answer, null).body()));
    }

    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        JsonNode array = call("GET", "/services/" + ManagementClient.segment(service) + "/episodes?from=" + encode(ApiJson.time(fromMs))
                + "&to=" + encode(ApiJson.time(toMs)), null, service).body();
        List<InstanceEpisode> episodes = new ArrayList<>();
        array.forEach(e -> episodes.add(ApiJson.readEpisode(e)));
        return List.copyOf(episodes);
    }

    @Override
    public SampleWindow samples(String service, int index, long fromMs, long toMs) {
        String path = "/services/" + ManagementClient.segment(service) + "/instances/" + index + "/samples?from="
                + encode(ApiJson.time(fromMs)) + "&to=" + encode(ApiJson.time(toMs));
        return ApiJson.readSampleWindow(call("GET", path, null, service).body());
    }

    @Override
    public List<BackupInfo> backups(String service) {
        JsonNode array = call("GET", "/services/" + ManagementClient.segment(service) + "/backups", null, service).body();
        List<BackupInfo> backups = new ArrayList<>();
        array.forEach(b -> backups.add(ApiJson.readBackup(b)));
        return List.copyOf(backups);
    }

    @Override
    public InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes) {
        String path = "/services/" + ManagementClient.segment(service) + "/instances/" + index + "/log?run="
                + (run == InstanceLog.Run.CURRENT ? "current" : "previous") + "&limit=" + maxBytes + (offset >= 0 ? "&offset=" + offset : "");
        return ApiJson.readInstanceLog(call("GET", path, null, service).body());
    }

    @Override
    public String endpoint(String service) {
        ServiceSnapshot known = mirror.get(service);
        if (known == null) {
            throw new UnknownServiceException(service);
        }
        return known.endpoint();
    }

    /** Stops following the host. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        InputStream stream = openStream;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("Closing the event stream: {}", e.toString());
            }
        }
        if (reader != null) {
            reader.interrupt();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        pending.values().forEach(f -> f.completeExceptionally(new FleetUnavailableException("The connection to " + name + " was closed", null)));
        setConnection(State.CLOSED, OptionalLong.empty(), null);
        client.close();
    }

    // Requests

    private ManagementClient.Answer send(String method, String path, JsonNode body) {
        try {
            ManagementClient.Answer answer = client.send(method, path, body);
            if (answer.status() == 401) {
                setConnection(State.UNAUTHORIZED, OptionalLong.empty(),
                        "The host refused the key: it was rolled or is wrong. Enter the current key to connect again");
                throw new FleetUnavailableException(answer.error(), null);
            }
            return answer;
        } catch (IOException e) {
            throw new FleetUnavailableException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetUnavailableException("Interrupted while talking to " + name, e);
        }
    }

    private ManagementClient.Answer call(String method, String path, JsonNode body, String service) {
        return check(send(method, path, body), service);
    }

    /** Turns an error answer into the exception the {@link Fleet} contract names for it. */
    private static ManagementClient.Answer check(ManagementClient.Answer answer, String service) {
        if (answer.ok()) {
            return answer;
        }
        JsonNode body = answer.body();
        String error = answer.error();
        switch (answer.status()) {
            case 409 -> {
                if (error.equals(OperationNotAllowedException.MESSAGE)) {
                    throw new OperationNotAllowedException(ApiJson.state(body.path("state").asText()),
                            ApiJson.operation(body.path("operation").asText()));
                }
                throw new ServiceExistsException(body.path("service").asText(Objects.requireNonNullElse(service, "")));
            }
            case 404 -> {
                if (body.has("backup")) {
                    throw new UnknownBackupException(body.path("backup").asText());
                }
                if (service != null) {
                    throw new UnknownServiceException(service);
                }
                throw new IllegalArgumentException(error);
            }
            case 400 -> {
                if (body.path("problems").isArray() && !body.path("problems").isEmpty()) {
                    List<ServiceDefinition.Problem> problems = new ArrayList<>();
                    body.path("problems").forEach(p -> problems.add(new ServiceDefinition.Problem(p.path("field").asText(),
                            p.path("message").asText())));
                    throw new InvalidDefinitionException(problems);
                }
                throw new IllegalArgumentException(error);
            }
            default -> throw new FleetUnavailableException("The host answered " + answer.status() + ": " + error, null);
        }
    }

    /** What a command knew of the event stream when it was sent. */
    private record Sent(ManagementClient.Answer answer, boolean streamWasOpen, long snapshotsBefore) {
    }

    /**
     * Sends a command. Its outcome normally arrives on the event stream; when the stream was not
     * open as it was sent, or took a new snapshot meanwhile, the outcome may have gone by unheard.
     */
    private Sent command(String method, String path, JsonNode body, String service) {
        boolean open = connection.state() == State.CONNECTED;
        long before = snapshots.get();
        return new Sent(call(method, path, body, service), open, before);
    }

    private OperationTicket ticket(Sent sent, Operation operation) {
        return ticketFor(sent, sent.answer().body(), operation);
    }

    private List<OperationTicket> tickets(Sent sent, Operation operation) {
        List<OperationTicket> tickets = new ArrayList<>();
        sent.answer().body().path("operations").forEach(node -> tickets.add(ticketFor(sent, node, operation)));
        return List.copyOf(tickets);
    }

    private OperationTicket ticketFor(Sent sent, JsonNode accepted, Operation operation) {
        String requestId = accepted.path("requestId").asText();
        CompletableFuture<OperationRecord> completion = new CompletableFuture<>();
        pending.put(requestId, completion);
        OperationRecord already = recentOutcomes.get(requestId);
        if (already != null) {
            ended(already);
        } else if (!sent.streamWasOpen() || snapshots.get() != sent.snapshotsBefore()) {
            try {
                operation(requestId).filter(r -> r.outcome() != Outcome.RUNNING).ifPresent(this::ended);
            } catch (FleetUnavailableException e) {
                LOG.debug("The outcome of {} is asked for again when the stream is back: {}", requestId, e.getMessage());
            }
        }
        return new OperationTicket(requestId, accepted.path("service").asText(), operation, completion);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
