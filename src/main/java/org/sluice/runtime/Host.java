package org.sluice.runtime;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceLifecycle;
import org.sluice.lifecycle.ServiceState;
import org.sluice.lifecycle.Transition;
import org.sluice.runtime.store.HostJournal;
import org.sluice.runtime.store.StoredService;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
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
 */
public final class Host implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    /** The message of a failure armed with {@link #injectFault}. */
    public static final String INJECTED_FAULT = "Injected fault (drill)";
    static final String INTERRUPTED = "Interrupted: the host stopped while the operation ran";

    /**
     * @param readyTimeout how long a starting instance may take to accept messages
     * @param stopTimeout  how long stopping instances may take before they are killed, and how long
     *                     an instance may take to confirm a suspend or a resume
     */
    public record Settings(Duration readyTimeout, Duration stopTimeout) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(10));
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
        record To(int instance, int port) implements Route { }
    }

    private final Lifecycle rules = Lifecycle.standard();
    private final InstanceLauncher launcher;
    private final HostJournal journal;
    private final InstantSource clock;
    private final Settings settings;
    private final ExecutorService operations;
    private final AtomicBoolean relaunched = new AtomicBoolean();
    private final ExecutorService events;
    private final Map<String, Managed> services = new ConcurrentHashMap<>();
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
    private final Object names = new Object();

    public Host(InstanceLauncher launcher, HostJournal journal, InstantSource clock, Settings settings) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.operations = Executors.newCachedThreadPool(named("sluice-operation"));
        this.events = Executors.newSingleThreadExecutor(named("sluice-host-events"));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------- start-up and recovery

    /**
     * Loads the stored services and gives the Active and Suspended ones their role instances
     * back: {@link #load()} then {@link #relaunchInstances()}.
     */
    public void open() {
        load();
        relaunchInstances();
    }

    /**
     * Loads the stored services without starting anything. An operation that was running when
     * the host last stopped lands in its failure state and is logged as interrupted.
     */
    public void load() {
        for (OperationRecord running : journal.runningOperations()) {
            journal.operationEnded(new OperationRecord(running.requestId(), running.service(), running.operation(),
                    running.requester(), running.startedMs(), OptionalLong.of(clock.millis()), Outcome.INTERRUPTED,
                    Optional.of(INTERRUPTED)));
        }
        for (StoredService stored : journal.loadServices()) {
            ServiceState state = stored.state();
            if (stored.runningOperation() != null || state.isTransitional()) {
                Operation interrupted = stored.running().orElse(Operation.START);
                state = rules.interrupted(interrupted, Optional.ofNullable(stored.runningFrom()));
                LOG.warn("{} was interrupted during {}; it is now {}", stored.name(), interrupted.chartName(), state.chartName());
            }
            Managed managed = new Managed(ServiceLifecycle.resting(rules, state, stored.stateBeforeDisable()), stored.definition());
            managed.lastOperation = journal.operations(OperationQuery.all(1).forService(stored.name())).stream().findFirst().orElse(null);
            services.put(stored.name(), managed);
            persist(managed);
            publish(l -> l.serviceChanged(view(managed)));
        }
    }

    /**
     * Starts, in the background, the role instances of every Active or Suspended service that
     * has none and no operation running: after {@link #load()}, the instances of the last run.
     * A service that an operation has changed in between is left to that operation. Only the
     * first call does anything.
     */
    public void relaunchInstances() {
        if (!relaunched.compareAndSet(false, true)) {
            return;
        }
        for (Managed managed : services.values()) {
            if (needsInstances(managed)) {
                try {
                    operations.execute(() -> relaunch(managed));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    LOG.debug("Host closed; {} keeps no instances", managed.name());
                    return;
                }
            }
        }
    }

    private static boolean needsInstances(Managed managed) {
        ServiceState state = managed.lifecycle.state();
        return (state == ServiceState.ACTIVE || state == ServiceState.SUSPENDED)
                && managed.lifecycle.running().isEmpty() && managed.slots.isEmpty();
    }

    private void relaunch(Managed managed) {
        if (!needsInstances(managed)) {
            return;
        }
        try {
            startInstances(managed, managed.lifecycle.state() == ServiceState.SUSPENDED);
        } catch (OperationFailedException e) {
            LOG.error("{} did not get its instances back after a restart: {}", managed.name(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- commands

    /** Provisions a new service: Creating, then Active or CreateFailed. */
    public Accepted create(ServiceDefinition definition, String requester) {
        requireValid(definition);
        Managed managed;
        synchronized (names) {
            if (services.containsKey(definition.name())) {
                throw new IllegalArgumentException("A service named '" + definition.name() + "' exists already");
            }
            managed = new Managed(ServiceLifecycle.creating(rules), definition);
            services.put(definition.name(), managed);
        }
        return submit(managed, managed.lifecycle.running().orElseThrow(), requester, () -> startInstances(managed, false));
    }

    /** Creates a service named {@code newName} from a backup: Restoring, then Suspended or RestoreFailed. */
    public Accepted restore(String backupId, String newName, String requester) {
        BackupInfo backup = journal.backup(backupId)
                .orElseThrow(() -> new IllegalArgumentException("No backup with id '" + backupId + "'"));
        if (!backup.succeeded()) {
            throw new IllegalArgumentException("Backup '" + backupId + "' failed and cannot be restored");
        }
        ServiceDefinition definition = backup.definition().withName(newName);
        requireValid(definition);
        Managed managed;
        synchronized (names) {
            if (services.containsKey(newName)) {
                throw new IllegalArgumentException("A service named '" + newName + "' exists already");
            }
            managed = new Managed(ServiceLifecycle.restoring(rules), definition);
            services.put(newName, managed);
        }
        publish(l -> l.serviceChanged(view(managed)));
        return submit(managed, managed.lifecycle.running().orElseThrow(), requester, () -> startInstances(managed, true));
    }

    /**
     * Runs an operation that needs nothing but the service: Start, Stop, Restart, Suspend,
     * Resume, Delete, Backup, Disable, Enable, ServiceUpdate.
     */
    public Accepted perform(String name, Operation operation, String requester) {
        Managed managed = require(name);
        Work work = switch (operation) {
            case START -> () -> startInstances(managed, false);
            case STOP -> () -> stopInstances(managed, true);
            case RESTART, SERVICE_UPDATE -> () -> {
                stopInstances(managed, true);
                startInstances(managed, false);
            };
            case SUSPEND -> () -> eachInstance(managed, RoleInstance::suspend, "refuses messages");
            case RESUME -> () -> eachInstance(managed, RoleInstance::resume, "takes messages again");
            case DELETE, DISABLE -> () -> stopInstances(managed, false);
            case BACKUP -> () -> backup(managed, requester);
            case ENABLE -> null;
            case SCALE, UPDATE_CONFIGURATION, CREATE, RESTORE ->
                    throw new IllegalArgumentException(operation.chartName() + " needs more than the service name");
        };
        Transition transition = managed.lifecycle.begin(operation);
        if (operation == Operation.ENABLE) {
            ServiceState target = transition.onSuccess().orElseThrow();
            work = () -> {
                if (target == ServiceState.ACTIVE || target == ServiceState.SUSPENDED) {
                    startInstances(managed, target == ServiceState.SUSPENDED);
                }
            };
        }
        return submit(managed, transition, requester, work);
    }

    /** Changes the number of role instances: Updating, then Active or ScaleFailed. */
    public Accepted scale(String name, int units, String requester) {
        Managed managed = require(name);
        if (units < ServiceDefinition.MIN_UNITS || units > ServiceDefinition.MAX_UNITS) {
            throw new IllegalArgumentException("Units must be from " + ServiceDefinition.MIN_UNITS + " to "
                    + ServiceDefinition.MAX_UNITS + ", was " + units);
        }
        Transition transition = managed.lifecycle.begin(Operation.SCALE);
        return submit(managed, transition, requester, () -> scaleTo(managed, units));
    }

    /**
     * Replaces the definition: Updating, then Active, or ConfigUpdateFailed with the previous
     * definition still in force when the new one does not validate or does not start.
     */
    public Accepted updateConfiguration(String name, ServiceDefinition definition, String requester) {
        Managed managed = require(name);
        if (!name.equals(definition.name())) {
            throw new IllegalArgumentException("A service cannot be renamed; back it up and restore it under the new name");
        }
        Transition transition = managed.lifecycle.begin(Operation.UPDATE_CONFIGURATION);
        return submit(managed, transition, requester, () -> reconfigure(managed, definition));
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
        for (Managed managed : sortedServices()) {
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

    // ---------------------------------------------------------------- queries

    public List<ServiceView> services() {
        return sortedServices().stream().map(this::view).toList();
    }

    public Optional<ServiceView> service(String name) {
        return Optional.ofNullable(services.get(name)).map(this::view);
    }

    public List<OperationRecord> operations(OperationQuery query) {
        return journal.operations(query);
    }

    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return journal.episodes(service, fromMs, toMs);
    }

    public List<BackupInfo> backups(String service) {
        return journal.backups(service);
    }

    /** The next instance, round-robin, that should receive a message for {@code name}. */
    public Route route(String name) {
        Managed managed = services.get(name);
        if (managed == null) {
            return new Route.Unknown();
        }
        ServiceState state = managed.lifecycle.state();
        if (state != ServiceState.ACTIVE) {
            return new Route.NotActive(state);
        }
        List<Slot> ready = managed.slots.values().stream()
                .filter(s -> s.status == InstanceStatus.RUNNING && s.process != null && s.process.port().isPresent())
                .toList();
        if (ready.isEmpty()) {
            return new Route.NoInstance();
        }
        Slot slot = ready.get(Math.floorMod(managed.next.getAndIncrement(), ready.size()));
        return new Route.To(slot.index, slot.process.port().getAsInt());
    }

    public void addListener(HostListener listener) {
        listeners.add(listener);
    }

    public void removeListener(HostListener listener) {
        listeners.remove(listener);
    }

    /** Stops every role instance (killing those that do not stop in time) and the host's threads. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Managed managed : services.values()) {
            for (Slot slot : managed.slots.values()) {
                slot.stopRequested = true;
                if (slot.process != null) {
                    stopping.add(slot.process.stop());
                }
            }
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Some role instances did not stop in time and are killed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.values().forEach(m -> m.slots.values().forEach(Slot::kill));
        operations.shutdownNow();
        events.shutdown();
        try {
            if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Host events were still being delivered at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- running operations

    @FunctionalInterface
    private interface Work {
        void run() throws OperationFailedException;
    }

    private Accepted submit(Managed managed, Transition transition, String requester, Work work) {
        OperationRecord record = new OperationRecord(UUID.randomUUID().toString(), managed.name(), transition.operation(),
                requester, clock.millis(), OptionalLong.empty(), Outcome.RUNNING, Optional.empty());
        managed.lastOperation = record;
        managed.runningFrom = transition.from().orElse(null);
        journal.operationStarted(record);
        persist(managed);
        ServiceView started = view(managed);
        publish(l -> {
            l.serviceChanged(started);
            l.operationProgress(record);
        });
        CompletableFuture<OperationRecord> completion = new CompletableFuture<>();
        operations.execute(() -> {
            String error = null;
            try {
                // A failed Backup is still recorded, as failed: the backup itself handles its drill.
                if (transition.operation() != Operation.BACKUP && managed.faults.remove(transition.operation())) {
                    throw new OperationFailedException(INJECTED_FAULT);
                }
                work.run();
            } catch (OperationFailedException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("{} of {} failed unexpectedly", transition.operation().chartName(), managed.name(), e);
                error = "Unexpected error: " + e;
            }
            completion.complete(land(managed, transition, record, error));
        });
        return new Accepted(record, completion);
    }

    private OperationRecord land(Managed managed, Transition transition, OperationRecord record, String error) {
        Outcome outcome = error == null ? Outcome.SUCCEEDED : Outcome.FAILED;
        OperationRecord ended = new OperationRecord(record.requestId(), record.service(), record.operation(), record.requester(),
                record.startedMs(), OptionalLong.of(clock.millis()), outcome, Optional.ofNullable(error));
        managed.runningFrom = null;
        managed.lastOperation = ended;
        boolean removed = false;
        if (error == null) {
            removed = managed.lifecycle.succeed(transition).isEmpty();
        } else {
            managed.lifecycle.fail(transition);
            LOG.warn("{} of {} failed: {}", transition.operation().chartName(), managed.name(), error);
        }
        journal.operationEnded(ended);
        if (removed) {
            services.remove(managed.name());
            journal.deleteService(managed.name());
            publish(l -> {
                l.operationProgress(ended);
                l.serviceRemoved(managed.name());
            });
        } else {
            persist(managed);
            ServiceView after = view(managed);
            publish(l -> {
                l.serviceChanged(after);
                l.operationProgress(ended);
            });
        }
        return ended;
    }

    private void startInstances(Managed managed, boolean suspended) throws OperationFailedException {
        killAll(managed);
        launchRange(managed, managed.definition, 0, managed.definition.units(), suspended);
    }

    /**
     * Launches instances {@code from} (inclusive) to {@code to} (exclusive) and waits until they
     * are all ready; if one fails, those launched here are killed and the failure is thrown.
     */
    private void launchRange(Managed managed, ServiceDefinition definition, int from, int to, boolean suspended)
            throws OperationFailedException {
        List<Slot> started = new ArrayList<>();
        try {
            for (int index = from; index < to; index++) {
                started.add(launch(managed, definition, index, suspended));
            }
            for (Slot slot : started) {
                awaitReady(slot);
            }
        } catch (OperationFailedException e) {
            started.forEach(Slot::kill);
            started.forEach(slot -> managed.slots.remove(slot.index, slot));
            throw e;
        }
    }

    private Slot launch(Managed managed, ServiceDefinition definition, int index, boolean suspended) throws OperationFailedException {
        Slot slot = new Slot(managed, index);
        managed.slots.put(index, slot);
        publishInstance(slot, null);
        try {
            slot.process = launcher.launch(definition, index, suspended, slot);
        } catch (IOException e) {
            managed.slots.remove(index, slot);
            throw new OperationFailedException("Instance " + index + " could not be launched: " + e.getMessage(), e);
        }
        return slot;
    }

    private void awaitReady(Slot slot) throws OperationFailedException {
        try {
            slot.process.ready().get(settings.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperationFailedException("Instance " + slot.index + " did not become ready within "
                    + settings.readyTimeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            String reason = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            throw new OperationFailedException("Instance " + slot.index + " did not start: " + reason, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted while instance " + slot.index + " was starting");
        }
    }

    /**
     * Stops every instance of the service, killing those that do not stop in time. With
     * {@code strict}, an instance that had to be killed fails the operation.
     */
    private void stopInstances(Managed managed, boolean strict) throws OperationFailedException {
        List<Slot> slots = new ArrayList<>(managed.slots.values());
        List<Integer> killed = stop(slots);
        slots.forEach(slot -> managed.slots.remove(slot.index, slot));
        if (strict && !killed.isEmpty()) {
            throw new OperationFailedException("Instance " + killed.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " did not stop within " + settings.stopTimeout().toSeconds() + " s and was killed");
        }
    }

    /** Asks each instance to stop and waits; returns the indexes of those that had to be killed. */
    private List<Integer> stop(List<Slot> slots) {
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        List<Integer> killed = new ArrayList<>();
        for (Slot slot : slots) {
            slot.stopRequested = true;
        }
        List<CompletableFuture<Void>> stopping = slots.stream()
                .map(slot -> slot.process == null ? CompletableFuture.<Void>completedFuture(null) : slot.process.stop())
                .toList();
        for (int i = 0; i < slots.size(); i++) {
            try {
                stopping.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                slots.get(i).kill();
                killed.add(slots.get(i).index);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                slots.get(i).kill();
                killed.add(slots.get(i).index);
            }
        }
        return killed;
    }

    private void killAll(Managed managed) {
        List<Slot> leftovers = new ArrayList<>(managed.slots.values());
        leftovers.forEach(Slot::kill);
        leftovers.forEach(slot -> managed.slots.remove(slot.index, slot));
    }

    /**
     * Asks every instance to suspend or resume and waits until each says it has: an operation
     * that succeeds means the instances already refuse, or take, messages.
     */
    private void eachInstance(Managed managed, Function<RoleInstance, CompletableFuture<Void>> action, String doing)
            throws OperationFailedException {
        List<Slot> slots = new ArrayList<>(managed.slots.values());
        List<Integer> down = slots.stream().filter(s -> s.process == null || !s.process.isAlive()).map(s -> s.index).toList();
        if (slots.isEmpty() || !down.isEmpty()) {
            throw new OperationFailedException(slots.isEmpty() ? "The service has no running instance"
                    : "Instance " + down.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " is not running");
        }
        Map<Integer, CompletableFuture<Void>> confirmations = new TreeMap<>();
        for (Slot slot : slots) {
            confirmations.put(slot.index, action.apply(slot.process));
        }
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        for (Map.Entry<Integer, CompletableFuture<Void>> confirmation : confirmations.entrySet()) {
            try {
                confirmation.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new OperationFailedException("Instance " + confirmation.getKey() + " did not confirm that it " + doing
                        + " within " + settings.stopTimeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                throw new OperationFailedException("Instance " + confirmation.getKey() + " did not confirm that it " + doing
                        + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("Interrupted while instance " + confirmation.getKey() + " " + doing);
            }
        }
    }

    private void scaleTo(Managed managed, int units) throws OperationFailedException {
        ServiceDefinition before = managed.definition;
        ServiceDefinition after = before.withUnits(units);
        if (units > before.units()) {
            launchRange(managed, after, before.units(), units, false);
        } else if (units < before.units()) {
            List<Slot> surplus = managed.slots.values().stream().filter(s -> s.index >= units).toList();
            stop(surplus);
            surplus.forEach(slot -> managed.slots.remove(slot.index, slot));
        }
        managed.definition = after;
    }

    private void reconfigure(Managed managed, ServiceDefinition next) throws OperationFailedException {
        List<ServiceDefinition.Problem> problems = next.problems();
        if (!problems.isEmpty()) {
            throw new OperationFailedException("The new configuration does not validate: "
                    + problems.stream().map(ServiceDefinition.Problem::toString).collect(Collectors.joining("; ")));
        }
        ServiceDefinition previous = managed.definition;
        stopInstances(managed, false);
        managed.definition = next;
        try {
            startInstances(managed, false);
        } catch (OperationFailedException failed) {
            managed.definition = previous;
            try {
                startInstances(managed, false);
            } catch (OperationFailedException alsoFailed) {
                LOG.error("{}: the previous configuration did not start again either: {}", managed.name(), alsoFailed.getMessage());
            }
            throw new OperationFailedException("The new configuration did not start (" + failed.getMessage()
                    + "); the previous configuration is in force again", failed);
        }
    }

    private void backup(Managed managed, String requester) throws OperationFailedException {
        String id = managed.name() + "-" + clock.millis() + "-" + UUID.randomUUID().toString().substring(0, 8);
        if (managed.faults.remove(Operation.BACKUP)) {
            journal.backupSaved(new BackupInfo(id, managed.name(), clock.millis(), managed.definition, false,
                    Optional.of(INJECTED_FAULT)));
            throw new OperationFailedException(INJECTED_FAULT);
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
            throw new OperationFailedException(reason, e);
        }
    }

    // ---------------------------------------------------------------- bookkeeping

    private Managed require(String name) {
        Managed managed = services.get(name);
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

    private List<Managed> sortedServices() {
        List<Managed> sorted = new ArrayList<>(services.values());
        sorted.sort(Comparator.comparing(Managed::name));
        return sorted;
    }

    private void persist(Managed managed) {
        Operation running = managed.lifecycle.running().map(Transition::operation).orElse(null);
        OperationRecord last = managed.lastOperation;
        journal.saveService(new StoredService(managed.definition, managed.lifecycle.state(),
                managed.lifecycle.beforeDisable().orElse(null), running,
                running == null ? null : last.requestId(), running == null ? null : managed.runningFrom, clock.millis()));
    }

    private ServiceView view(Managed managed) {
        List<InstanceView> instances = managed.slots.values().stream().map(Slot::view).toList();
        return new ServiceView(managed.definition, managed.lifecycle.state(),
                managed.lifecycle.running().map(Transition::operation), instances, Optional.ofNullable(managed.lastOperation));
    }

    private void publish(Consumer<HostListener> delivery) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            events.execute(() -> {
                for (HostListener listener : listeners) {
                    try {
                        delivery.accept(listener);
                    } catch (RuntimeException e) {
                        LOG.error("A host listener failed", e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("Host closed; an event was not delivered");
        }
    }

    private void publishInstance(Slot slot, InstanceEvent event) {
        InstanceView view = slot.view();
        publish(l -> l.instanceEvent(slot.owner.name(), view, event));
    }

    /** One service as the host runs it. */
    private static final class Managed {
        final ServiceLifecycle lifecycle;
        volatile ServiceDefinition definition;
        volatile OperationRecord lastOperation;
        volatile ServiceState runningFrom;
        final Map<Integer, Slot> slots = new ConcurrentSkipListMap<>();
        final Set<Operation> faults = Collections.synchronizedSet(EnumSet.noneOf(Operation.class));
        final AtomicInteger next = new AtomicInteger();

        Managed(ServiceLifecycle lifecycle, ServiceDefinition definition) {
            this.lifecycle = lifecycle;
            this.definition = definition;
        }

        String name() {
            return definition.name();
        }
    }

    /** One role instance's place in a service, and what the host knows of it. */
    private final class Slot implements InstanceListener {
        final Managed owner;
        final int index;
        volatile RoleInstance process;
        volatile InstanceStatus status = InstanceStatus.STARTING;
        volatile ThrottleState throttle = ThrottleState.NORMAL;
        volatile Set<Cause> causes = Set.of();
        volatile OptionalLong throttledSince = OptionalLong.empty();
        volatile InstanceSample lastSample;
        volatile boolean stopRequested;

        Slot(Managed owner, int index) {
            this.owner = owner;
            this.index = index;
        }

        @Override
        public void onEvent(InstanceEvent event) {
            if (event instanceof InstanceEvent.Ready) {
                status = InstanceStatus.RUNNING;
            } else if (event instanceof InstanceEvent.Sampled sampled) {
                lastSample = sampled.sample();
            } else if (event instanceof InstanceEvent.Throttle change) {
                ThrottleTransition t = change.transition();
                throttle = t.state();
                causes = t.causes();
                if (t.entersThrottled()) {
                    throttledSince = OptionalLong.of(t.timeMs());
                } else if (t.state() == ThrottleState.NORMAL) {
                    throttledSince = OptionalLong.empty();
                }
            } else if (event instanceof InstanceEvent.EpisodeEnded ended) {
                journal.episodeEnded(new InstanceEpisode(owner.name(), index, ended.episode()));
            } else if (event instanceof InstanceEvent.Problem problem) {
                LOG.warn("{} instance {}: {}", owner.name(), index, problem.message());
            } else if (event instanceof InstanceEvent.Exited exited) {
                boolean expected = stopRequested || exited.requested();
                status = expected ? InstanceStatus.STOPPED : InstanceStatus.FAILED;
                throttle = ThrottleState.NORMAL;
                causes = Set.of();
                throttledSince = OptionalLong.empty();
                if (!expected) {
                    LOG.error("{} instance {} exited unexpectedly with status {}", owner.name(), index, exited.status());
                }
            }
            publishInstance(this, event);
        }

        void kill() {
            stopRequested = true;
            if (process != null && process.isAlive()) {
                process.kill();
            }
        }

        InstanceView view() {
            return new InstanceView(index, status, throttle, causes, throttledSince, Optional.ofNullable(lastSample));
        }
    }
}
