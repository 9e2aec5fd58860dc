package org.sluice.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceLifecycle;
import org.sluice.lifecycle.ServiceState;
import org.sluice.lifecycle.Transition;
import org.sluice.runtime.store.HostJournal;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs integration services on this machine: applies lifecycle operations to them through the
 * state chart, supervises their role instances and keeps everything in its journal.
 *
 * <p>Operations are asynchronous. A command the chart refuses throws
 * {@link OperationNotAllowedException} and changes nothing; an accepted one returns at once and
 * runs on the host's operation threads, ending in the success or failure state of the
 * specification. Failures come only from real causes (an instance that does not start, a stop
 * that does not finish, a configuration that does not validate) or from a fault an operator armed
 * for a drill.
 *
 * <p>The host itself checks and accepts commands; its parts do the rest: {@code OperationRunner}
 * runs and records operations, {@code ManagedService} and {@code ServiceInstances} hold each
 * service and its role instances, {@code Recovery} brings back the last run, and
 * {@code HostEvents} tells the listeners.
 */
public final class Host implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    /** The message of a failure armed with {@link #injectFault}. */
    public static final String INJECTED_FAULT = "Injected fault (drill)";
    static final String INTERRUPTED = "Interrupted: the host stopped while the operation ran";
    /** {@value #INTERRUPTED} as a problem. */
    static final Problem INTERRUPTED_PROBLEM = Problem.of("interrupted-by-host-stop");
    /** {@value #INJECTED_FAULT} as a problem. */
    public static final Problem INJECTED_PROBLEM = Problem.of("injected-fault");

    /**
     * @param readyTimeout how long a starting instance may take to accept messages
     * @param stopTimeout  how long stopping instances may take before they are killed, and how long
     *                     an instance may take to confirm a suspend or a resume
     * @param restartPause the pause before an instance that crashed is started again; it doubles
     *                     with each crash in a row
     * @param admission    the machine a definition must fit, or empty to take any (overcommit)
     */
    public record Settings(Duration readyTimeout, Duration stopTimeout, Duration restartPause,
                           Optional<MachineCapacity> admission) {
        /** With the default pause before a crashed instance is started again, one second, and no admission check. */
        public Settings(Duration readyTimeout, Duration stopTimeout) {
            this(readyTimeout, stopTimeout, Duration.ofSeconds(1));
        }

        /** With no admission check. */
        public Settings(Duration readyTimeout, Duration stopTimeout, Duration restartPause) {
            this(readyTimeout, stopTimeout, restartPause, Optional.empty());
        }

        /** The host's defaults, admitting only what fits this machine. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), MachineCapacity.ofThisMachine());
        }

        /** The same, taking definitions bigger than the machine, on the operator's word. */
        public Settings overcommitted() {
            return new Settings(readyTimeout, stopTimeout, restartPause, Optional.empty());
        }
    }

    /** An accepted operation: its log entry now, and the entry as it ends. */
    public record Accepted(OperationRecord record, CompletableFuture<OperationRecord> completion) {
    }

    /** Where the front door sends a message for a service. */
    public sealed interface Route {
        record Unknown() implements Route { }
        record NotActive(ServiceState state) implements Route { }
        record NoInstance() implements Route { }
        /** To instance number {@code instance}, which takes messages at {@code address}. */
        record To(int instance, InetSocketAddress address) implements Route {
            public int port() {
                return address.getPort();
            }
        }
    }

    private final Lifecycle rules = Lifecycle.standard();
    private final InstanceLauncher launcher;
    private final HostJournal journal;
    private final InstantSource clock;
    private final Settings settings;
    private final Map<String, ManagedService> services = new ConcurrentHashMap<>();
    /** Held while a new name is checked and taken, so that two creates or restores cannot both take it. */
    private final Object names = new Object();
    private final HostEvents events;
    private final OperationRunner runner;
    private final Recovery recovery;
    private final SupervisionLog supervisionLog;
    /** Starts crashed instances again (see {@link ServiceInstances}) and purges old entries daily. */
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(named("sluice-supervisor"));
    /** How long ended operations and throttle episodes are kept. */
    public static final Duration RETENTION = Duration.ofDays(180);

    public Host(InstanceLauncher launcher, HostJournal journal, InstantSource clock, Settings settings) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = new HostEvents(Executors.newSingleThreadExecutor(named("sluice-host-events")));
        this.runner = new OperationRunner(journal, clock, Executors.newCachedThreadPool(named("sluice-operation")), events, services);
        this.supervisionLog = new SupervisionLog(journal, events, clock);
        this.recovery = new Recovery(rules, journal, clock, services, this::manage, runner, events, supervisionLog, supervisor,
                settings.restartPause());
        launcher.watchEngine(status -> events.publish(l -> l.engineStatusChanged(status)));
        supervisor.scheduleAtFixedRate(() -> {
            try {
                purgeExpired();
            } catch (RuntimeException e) {
                LOG.error("The daily purge of the operation log failed; it runs again tomorrow", e);
            }
        }, 1, TimeUnit.DAYS.toMinutes(1), TimeUnit.MINUTES);
    }

    private static ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).daemon().factory();
    }

    // ---------------------------------------------------------------- start-up and recovery

    /**
     * Loads the stored services and gives those that ran role instances their instances back: {@link #load()} then {@link #relaunchInstances()}.
     */
    public void open() {
        load();
        relaunchInstances();
    }

    /**
     * Deletes the operations and throttle episodes that ended more than {@link #RETENTION} ago.
     * The host runs it a minute after it starts and then daily.
     *
     * @return how many entries went
     */
    public int purgeExpired() {
        int purged = journal.purgeEndedBefore(clock.millis() - RETENTION.toMillis());
        if (purged > 0) {
            LOG.info("Purged {} operation log entries and throttle episodes older than {} days", purged, RETENTION.toDays());
        }
        return purged;
    }

    /**
     * Loads the stored services without starting anything. An operation that was running when
     * the host last stopped lands in its failure state and is logged as interrupted.
     */
    public void load() {
        recovery.load();
    }

    /**
     * Starts, in the background, the role instances of every service whose state runs instances
     * (Active, Suspended, and the failures of Scale, configuration update, Suspend and Resume) that
     * has none and no operation running: after {@link #load()}, the instances of the last run.
     * A service that an operation has changed in between is left to that operation. Only the
     * first call does anything.
     */
    public void relaunchInstances() {
        recovery.relaunchInstances();
    }

    // ---------------------------------------------------------------- commands

    /** Provisions a new service: Creating, then Active or CreateFailed. */
    public Accepted create(ServiceDefinition definition, String requester) {
        requireValid(definition);
        admit(definition);
        ManagedService managed;
        synchronized (names) {
            if (services.containsKey(definition.name())) {
                throw new NameTakenException(definition.name());
            }
            managed = manage(ServiceLifecycle.creating(rules), definition);
            services.put(definition.name(), managed);
        }
        return runner.submit(managed, managed.lifecycle.running().orElseThrow(), requester, () -> managed.startInstances(false));
    }

    /** Creates a service named {@code newName} from a backup: Restoring, then Suspended or RestoreFailed. */
    public Accepted restore(String backupId, String newName, String requester) {
        BackupInfo backup = journal.backup(backupId)
                .orElseThrow(() -> new NoSuchBackupException(backupId));
        if (!backup.succeeded()) {
            throw new IllegalArgumentException("Backup '" + backupId + "' failed and cannot be restored");
        }
        ServiceDefinition definition = backup.definition().withName(newName);
        requireValid(definition);
        admit(definition);
        ManagedService managed;
        synchronized (names) {
            if (services.containsKey(newName)) {
                throw new NameTakenException(newName);
            }
            managed = manage(ServiceLifecycle.restoring(rules), definition);
            services.put(newName, managed);
        }
        events.publish(l -> l.serviceChanged(managed.view()));
        return runner.submit(managed, managed.lifecycle.running().orElseThrow(), requester, () -> managed.startInstances(true));
    }

    /**
     * Runs an operation that needs nothing but the service: Start, Stop, Restart, Suspend,
     * Resume, Delete, Backup, Disable, Enable, ServiceUpdate.
     */
    public Accepted perform(String name, Operation operation, String requester) {
        ManagedService managed = require(name);
        OperationRunner.Work work = switch (operation) {
            case START -> () -> managed.startInstances(false);
            case STOP -> () -> managed.stopInstances(true);
            case RESTART, SERVICE_UPDATE -> () -> {
                managed.stopInstances(true);
                managed.startInstances(false);
            };
            case SUSPEND -> () -> managed.instances.confirmEach(RoleInstance::suspend, ServiceInstances.Confirmation.SUSPEND);
            case RESUME -> () -> managed.instances.confirmEach(RoleInstance::resume, ServiceInstances.Confirmation.RESUME);
            case DELETE -> () -> {
                managed.stopInstances(false);
                managed.instances.deleted();
            };
            case DISABLE -> () -> managed.stopInstances(false);
            case BACKUP -> () -> backup(managed, requester);
            case ENABLE -> null;
            case SCALE, UPDATE_CONFIGURATION, CREATE, RESTORE ->
                    throw new IllegalArgumentException(operation.chartName() + " needs more than the service name");
            // Logged by supervision; the chart never allows them, so this is refused as any operation the state does not allow.
            case INSTANCE_RESTART, INSTANCE_LEFT_DOWN -> null;
        };
        Transition transition = managed.lifecycle.begin(operation);
        if (operation == Operation.ENABLE) {
            ServiceState target = transition.onSuccess().orElseThrow();
            work = () -> {
                if (target == ServiceState.ACTIVE || target == ServiceState.SUSPENDED) {
                    managed.startInstances(target == ServiceState.SUSPENDED);
                }
            };
        }
        return runner.submit(managed, transition, requester, work);
    }

    /** Changes the number of role instances: Updating, then Active or ScaleFailed. */
    public Accepted scale(String name, int units, String requester) {
        ManagedService managed = require(name);
        if (units < ServiceDefinition.MIN_UNITS || units > ServiceDefinition.MAX_UNITS) {
            throw new IllegalArgumentException("Units must be from " + ServiceDefinition.MIN_UNITS + " to "
                    + ServiceDefinition.MAX_UNITS + ", was " + units);
        }
        admit(managed.definition.withUnits(units));
        Transition transition = managed.lifecycle.begin(Operation.SCALE);
        return runner.submit(managed, transition, requester, () -> managed.scaleTo(units));
    }

    /**
     * Replaces the definition: Updating, then Active, or ConfigUpdateFailed with the previous
     * definition still in force when the new one does not validate or does not start.
     */
    public Accepted updateConfiguration(String name, ServiceDefinition definition, String requester) {
        ManagedService managed = require(name);
        if (!name.equals(definition.name())) {
            throw new IllegalArgumentException("A service cannot be renamed; back it up and restore it under the new name");
        }
        admit(definition);
        Transition transition = managed.lifecycle.begin(Operation.UPDATE_CONFIGURATION);
        return runner.submit(managed, transition, requester, () -> managed.reconfigure(definition));
    }

    /** Disables every service that allows it. */
    public List<Accepted> disableAccount(String requester) {
        return everyServiceAllowing(Operation.DISABLE, requester);
    }

    /** Enables every disabled service. */
    public List<Accepted> enableAccount(String requester) {
        return everyServiceAllowing(Operation.ENABLE, requester);
    }

    private List<Accepted> everyServiceAllowing(Operation operation, String requester) {
        List<Accepted> accepted = new ArrayList<>();
        for (ManagedService managed : sortedServices()) {
            if (managed.lifecycle.allowed().contains(operation)) {
                try {
                    accepted.add(perform(managed.name(), operation, requester));
                } catch (OperationNotAllowedException changedMeanwhile) {
                    LOG.info("{} skipped for {}: it is now {}", operation.chartName(), managed.name(), changedMeanwhile.state().chartName());
                }
            }
        }
        return accepted;
    }

    /** Arms a drill: the next run of {@code operation} on {@code name} fails with {@value #INJECTED_FAULT}. */
    public void injectFault(String name, Operation operation) {
        require(name).faults.add(operation);
    }

    private void backup(ManagedService managed, String requester) throws OperationFailedException {
        String id = managed.name() + "-" + clock.millis() + "-" + UUID.randomUUID().toString().substring(0, 8);
        if (managed.faults.remove(Operation.BACKUP)) {
            journal.backupSaved(new BackupInfo(id, managed.name(), clock.millis(), managed.definition, false,
                    Optional.of(INJECTED_FAULT)));
            throw new OperationFailedException(INJECTED_PROBLEM, INJECTED_FAULT);
        }
        try {
            journal.backupSaved(new BackupInfo(id, managed.name(), clock.millis(), managed.definition, true, Optional.empty()));
        } catch (RuntimeException e) {
            String reason = "The backup could not be written: " + e.getMessage();
            LOG.error("Backup of {} requested by {} failed", managed.name(), requester, e);
            try {
                journal.backupSaved(new BackupInfo(id, managed.name(), clock.millis(), managed.definition, false, Optional.of(reason)));
            } catch (RuntimeException alsoFailed) {
                LOG.error("The failed backup of {} could not be recorded either", managed.name(), alsoFailed);
            }
            throw new OperationFailedException(Problem.of("backup-not-written", "reason", String.valueOf(e.getMessage())), reason, e);
        }
    }

    // ---------------------------------------------------------------- queries

    public List<ServiceView> services() {
        return sortedServices().stream().map(ManagedService::view).toList();
    }

    public Optional<ServiceView> service(String name) {
        return Optional.ofNullable(services.get(name)).map(ManagedService::view);
    }

    public List<OperationRecord> operations(OperationQuery query) {
        return journal.operations(query);
    }

    /** The log entry of one request id, running or ended. */
    public Optional<OperationRecord> operation(String requestId) {
        return journal.operation(requestId);
    }

    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return journal.episodes(service, fromMs, toMs);
    }

    /**
     * The samples instance {@code index} of {@code name} took from {@code fromMs} to {@code toMs},
     * both included, as far as the host still keeps them: every sample its governor saw, the last
     * {@value SampleWindow#MAX_SAMPLES} of them.
     *
     * @throws NoSuchServiceException   when there is no such service
     * @throws IllegalArgumentException for an index out of range or a range that ends before it begins
     */
    public SampleWindow samples(String name, int index, long fromMs, long toMs) {
        ManagedService managed = require(name);
        checkIndex(index);
        if (toMs < fromMs) {
            throw new IllegalArgumentException("A range of samples cannot end (" + toMs + ") before it begins (" + fromMs + ")");
        }
        return managed.instances.samples(index, fromMs, toMs);
    }

    public List<BackupInfo> backups(String service) {
        return journal.backups(service);
    }

    /**
     * What instance {@code index} of {@code name} wrote to its standard error, from {@code offset}
     * (negative: the last {@code maxBytes}), at most {@code maxBytes} and in whole lines.
     *
     * @throws NoSuchServiceException   when there is no such service
     * @throws IllegalArgumentException for an index or a size out of range
     * @throws UncheckedIOException     when the log is there but cannot be read
     */
    public InstanceLog instanceLog(String name, int index, InstanceLog.Run run, long offset, int maxBytes) {
        require(name);
        checkIndex(index);
        if (maxBytes < 1 || maxBytes > InstanceLog.MAX_BYTES) {
            throw new IllegalArgumentException("A log is read at most " + InstanceLog.MAX_BYTES + " bytes at a time, and at least 1, not " + maxBytes);
        }
        try {
            return launcher.log(name, index, run, offset, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("The log of " + name + " instance " + index + " could not be read (" + e.getMessage()
                    + "); check the permissions of the host's data folder", e);
        }
    }

    private static void checkIndex(int index) {
        if (index < 0 || index >= ServiceDefinition.MAX_UNITS) {
            throw new IllegalArgumentException("An instance is numbered from 0 to " + (ServiceDefinition.MAX_UNITS - 1) + ", not " + index);
        }
    }

    /** The next instance, round-robin, that should receive a message for {@code name}. */
    public Route route(String name) {
        ManagedService managed = services.get(name);
        if (managed == null) {
            return new Route.Unknown();
        }
        ServiceState state = managed.lifecycle.state();
        if (state != ServiceState.ACTIVE) {
            return new Route.NotActive(state);
        }
        return managed.instances.route();
    }

    /** Whether the engine that runs the host's instances can do so now, and since when; see {@link InstanceLauncher#engineStatus()}. */
    public EngineStatus engineStatus() {
        return launcher.engineStatus();
    }

    public void addListener(HostListener listener) {
        events.add(listener);
    }

    public void removeListener(HostListener listener) {
        events.remove(listener);
    }

    /** Stops every role instance (killing those that do not stop in time) and the host's threads. */
    @Override
    public void close() {
        // First, so that no crashed instance is started again while the others stop.
        supervisor.shutdownNow();
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ManagedService managed : services.values()) {
            stopping.addAll(managed.instances.askEachToStop());
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Some role instances did not stop in time and are killed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.values().forEach(m -> m.instances.killEach());
        runner.close();
        events.close();
    }

    /**
     * Ends, at once, the instances taking messages at {@code addresses} and returns once they have exited
     * (or 5 s have passed): for a front door that must not let an instance deliver a message after
     * its sender is told it failed.
     */
    public void endInstancesAt(Set<InetSocketAddress> addresses) {
        List<CompletableFuture<Void>> exits = new ArrayList<>();
        services.values().forEach(managed -> exits.addAll(managed.instances.endAt(addresses)));
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Instances at {} did not all exit in time: {}", addresses, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- helpers

    private ManagedService manage(ServiceLifecycle lifecycle, ServiceDefinition definition) {
        return new ManagedService(lifecycle, definition,
                new ServiceInstances(definition.name(), launcher, settings, events, journal::saveEpisode, supervisionLog, supervisor));
    }

    /** Refuses, before anything changes, a definition bigger than the machine (unless overcommitted). */
    private void admit(ServiceDefinition definition) {
        settings.admission().ifPresent(machine -> machine.admit(definition));
    }

    private ManagedService require(String name) {
        ManagedService managed = services.get(name);
        if (managed == null) {
            throw new NoSuchServiceException(name);
        }
        return managed;
    }

    private static void requireValid(ServiceDefinition definition) {
        List<ServiceDefinition.Problem> problems = definition.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.stream().map(ServiceDefinition.Problem::toString)
                    .collect(Collectors.joining("; ")));
        }
    }

    private List<ManagedService> sortedServices() {
        List<ManagedService> sorted = new ArrayList<>(services.values());
        sorted.sort(Comparator.comparing(ManagedService::name));
        return sorted;
    }
}
