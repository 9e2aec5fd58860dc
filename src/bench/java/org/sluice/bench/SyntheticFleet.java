package org.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.Subscription;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/**
 * A fleet that exists only in memory and makes the traffic of a large one: {@code services}
 * services, the first {@code instances / 2} of them Active with two role instances each, every
 * instance sampled four times a second, and {@code stateChangesPerSecond} service state changes a
 * second spread over all services. Every {@code crossingEveryMs} one instance's memory crosses the
 * high threshold: the fleet emits the sample and the ThrottleChanged event together and remembers
 * when, so the console's reaction can be timed; four seconds later the instance is Normal again.
 *
 * <p>The console sees it only through {@link Fleet}, as it sees the local fleet. Commands are not
 * part of the load and are refused.
 */
public final class SyntheticFleet implements Fleet {
    private static final long TICK_MS = 10;
    private static final long SAMPLE_PERIOD_MS = 250;
    private static final long THROTTLED_FOR_MS = 4_000;
    private static final List<ServiceState> CYCLE = List.of(ServiceState.ACTIVE, ServiceState.SUSPENDING,
            ServiceState.SUSPENDED, ServiceState.RESUMING);

    private final int services;
    private final int instances;
    private final int stateChangesPerSecond;
    private final long crossingEveryMs;
    private final List<FleetListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "synthetic-fleet");
        t.setDaemon(true);
        return t;
    });
    /** Instance key to the System.nanoTime() at which its crossing was emitted; the probe takes entries out. */
    private final Map<String, Long> crossings = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private final double[] memory;
    private final long[] concurrent;
    private final long[] throttledUntil;
    private final int[] stateIndex;
    private final long startMs = System.currentTimeMillis();
    private long ticks;
    private long nextCrossingMs;
    private int nextCrossing;
    private double stateChangeCredit;
    private volatile long emitted;
    private volatile long crossingsEmitted;
    private volatile boolean crossing;
    /** While set, the first instance enters Throttled every FLAP_EVERY_MS and leaves it halfway to the next. */
    private volatile boolean flapping;
    private long nextFlapMs;
    private boolean flapThrottled;
    private volatile long flapsEmitted;

    public SyntheticFleet(int services, int instances, int stateChangesPerSecond, long crossingEveryMs) {
        if (instances % 2 != 0 || instances / 2 > services) {
            throw new IllegalArgumentException("two instances per service, over at most all services");
        }
        this.services = services;
        this.instances = instances;
        this.stateChangesPerSecond = stateChangesPerSecond;
        this.crossingEveryMs = crossingEveryMs;
        this.memory = new double[instances];
        this.concurrent = new long[instances];
        this.throttledUntil = new long[instances];
        this.stateIndex = new int[services];
        for (int i = 0; i < instances; i++) {
            memory[i] = 30 + random.nextDouble(20);
            concurrent[i] = random.nextInt(60);
        }
    }

    static String name(int service) {
        return String.format("svc-%05d", service);
    }

    private static ServiceDefinition definition(String name, int units) {
        return new ServiceDefinition(name, units, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/" + name);
    }

    /** Starts the traffic, without crossings; events go to the subscribers on the fleet's own thread. */
    public void start() {
        ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Turns the threshold crossings on or off, from the next tick. */
    public void crossings(boolean on) {
        ticker.execute(() -> {
            nextCrossingMs = System.currentTimeMillis() + crossingEveryMs;
            crossing = on;
        });
    }

    /** How often the flapping instance enters Throttled: as a slow destination made one do in issue 12. */
    public static final long FLAP_EVERY_MS = 3_000;

    /**
     * Makes the first instance ({@code svc-00000#0}) flap, from the next tick: Throttled on
     * messages in process every {@link #FLAP_EVERY_MS}, Normal again halfway to the next time.
     */
    public void flapping(boolean on) {
        ticker.execute(() -> {
            nextFlapMs = System.currentTimeMillis();
            flapping = on;
        });
    }

    public long flapsEmitted() {
        return flapsEmitted;
    }

    /** Crossings emitted and not yet seen drawn, by instance key. */
    public Map<String, Long> crossings() {
        return crossings;
    }

    public long eventsEmitted() {
        return emitted;
    }

    public long crossingsEmitted() {
        return crossingsEmitted;
    }

    private void tick() {
        long now = System.currentTimeMillis();
        long tick = ticks++;
        int slots = (int) (SAMPLE_PERIOD_MS / TICK_MS);
        for (int i = (int) (tick % slots); i < instances; i += slots) {
            step(i, now);
        }
        stateChangeCredit += stateChangesPerSecond * TICK_MS / 1000.0;
        while (stateChangeCredit >= 1) {
            stateChangeCredit -= 1;
            int service = random.nextInt(services);
            int next = (stateIndex[service] + 1) % CYCLE.size();
            stateIndex[service] = next;
            ServiceState state = CYCLE.get(next);
            Optional<Operation> running = state == ServiceState.SUSPENDING ? Optional.of(Operation.SUSPEND)
                    : state == ServiceState.RESUMING ? Optional.of(Operation.RESUME) : Optional.empty();
            emit(new FleetEvent.ServiceStateChanged(name(service), state, running));
        }
        if ((flapping || flapThrottled) && now >= nextFlapMs) {
            flap(now);
        }
        if (crossing && crossingEveryMs > 0 && now >= nextCrossingMs) {
            nextCrossingMs += crossingEveryMs;
            cross(now);
        }
    }

    private void step(int i, long now) {
        String service = name(i / 2);
        int index = i % 2;
        if (throttledUntil[i] != 0 && now >= throttledUntil[i]) {
            throttledUntil[i] = 0;
            memory[i] = 40 + random.nextDouble(10);
            emit(new FleetEvent.InstanceSampled(service, index, sample(i, now)));
            emit(new FleetEvent.ThrottleChanged(service, index, new ThrottleTransition(now, ThrottleState.THROTTLED,
                    ThrottleState.NORMAL, Set.of(), Optional.empty())));
            return;
        }
        if (throttledUntil[i] == 0) {
            memory[i] = Math.max(20, Math.min(58, memory[i] + random.nextDouble(-2, 2)));
        }
        concurrent[i] = Math.max(0, Math.min(150, concurrent[i] + random.nextInt(-10, 11)));
        emit(new FleetEvent.InstanceSampled(service, index, sample(i, now)));
    }

    private InstanceSample sample(int i, long now) {
        long seconds = (now - startMs) / 1000;
        return new InstanceSample(now, memory[i], concurrent[i], 1, seconds * 40, seconds * 40, 0, 0, 3.0, 12.0);
    }

    private void flap(long now) {
        String service = name(0);
        flapThrottled = !flapThrottled && flapping;
        nextFlapMs = now + FLAP_EVERY_MS / 2;
        concurrent[0] = flapThrottled ? 100 + random.nextInt(20) : 30;
        emit(new FleetEvent.InstanceSampled(service, 0, sample(0, now)));
        if (flapThrottled) {
            flapsEmitted++;
            emit(new FleetEvent.ThrottleChanged(service, 0, new ThrottleTransition(now, ThrottleState.NORMAL,
                    ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
        } else {
            emit(new FleetEvent.ThrottleChanged(service, 0, new ThrottleTransition(now, ThrottleState.THROTTLED,
                    ThrottleState.NORMAL, Set.of(), Optional.empty())));
        }
    }

    private void cross(long now) {
        for (int tries = 0; tries < instances; tries++) {
            int i = nextCrossing;
            nextCrossing = (nextCrossing + 1) % instances;
            if (throttledUntil[i] != 0) {
                continue;
            }
            String service = name(i / 2);
            int index = i % 2;
            memory[i] = 72 + random.nextDouble(8);
            throttledUntil[i] = now + THROTTLED_FOR_MS;
            crossings.put(InstanceSnapshot.key(service, index), System.nanoTime());
            crossingsEmitted++;
            emit(new FleetEvent.InstanceSampled(service, index, sample(i, now)));
            emit(new FleetEvent.ThrottleChanged(service, index, new ThrottleTransition(now, ThrottleState.NORMAL,
                    ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
            return;
        }
    }

    private void emit(FleetEvent event) {
        emitted++;
        for (FleetListener listener : listeners) {
            listener.onEvent(event);
        }
    }

    @Override
    public FleetSnapshot snapshot() {
        long now = System.currentTimeMillis();
        List<ServiceSnapshot> all = new ArrayList<>(services);
        for (int s = 0; s < services; s++) {
            String name = name(s);
            boolean live = s < instances / 2;
            List<InstanceSnapshot> list = new ArrayList<>();
            if (live) {
                for (int index = 0; index < 2; index++) {
                    list.add(new InstanceSnapshot(name, index, InstanceStatus.RUNNING, ThrottleState.NORMAL, Set.of(),
                            OptionalLong.empty(), Optional.of(sample(s * 2 + index, now))));
                }
            }
            all.add(new ServiceSnapshot(definition(name, live ? 2 : 1), ServiceState.ACTIVE, Optional.empty(), list,
                    Optional.empty(), "http://127.0.0.1:7070/services/" + name + "/messages"));
        }
        return new FleetSnapshot(now, all);
    }

    @Override
    public Subscription subscribe(FleetListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public OperationTicket create(ServiceDefinition definition) {
        throw new UnsupportedOperationException("the synthetic fleet takes no commands");
    }

    @Override
    public OperationTicket perform(String service, Operation operation) {
        throw new UnsupportedOperationException("the synthetic fleet takes no commands");
    }

    @Override
    public OperationTicket scale(String service, int units) {
        throw new UnsupportedOperationException("the synthetic fleet takes no commands");
    }

    @Override
    public OperationTicket updateConfiguration(String service, ServiceDefinition definition) {
        throw new UnsupportedOperationException("the synthetic fleet takes no commands");
    }

    @Override
    public OperationTicket restore(String backupId, String newName) {
        throw new UnsupportedOperationException("the synthetic fleet takes no commands");
    }

    @Override
    public List<OperationTicket> disableAccount() {
        return List.of();
    }

    @Override
    public List<OperationTicket> enableAccount() {
        return List.of();
    }

    @Override
    public void injectFault(String service, Operation operation) {
        throw new UnsupportedOperationException("the synthetic fleet takes no commands");
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
        return List.of();
    }

    @Override
    public org.sluice.throttle.SampleWindow samples(String service, int index, long fromMs, long toMs) {
        return org.sluice.throttle.SampleWindow.none();
    }

    @Override
    public List<BackupInfo> backups(String service) {
        return List.of();
    }

    @Override
    public InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes) {
        return InstanceLog.none(run, false, false);
    }

    @Override
    public String endpoint(String service) {
        return "http://127.0.0.1:7070/services/" + service + "/messages";
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
