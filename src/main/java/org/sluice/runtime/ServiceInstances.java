package org.sluice.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role instances of one service: launching them and waiting until they are ready, stopping
 * them within the stop timeout or killing them, having them confirm a suspend or a resume,
 * picking the ready one that gets the next message, and starting again one that exits without
 * being asked to.
 *
 * <p><b>Supervision.</b> An instance that crashes is started again after a pause that doubles
 * with each crash in a row ({@link Host.Settings#restartPause()}, at most {@link #MAX_PAUSE}), as
 * systemd and Service Fabric do; after {@link #MAX_CRASHES} crashes in a row it is left down and
 * says so. An instance that stayed up for {@link #STABLE} starts the count again. While an
 * operation runs on the service the restart waits for it; a service whose state runs no instance
 * (Stopped, say) gets none. Under an engine that restarts instances itself (Kubernetes), the host
 * launches nothing: it logs the restart and waits for the same instance to be ready again, and
 * after the same number of crashes in a row it has the engine stop starting it.
 *
 * <p>Operations change the slots while routing, views and the host's close read them, so the
 * slots live in a concurrent map and nothing is locked while an instance is awaited.
 */
final class ServiceInstances {
    /** The longest pause before a crashed instance is started again. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** Crashes in a row after which an instance is left down. */
    static final int MAX_CRASHES = RestartCause.MAX_TRIES_IN_A_ROW;
    /** How long an instance must stay up for its crashes to be forgotten. */
    static final Duration STABLE = Duration.ofSeconds(60);

    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    /** What the instances need of their service to start one again. */
    interface Supervision {
        /** The definition in force. */
        ServiceDefinition definition();

        /** Whether an operation runs on the service now; a restart waits for it. */
        boolean operationRunning();

        /** Whether a restarted instance starts suspended; empty when the service's state runs no instance. */
        Optional<Boolean> restartSuspended();
    }

    private final String service;
    private final InstanceLauncher launcher;
    private final Host.Settings settings;
    private final HostEvents events;
    private final Consumer<InstanceEpisode> episodes;
    private final SupervisionLog log;
    private final Map<Integer, InstanceSlot> slots = new ConcurrentSkipListMap<>();
    /** The samples of each instance index, kept across its runs and while it is down, for incident bundles. */
    private final Map<Integer, SampleRing> samples = new ConcurrentSkipListMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledExecutorService supervisor;
    private volatile Supervision supervision;
    /** Restarts an engine is making, by slot, with their running entries in the operation log. */
    private final Map<InstanceSlot, Optional<OperationRecord>> pendingRestarts = new java.util.HashMap<>();
    /** The try again, after a host restart, of instances that did not come back; null when none waits. Guarded by {@link #pendingRestarts}. */
    private PendingRelaunch relaunch;

    /** A try again of the service's instances after a host restart, waiting for its pause, with its running entry in the operation log. */
    record PendingRelaunch(Optional<OperationRecord> entry) {
    }

    /**
     * @param episodes   where the throttle episodes the instances report are kept
     * @param log        where each restart, and each instance left down, is logged
     * @param supervisor the thread crashed instances are started again on
     */
    ServiceInstances(String service, InstanceLauncher launcher, Host.Settings settings, HostEvents events,
            Consumer<InstanceEpisode> episodes, SupervisionLog log, ScheduledExecutorService supervisor) {
        this.service = service;
        this.launcher = launcher;
        this.settings = settings;
        this.events = events;
        this.episodes = episodes;
        this.log = log;
        this.supervisor = supervisor;
    }

    /** Set once by the service these instances belong to. */
    void supervisedBy(Supervision owner) {
        this.supervision = owner;
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    private SampleRing ring(int index) {
        return samples.computeIfAbsent(index, i -> new SampleRing(SampleWindow.MAX_SAMPLES));
    }

    /** The samples kept of instance {@code index} from {@code fromMs} to {@code toMs}; none for an index never started. */
    SampleWindow samples(int index, long fromMs, long toMs) {
        SampleRing ring = samples.get(index);
        return ring == null ? SampleWindow.none() : ring.window(fromMs, toMs);
    }

    /** In index order. */
    List<InstanceView> views() {
        return slots.values().stream().map(InstanceSlot::view).toList();
    }

    /** The pause before crash or try number {@code crashes} in a row is followed by a start again: doubling, at most {@link #MAX_PAUSE}. */
    static long pauseMs(Duration restartPause, int crashes) {
        return Math.min(MAX_PAUSE.toMillis(), restartPause.toMillis() << Math.min(crashes - 1, 30));
    }

    /**
     * After a try to give the service its instances back when the host started has failed: each
     * of {@code units} instances shows as waiting to be tried again ({@code attempt} in a row,
     * after {@code pauseMs}), and the try again's running log entry, which {@code entry} writes
     * once they show so, waits with them. An operation that stops or replaces the instances
     * meanwhile ends the entry.
     */
    void awaitRelaunch(int units, int attempt, long pauseMs, java.util.function.Supplier<Optional<OperationRecord>> entry) {
        synchronized (pendingRestarts) {
            for (int index = 0; index < units; index++) {
                standIn(index, attempt - 1).restarting(attempt, pauseMs, RestartCause.HOST_RESTART);
            }
            relaunch = new PendingRelaunch(entry.get());
        }
    }

    /**
     * After the last try: each of {@code units} instances shows as left down after {@code attempts}
     * tries, and an engine that starts instances again by itself is told to stop, as for a crash
     * loop given up on ({@link #engineLeavesDown}).
     */
    void relaunchGaveUp(int units, int attempts) {
        for (int index = 0; index < units; index++) {
            standIn(index, attempts - 1).gaveUp(attempts, RestartCause.HOST_RESTART);
            engineLeavesDown(index);
        }
    }

    private InstanceSlot standIn(int index, int crashesBefore) {
        InstanceSlot slot = new InstanceSlot(service, index, events, episodes, crashesBefore, this::crashed, ring(index));
        slot.standIn = true;
        slot.stopRequested = true;
        slots.put(index, slot);
        return slot;
    }

    /** Takes the try again that waits, so that nothing else ends its entry; empty when none waits, as when an operation took over. */
    Optional<PendingRelaunch> takeRelaunch() {
        synchronized (pendingRestarts) {
            PendingRelaunch waiting = relaunch;
            relaunch = null;
            return Optional.ofNullable(waiting);
        }
    }

    /** An operation replaces or stops the instances: the try again that waits is not made, and its entry says so. */
    private void abandonRelaunch() {
        takeRelaunch().ifPresent(waiting -> log.notRestartedAsReplaced(waiting.entry()));
    }

    /** Tells the listeners that the stand-ins among {@code removed} are gone, as a stopped instance's exit would. */
    private static void standInsGone(List<InstanceSlot> removed) {
        removed.stream().filter(slot -> slot.standIn).forEach(slot -> slot.onEvent(new InstanceEvent.Exited(0, true)));
    }

    /** Replaces whatever instances are left with a full set for {@code definition}, all ready. */
    void startAll(ServiceDefinition definition, boolean suspended) throws OperationFailedException {
        killAll();
        launchRange(definition, 0, definition.units(), suspended);
    }

    /**
     * Launches instances {@code from} (inclusive) to {@code to} (exclusive) and waits until they
     * are all ready; if one fails, those launched here are killed and the failure is thrown.
     */
    void launchRange(ServiceDefinition definition, int from, int to, boolean suspended) throws OperationFailedException {
        List<InstanceSlot> started = new ArrayList<>();
        try {
            for (int index = from; index < to; index++) {
                started.add(launch(definition, index, suspended));
            }
            for (InstanceSlot slot : started) {
                awaitReady(slot);
            }
        } catch (OperationFailedException e) {
            started.forEach(InstanceSlot::kill);
            if (launcher.restartsInstances()) {
                // An engine's instance that is not running yet would run once the engine had room for it: it waits no more.
                started.stream().filter(InstanceSlot::isDown).map(slot -> slot.process).filter(java.util.Objects::nonNull)
                        .forEach(RoleInstance::stop);
            }
            started.forEach(slot -> slots.remove(slot.index, slot));
            throw e;
        }
    }

    private InstanceSlot launch(ServiceDefinition definition, int index, boolean suspended) throws OperationFailedException {
        InstanceSlot slot = new InstanceSlot(service, index, events, episodes, 0, this::crashed, ring(index));
        slots.put(index, slot);
        slot.announce(null);
        try {
            slot.process = launcher.launch(definition, index, suspended, slot);
        } catch (IOException e) {
            slots.remove(index, slot);
            throw new OperationFailedException(Problem.of("instance-not-launched", "instance", index, "reason", e.getMessage()),
                    "Instance " + index + " could not be launched: " + e.getMessage(), e);
        }
        return slot;
    }

    private void awaitReady(InstanceSlot slot) throws OperationFailedException {
        try {
            slot.process.ready().get(settings.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperationFailedException(Problem.of("instance-not-ready", "instance", slot.index,
                    "seconds", settings.readyTimeout().toSeconds(), "service", service),
                    "Instance " + slot.index + " did not become ready within "
                    + settings.readyTimeout().toSeconds() + " s; its log says why: in the console the service's details, Log tab "
                    + "(Previous run once it has started again), or sluice ctl logs " + service + " " + slot.index);
        } catch (ExecutionException e) {
            String reason = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            throw new OperationFailedException(Problem.of("instance-did-not-start", "instance", slot.index, "reason", reason),
                    "Instance " + slot.index + " did not start: " + reason, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(Problem.of("instance-start-interrupted", "instance", slot.index),
                    "Interrupted while instance " + slot.index + " was starting");
        }
    }

    /**
     * Stops every instance, killing those that do not stop in time. With {@code strict}, an
     * instance that had to be killed fails the operation.
     */
    void stopAll(boolean strict) throws OperationFailedException {
        abandonRelaunch();
        List<InstanceSlot> stopping = new ArrayList<>(slots.values());
        List<Integer> killed = stop(stopping);
        stopping.forEach(slot -> slots.remove(slot.index, slot));
        standInsGone(stopping);
        release(0);
        if (strict && !killed.isEmpty()) {
            String instances = killed.stream().map(String::valueOf).collect(Collectors.joining(", "));
            throw new OperationFailedException(Problem.of("instances-killed", "instances", instances,
                    "seconds", settings.stopTimeout().toSeconds()), "Instance " + instances
                    + " did not stop within " + settings.stopTimeout().toSeconds() + " s and was killed");
        }
    }

    /**
     * Launches or stops instances so that there are as many as {@code after} has units, where
     * {@code before} is the definition they run now. A surplus instance that must be killed does
     * not fail the scale.
     */
    void scale(ServiceDefinition before, ServiceDefinition after) throws OperationFailedException {
        int units = after.units();
        if (units > before.units()) {
            launchRange(after, before.units(), units, false);
        } else if (units < before.units()) {
            List<InstanceSlot> surplus = slots.values().stream().filter(s -> s.index >= units).toList();
            stop(surplus);
            surplus.forEach(slot -> slots.remove(slot.index, slot));
            standInsGone(surplus);
            release(units);
        }
    }

    /** Tells the launcher that instances {@code from} and up are stopped. */
    private void release(int from) throws OperationFailedException {
        try {
            launcher.released(service, from);
        } catch (IOException e) {
            throw new OperationFailedException(Problem.of("instances-not-released", "reason", e.getMessage()), e.getMessage(), e);
        }
    }

    /** Tells the launcher that the service is deleted, once its instances are stopped. */
    void deleted() throws OperationFailedException {
        try {
            launcher.deleted(service);
        } catch (IOException e) {
            throw new OperationFailedException(Problem.of("service-not-removed", "reason", e.getMessage()), e.getMessage(), e);
        }
    }

    /** Asks each instance to stop and waits; returns the indexes of those that had to be killed. */
    private List<Integer> stop(List<InstanceSlot> stopping) {
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        List<Integer> killed = new ArrayList<>();
        // Every slot is marked before the first stop is sent, so that no exit in between reads as a crash.
        for (InstanceSlot slot : stopping) {
            slot.stopRequested = true;
            abandonRestart(slot);
        }
        List<CompletableFuture<Void>> exits = stopping.stream()
                .map(slot -> slot.process == null ? CompletableFuture.<Void>completedFuture(null) : slot.process.stop())
                .toList();
        for (int i = 0; i < stopping.size(); i++) {
            try {
                exits.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                stopping.get(i).kill();
                killed.add(stopping.get(i).index);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping.get(i).kill();
                killed.add(stopping.get(i).index);
            }
        }
        return killed;
    }

    void killAll() {
        abandonRelaunch();
        List<InstanceSlot> leftovers = new ArrayList<>(slots.values());
        leftovers.forEach(this::abandonRestart);
        leftovers.forEach(InstanceSlot::kill);
        leftovers.forEach(slot -> slots.remove(slot.index, slot));
        standInsGone(leftovers);
    }

    /**
     * Asks every instance to suspend or resume and waits until each says it has: an operation
     * that succeeds means the instances already refuse, or take, messages.
     *
     * @param action what the instance confirms, for the failure's message and problem
     */
    void confirmEach(Function<RoleInstance, CompletableFuture<Void>> ask, Confirmation action) throws OperationFailedException {
        List<InstanceSlot> asked = new ArrayList<>(slots.values());
        long launchDeadline = System.nanoTime() + settings.stopTimeout().toNanos();
        for (InstanceSlot slot : asked) {
            // An instance being launched (after a host restart, say) has its slot before the
            // launcher hands back its process; that takes moments, and it is not down meanwhile.
            while (slot.process == null && slot.status != InstanceStatus.FAILED && System.nanoTime() < launchDeadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        List<Integer> down = asked.stream().filter(InstanceSlot::isDown).map(s -> s.index).toList();
        if (asked.isEmpty() || !down.isEmpty()) {
            if (asked.isEmpty()) {
                throw new OperationFailedException(Problem.of("no-running-instance"), "The service has no running instance");
            }
            String instances = down.stream().map(String::valueOf).collect(Collectors.joining(", "));
            throw new OperationFailedException(Problem.of("instances-not-running", "instances", instances),
                    "Instance " + instances + " is not running");
        }
        Map<Integer, CompletableFuture<Void>> confirmations = new TreeMap<>();
        for (InstanceSlot slot : asked) {
            confirmations.put(slot.index, ask.apply(slot.process));
        }
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        for (Map.Entry<Integer, CompletableFuture<Void>> confirmation : confirmations.entrySet()) {
            try {
                confirmation.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new OperationFailedException(Problem.of("instance-not-confirmed", "instance", confirmation.getKey(),
                        "action", action.code(), "ms", settings.stopTimeout().toMillis()),
                        "Instance " + confirmation.getKey() + " did not confirm that it " + action.doing
                                + " within " + settings.stopTimeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                throw new OperationFailedException(Problem.of("instance-confirmation-failed", "instance", confirmation.getKey(),
                        "action", action.code(), "reason", String.valueOf(e.getCause().getMessage())),
                        "Instance " + confirmation.getKey() + " did not confirm that it " + action.doing
                                + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException(Problem.of("instance-confirmation-interrupted", "instance", confirmation.getKey(),
                        "action", action.code()), "Interrupted while instance " + confirmation.getKey() + " " + action.doing);
            }
        }
    }

    /** What {@link #confirmEach} asks each instance to confirm. */
    enum Confirmation {
        SUSPEND("suspend", "refuses messages"),
        RESUME("resume", "takes messages again");

        private final String code;
        /** What the instance confirms, in the host's English ("refuses messages"). */
        final String doing;

        Confirmation(String code, String doing) {
            this.code = code;
            this.doing = doing;
        }

        /** The problem argument that names it: {@code suspend} or {@code resume}. */
        String code() {
            return code;
        }
    }

    /** Called on the instance's reader thread when its process exited without being asked to. */
    private void crashed(InstanceSlot slot) {
        // One that an operation launched and that never became ready fails that operation instead.
        if (slots.get(slot.index) != slot || (slot.readyAtNanos == 0 && slot.crashesBefore == 0)) {
            return;
        }
        // A run the engine started again that exits before it is ready ends that restart, and is one crash more.
        if (endEngineRestart(slot)) {
            awaitEngineRestartAfter(slot, slot.crashesInARow() + 1);
            return;
        }
        boolean wasStable = slot.readyAtNanos != 0 && System.nanoTime() - slot.readyAtNanos >= STABLE.toNanos();
        int crashes = wasStable ? 1 : slot.crashesBefore + 1;
        InstanceCrash crash = new InstanceCrash(slot.index, slot.exitStatus, crashes);
        if (crashes > MAX_CRASHES) {
            leaveDown(slot, crashes);
            return;
        }
        if (launcher.restartsInstances()) {
            awaitEngineRestart(slot);
            return;
        }
        long pause = pauseMs(settings.restartPause(), crashes);
        LOG.warn("{} instance {} is started again in {} ms (crash {} in a row)", service, slot.index, pause, crashes);
        slot.restarting(crashes, pause, RestartCause.CRASH);
        schedule(slot, crashes, pause, log.restarting(service, crash));
    }

    private void leaveDown(InstanceSlot slot, int crashes) {
        LOG.error("{} instance {} exited {} times in a row; it is left down until the service is started again",
                service, slot.index, crashes);
        slot.gaveUp(crashes, RestartCause.CRASH);
        log.leftDown(service, new InstanceCrash(slot.index, slot.exitStatus, crashes), "Instance " + slot.index + " exited "
                + crashes + " times in a row and is left down; Start or Restart the service to run it again",
                Problem.of("left-down-after-crashes", "instance", slot.index, "crashes", crashes));
        engineLeavesDown(slot.index);
    }

    /**
     * Instance {@code index} is left down: an engine that starts instances again by itself
     * (Kubernetes) would go on starting it, and keep room for it, were it not told (decision 0047).
     */
    private void engineLeavesDown(int index) {
        if (launcher.restartsInstances()) {
            launcher.leftDown(service, index);
        }
    }

    /**
     * The engine starts the instance again by itself: the host logs the restart, shows the slot as
     * restarting and ends the entry when the same instance says it is ready again. It never
     * launches a copy of its own: the engine's own back-off (Kubernetes' CrashLoopBackOff) paces
     * the restarts. After {@link #MAX_CRASHES} in a row the host leaves the instance down, as it
     * does its own, and tells the engine to stop starting it ({@link InstanceLauncher#leftDown}).
     */
    private void awaitEngineRestart(InstanceSlot slot) {
        boolean wasStable = slot.readyAtNanos != 0 && System.nanoTime() - slot.readyAtNanos >= STABLE.toNanos();
        awaitEngineRestartAfter(slot, wasStable ? 1 : slot.crashesInARow() + 1);
    }

    /**
     * Ends, as failed, the restart an engine was making of {@code slot}'s instance, whose new run
     * exited before it was ready; false when none was under way.
     */
    private boolean endEngineRestart(InstanceSlot slot) {
        synchronized (pendingRestarts) {
            if (!pendingRestarts.containsKey(slot)) {
                return false;
            }
            Optional<OperationRecord> entry = pendingRestarts.remove(slot);
            slot.takeReadyAgain();
            log.notRestarted(entry, "Instance " + slot.index + " exited again before it was ready (status " + slot.exitStatus + ")",
                    Problem.of("restart-exited-before-ready", "instance", slot.index, "status", slot.exitStatus));
            return true;
        }
    }

    /** {@link #awaitEngineRestart}, for crash number {@code crashes} in a row, or leaving the instance down after too many. */
    private void awaitEngineRestartAfter(InstanceSlot slot, int crashes) {
        if (crashes > MAX_CRASHES) {
            leaveDown(slot, crashes);
            return;
        }
        LOG.warn("{} instance {} exited; its engine starts it again (crash {} in a row)", service, slot.index, crashes);
        slot.restarting(crashes, 0, RestartCause.CRASH);
        // Under the map's lock, so that an operation that replaces the instance meanwhile either ends the entry or sees none begun.
        synchronized (pendingRestarts) {
            if (slot.stopRequested) {
                return;
            }
            Optional<OperationRecord> entry = log.restarting(service, new InstanceCrash(slot.index, slot.exitStatus, crashes));
            slot.onReadyAgain(() -> {
                synchronized (pendingRestarts) {
                    pendingRestarts.remove(slot);
                }
                log.restarted(entry);
            });
            pendingRestarts.put(slot, entry);
        }
    }

    /** Ends, as not restarted, the restart an engine was making of {@code slot}'s instance, if any. */
    private void abandonRestart(InstanceSlot slot) {
        synchronized (pendingRestarts) {
            Optional<OperationRecord> entry = pendingRestarts.remove(slot);
            if (entry != null && slot.takeReadyAgain() != null) {
                log.notRestartedAsReplaced(entry);
            }
        }
    }

    /** @param entry the restart's running entry in the operation log; a host that closes first leaves it to recovery */
    private void schedule(InstanceSlot crashed, int crashes, long pauseMs, Optional<OperationRecord> entry) {
        try {
            supervisor.schedule(() -> restart(crashed, crashes, entry), pauseMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            LOG.debug("Host closing; {} instance {} stays down", service, crashed.index);
        }
    }

    /** On the supervisor's thread: starts the crashed instance again, unless something else took its place. */
    private void restart(InstanceSlot crashed, int crashes, Optional<OperationRecord> entry) {
        Supervision owner = supervision;
        if (owner == null || slots.get(crashed.index) != crashed) {
            log.notRestartedAsReplaced(entry);
            return;
        }
        if (owner.operationRunning()) {
            // The operation decides what runs; look again once it has had time to land.
            schedule(crashed, crashes, settings.restartPause().toMillis(), entry);
            return;
        }
        Optional<Boolean> suspended = owner.restartSuspended();
        if (suspended.isEmpty()) {
            slots.remove(crashed.index, crashed);
            log.notRestartedAsNoneRuns(entry);
            return;
        }
        InstanceSlot fresh = new InstanceSlot(service, crashed.index, events, episodes, crashes, this::crashed, ring(crashed.index));
        if (!slots.replace(crashed.index, crashed, fresh)) {
            log.notRestartedAsReplaced(entry);
            return;
        }
        fresh.announce(null);
        try {
            fresh.process = launcher.launch(owner.definition(), crashed.index, suspended.get(), fresh);
        } catch (IOException e) {
            LOG.error("{} instance {} could not be started again: {}", service, crashed.index, e.getMessage());
            log.notRestarted(entry, "Instance " + crashed.index + " could not be started again: " + e.getMessage(),
                    Problem.of("restart-not-launched", "instance", crashed.index, "reason", String.valueOf(e.getMessage())));
            fresh.onEvent(new InstanceEvent.Exited(-1, false));
            return;
        }
        log.restarted(entry);
    }

    /** The next ready instance, round-robin, or {@link Host.Route.NoInstance} when none is ready. */
    Host.Route route() {
        List<InstanceSlot> ready = slots.values().stream().filter(InstanceSlot::takesMessages).toList();
        if (ready.isEmpty()) {
            return new Host.Route.NoInstance();
        }
        InstanceSlot slot = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
        return new Host.Route.To(slot.index, slot.address);
    }

    /**
     * For the host's close: marks every instance as stopping and asks those with a process to
     * stop, without waiting.
     *
     * @return one future per process asked, completing when it has exited
     */
    List<CompletableFuture<Void>> askEachToStop() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (InstanceSlot slot : slots.values()) {
            slot.stopRequested = true;
            if (slot.process != null) {
                stopping.add(slot.process.stop());
            }
        }
        return stopping;
    }

    /** Kills the instances taking messages at {@code addresses}; one future per instance, completing when it has exited. */
    List<CompletableFuture<Void>> endAt(Set<InetSocketAddress> addresses) {
        List<CompletableFuture<Void>> exits = new ArrayList<>();
        for (InstanceSlot slot : slots.values()) {
            RoleInstance running = slot.process;
            if (running != null && addresses.contains(slot.address)) {
                slot.stopRequested = true;
                exits.add(running.stop());
                slot.kill();
            }
        }
        return exits;
    }

    /** For the host's close: kills every instance still alive, leaving the slots as they are. */
    void killEach() {
        slots.values().forEach(InstanceSlot::kill);
    }
}
