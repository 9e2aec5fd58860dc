package org.sluice.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;

/**
 * The role instances of one service: launching them and waiting until they are ready, stopping
 * them within the stop timeout or killing them, having them confirm a suspend or a resume, and
 * picking the ready one that gets the next message.
 *
 * <p>Operations change the slots while routing, views and the host's close read them, so the
 * slots live in a concurrent map and nothing is locked while an instance is awaited.
 */
final class ServiceInstances {
    private final String service;
    private final InstanceLauncher launcher;
    private final Host.Settings settings;
    private final HostEvents events;
    private final Consumer<InstanceEpisode> episodes;
    private final Map<Integer, InstanceSlot> slots = new ConcurrentSkipListMap<>();
    private final AtomicInteger next = new AtomicInteger();

    /** @param episodes where the throttle episodes the instances report are kept */
    ServiceInstances(String service, InstanceLauncher launcher, Host.Settings settings, HostEvents events,
            Consumer<InstanceEpisode> episodes) {
        this.service = service;
        this.launcher = launcher;
        this.settings = settings;
        this.events = events;
        this.episodes = episodes;
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    /** In index order. */
    List<InstanceView> views() {
        return slots.values().stream().map(InstanceSlot::view).toList();
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
            started.forEach(slot -> slots.remove(slot.index, slot));
            throw e;
        }
    }

    private InstanceSlot launch(ServiceDefinition definition, int index, boolean suspended) throws OperationFailedException {
        InstanceSlot slot = new InstanceSlot(service, index, events, episodes);
        slots.put(index, slot);
        slot.announce(null);
        try {
            slot.process = launcher.launch(definition, index, suspended, slot);
        } catch (IOException e) {
            slots.remove(index, slot);
            throw new OperationFailedException("Instance " + index + " could not be launched: " + e.getMessage(), e);
        }
        return slot;
    }

    private void awaitReady(InstanceSlot slot) throws OperationFailedException {
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
     * Stops every instance, killing those that do not stop in time. With {@code strict}, an
     * instance that had to be killed fails the operation.
     */
    void stopAll(boolean strict) throws OperationFailedException {
        List<InstanceSlot> stopping = new ArrayList<>(slots.values());
        List<Integer> killed = stop(stopping);
        stopping.forEach(slot -> slots.remove(slot.index, slot));
        if (strict && !killed.isEmpty()) {
            throw new OperationFailedException("Instance " + killed.stream().map(String::valueOf).collect(Collectors.joining(", "))
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
        }
    }

    /** Asks each instance to stop and waits; returns the indexes of those that had to be killed. */
    private List<Integer> stop(List<InstanceSlot> stopping) {
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        List<Integer> killed = new ArrayList<>();
        // Every slot is marked before the first stop is sent, so that no exit in between reads as a crash.
        for (InstanceSlot slot : stopping) {
            slot.stopRequested = true;
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
        List<InstanceSlot> leftovers = new ArrayList<>(slots.values());
        leftovers.forEach(InstanceSlot::kill);
        leftovers.forEach(slot -> slots.remove(slot.index, slot));
    }

    /**
     * Asks every instance to suspend or resume and waits until each says it has: an operation
     * that succeeds means the instances already refuse, or take, messages.
     *
     * @param doing what the instance confirms, for the failure message ("refuses messages")
     */
    void confirmEach(Function<RoleInstance, CompletableFuture<Void>> action, String doing) throws OperationFailedException {
        List<InstanceSlot> asked = new ArrayList<>(slots.values());
        List<Integer> down = asked.stream().filter(InstanceSlot::isDown).map(s -> s.index).toList();
        if (asked.isEmpty() || !down.isEmpty()) {
            throw new OperationFailedException(asked.isEmpty() ? "The service has no running instance"
                    : "Instance " + down.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " is not running");
        }
        Map<Integer, CompletableFuture<Void>> confirmations = new TreeMap<>();
        for (InstanceSlot slot : asked) {
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

    /** The next ready instance, round-robin, or {@link Host.Route.NoInstance} when none is ready. */
    Host.Route route() {
        List<InstanceSlot> ready = slots.values().stream().filter(InstanceSlot::takesMessages).toList();
        if (ready.isEmpty()) {
            return new Host.Route.NoInstance();
        }
        InstanceSlot slot = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
        return new Host.Route.To(slot.index, slot.process.port().getAsInt());
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

    /** For the host's close: kills every instance still alive, leaving the slots as they are. */
    void killEach() {
        slots.values().forEach(InstanceSlot::kill);
    }
}
