package org.sluice.runtime.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.Host;
import org.sluice.runtime.HostListener;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.sluice.throttle.Thresholds;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The host as a Prometheus scraper sees it: what the console's dashboard shows, per role
 * instance, per service and for the host, in the Prometheus text format.
 *
 * <p>Gauges and the instances' own counters are read from the host's views at the moment of the
 * scrape, so a scrape never shows a figure the host no longer has. What only the host's events
 * tell (operations that ended, crash restarts and tries after a host restart, throttle episodes
 * and the time spent throttled) is
 * counted here as the events arrive. An instance's counters start again from 0 when its process
 * does; Prometheus's {@code rate} and {@code increase} take such a reset for what it is.
 *
 * <p>Both restart counters are on the page at 0 for every instance the host shows, from its first
 * scrape, as Prometheus's practice asks of a counter whose labels are known in advance: without a
 * 0 to start from, {@code increase} would miss an instance's first restart. They leave the page
 * with the instance; once its service no longer has its unit either, its counts go, and an
 * instance started later at the same index counts from 0.
 */
public final class HostMetrics implements HostListener {
    private static final String SERVICE = "service";
    /**
     * The label of a role instance's index. Not {@code instance}: Prometheus gives every series it
     * scrapes an {@code instance} label of its own (the target's address) and would rename ours.
     */
    private static final String INSTANCE = "role_instance";

    private final Supplier<List<ServiceView>> services;
    private final InstantSource clock;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter operations;
    private final Counter episodes;
    private final Map<InstanceKey, ThrottledTime> throttledTime = new ConcurrentHashMap<>();
    private final Map<InstanceKey, LatencyHistogram> latencies = new ConcurrentHashMap<>();
    private final Map<InstanceKey, Restarts> restarts = new ConcurrentHashMap<>();
    /** Counts scrapes, so that a scrape lets go only of the restart counts that were there before it looked. */
    private final AtomicLong scrapes = new AtomicLong();

    private record InstanceKey(String service, int index) {
    }

    /** An instance's crash restarts and tries after a host restart, since its first restart. */
    private static final class Restarts {
        final LongAdder crashes = new LongAdder();
        final LongAdder hostRestartTries = new LongAdder();
        /** The scrape under way, or the last one, when these counts began. */
        final long since;

        Restarts(long since) {
            this.since = since;
        }
    }

    /** The time an instance has spent throttled, as its throttle transitions tell it. */
    private static final class ThrottledTime {
        private long endedMs;
        private long openSinceMs = -1;

        synchronized void enter(long atMs) {
            if (openSinceMs < 0) {
                openSinceMs = atMs;
            }
        }

        synchronized void leave(long atMs) {
            if (openSinceMs >= 0) {
                endedMs += Math.max(0, atMs - openSinceMs);
                openSinceMs = -1;
            }
        }

        synchronized double seconds(long nowMs) {
            long open = openSinceMs >= 0 ? Math.max(0, nowMs - openSinceMs) : 0;
            return Unit.millisToSeconds(endedMs + open);
        }
    }

    /**
     * @param services the host's services as they are now; read on every scrape
     * @param clock    what "now" is for the episode under way
     */
    /** The host's engine as last heard: local, always available, until told otherwise. */
    private volatile EngineStatus engine = EngineStatus.LOCAL;

    public HostMetrics(Supplier<List<ServiceView>> services, InstantSource clock) {
        this.services = Objects.requireNonNull(services, "services");
        this.clock = Objects.requireNonNull(clock, "clock");
        operations = Counter.builder().name("sluice_operations_total")
                .help("Operations that ended on this host, by operation and outcome")
                .labelNames("operation", "outcome").withoutExemplars().register(registry);
        episodes = Counter.builder().name("sluice_instance_throttle_episodes_total")
                .help("Throttle episodes a role instance entered")
                .labelNames(SERVICE, INSTANCE).withoutExemplars().register(registry);
        registry.register((MultiCollector) this::collect);
    }

    /** Metrics of {@code host}, listening to its events from now on. */
    public static HostMetrics of(Host host, InstantSource clock) {
        HostMetrics metrics = new HostMetrics(host::services, clock);
        host.addListener(metrics);
        metrics.engine = host.engineStatus();
        return metrics;
    }

    @Override
    public void engineStatusChanged(EngineStatus status) {
        engine = status;
    }

    /** The content type of {@link #write}'s page. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric, as they are now, in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** Every metric as it is now. */
    public MetricSnapshots scrape() {
        return registry.scrape();
    }

    // ---------------------------------------------------------------- events

    @Override
    public void serviceChanged(ServiceView service) {
        // Read at scrape time.
    }

    @Override
    public void serviceRemoved(String name) {
        latencies.keySet().removeIf(key -> key.service().equals(name));
        restarts.keySet().removeIf(key -> key.service().equals(name));
        throttledTime.keySet().removeIf(key -> {
            if (key.service().equals(name)) {
                String index = Integer.toString(key.index());
                episodes.remove(name, index);
                return true;
            }
            return false;
        });
    }

    @Override
    public void operationProgress(OperationRecord record) {
        if (record.outcome() != Outcome.RUNNING) {
            operations.labelValues(record.operation().chartName(), record.outcome().name().toLowerCase(Locale.ROOT)).inc();
        }
    }

    @Override
    public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
        InstanceKey key = new InstanceKey(service, instance.index());
        ThrottledTime time = throttledTime.computeIfAbsent(key, k -> new ThrottledTime());
        String index = Integer.toString(instance.index());
        if (event instanceof InstanceEvent.Throttle change) {
            ThrottleTransition t = change.transition();
            if (t.entersThrottled()) {
                time.enter(t.timeMs());
                episodes.labelValues(service, index).inc();
            } else if (t.state() == ThrottleState.NORMAL) {
                time.leave(t.timeMs());
            }
        } else if (event instanceof InstanceEvent.Sampled sampled && sampled.latency().isPresent()) {
            latencies.put(key, sampled.latency().get());
        } else if (event instanceof InstanceEvent.Restarting restarting) {
            // A try after a host restart is the host's doing, not a crash: alerts on crashes must not fire for it.
            Restarts counts = restarts.computeIfAbsent(key, k -> new Restarts(scrapes.get()));
            (restarting.cause() == RestartCause.HOST_RESTART ? counts.hostRestartTries : counts.crashes).increment();
        }
        if (instance.throttle() == ThrottleState.NORMAL) {
            // An instance that exits throttled ends its episode with no transition of its own.
            time.leave(clock.millis());
        }
    }

    // ---------------------------------------------------------------- scrape

    private MetricSnapshots collect() {
        long nowMs = clock.millis();
        long scrape = scrapes.incrementAndGet();
        Set<InstanceKey> shown = new HashSet<>();
        Map<String, Integer> unitsOf = new HashMap<>();
        Gauges memory = new Gauges("sluice_instance_memory_ratio", "Live memory of a role instance as a share of its budget", Unit.RATIO);
        Gauges inProcess = new Gauges("sluice_instance_messages_in_process", "Messages a role instance has accepted and not yet answered", null);
        Gauges memoryHigh = new Gauges("sluice_instance_memory_high_ratio", "Memory share at which a role instance throttles", Unit.RATIO);
        Gauges memoryLow = new Gauges("sluice_instance_memory_low_ratio", "Memory share under which a throttled role instance recovers", Unit.RATIO);
        Gauges inProcessHigh = new Gauges("sluice_instance_messages_in_process_high", "Messages in process at which a role instance throttles", null);
        Gauges inProcessLow = new Gauges("sluice_instance_messages_in_process_low", "Messages in process under which a throttled role instance recovers", null);
        Gauges throttled = new Gauges("sluice_instance_throttled", "1 while a role instance refuses messages as busy, else 0", null);
        Gauges cause = new Gauges("sluice_instance_throttle_cause", "1 for each cause that keeps a role instance throttled, else 0", null);
        Gauges since = new Gauges("sluice_instance_throttled_since_timestamp_seconds", "When the current throttle episode of a role instance began", Unit.SECONDS);
        Counters throttledSeconds = new Counters("sluice_instance_throttled_seconds", "Time a role instance has spent throttled", Unit.SECONDS);
        Counters received = new Counters("sluice_instance_messages_received", "Messages a role instance received since its process started", null);
        Counters delivered = new Counters("sluice_instance_messages_delivered", "Messages a role instance delivered since its process started", null);
        Counters failed = new Counters("sluice_instance_messages_failed", "Messages a role instance failed to deliver since its process started", null);
        Counters refused = new Counters("sluice_instance_messages_refused_busy", "Messages a role instance refused as busy since its process started", null);
        Counters crashRestarts = new Counters("sluice_instance_restarts",
                "Times the host started a role instance again after it crashed (exited on its own)", null);
        Counters hostRestartTries = new Counters("sluice_instance_host_restart_tries",
                "Times the host tried again to start a role instance that did not come back after the host restarted", null);
        StateSetSnapshot.Builder state = StateSetSnapshot.builder().name("sluice_service_state")
                .help("The state of a service in the state chart: 1 for the one it is in");
        StateSetSnapshot.Builder health = StateSetSnapshot.builder().name("sluice_service_health")
                .help("How a service's role instances are doing: ok, warning (one is restarting) or error (one was left down)");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("sluice_instance_latency_seconds")
                .help("Time from a message's arrival at a role instance to its answer, since the instance's process started")
                .unit(Unit.SECONDS);
        Gauges units = new Gauges("sluice_service_units", "Role instances a service is configured to run", null);
        Gauges running = new Gauges("sluice_service_running_instances", "Role instances of a service that are running", null);

        for (ServiceView service : services.get()) {
            String name = service.name();
            unitsOf.put(name, service.definition().units());
            Labels serviceLabels = Labels.of(SERVICE, name);
            StateSetDataPointSnapshot.Builder states = StateSetDataPointSnapshot.builder().labels(serviceLabels);
            for (ServiceState s : ServiceState.values()) {
                states.state(s.chartName(), s == service.state());
            }
            state.dataPoint(states.build());
            units.add(serviceLabels, service.definition().units());
            int runningCount = 0;
            boolean restarting = false;
            boolean down = false;
            for (InstanceView instance : service.instances()) {
                runningCount += instance.status() == InstanceStatus.RUNNING ? 1 : 0;
                restarting |= instance.status() == InstanceStatus.RESTARTING;
                down |= instance.status() == InstanceStatus.FAILED;
                Labels labels = Labels.of(SERVICE, name, INSTANCE, Integer.toString(instance.index()));
                boolean isThrottled = instance.throttle() == ThrottleState.THROTTLED;
                throttled.add(labels, isThrottled ? 1 : 0);
                for (Cause c : Cause.values()) {
                    cause.add(labels.add("cause", c.name().toLowerCase(Locale.ROOT)), instance.causes().contains(c) ? 1 : 0);
                }
                if (isThrottled) {
                    instance.throttledSinceMs().ifPresent(ms -> since.add(labels, Unit.millisToSeconds(ms)));
                }
                InstanceKey key = new InstanceKey(name, instance.index());
                shown.add(key);
                ThrottledTime time = throttledTime.get(key);
                throttledSeconds.add(labels, time == null ? 0 : time.seconds(nowMs));
                Restarts counts = restarts.get(key);
                crashRestarts.add(labels, counts == null ? 0 : counts.crashes.sum());
                hostRestartTries.add(labels, counts == null ? 0 : counts.hostRestartTries.sum());
                memoryHigh.add(labels, Thresholds.MEMORY_HIGH_PERCENT / 100);
                memoryLow.add(labels, Thresholds.MEMORY_LOW_PERCENT / 100);
                LatencyHistogram histogram = latencies.get(key);
                if (histogram != null) {
                    latency.dataPoint(histogramPoint(labels, histogram));
                }
                if (instance.lastSample().isPresent()) {
                    InstanceSample sample = instance.lastSample().get();
                    memory.add(labels, sample.memoryPercent() / 100);
                    inProcess.add(labels, sample.concurrent());
                    inProcessHigh.add(labels, Thresholds.concurrencyHigh(sample.cores()));
                    inProcessLow.add(labels, Thresholds.concurrencyLow(sample.cores()));
                    received.add(labels, sample.received());
                    delivered.add(labels, sample.processed());
                    failed.add(labels, sample.failed());
                    refused.add(labels, sample.refusedBusy());
                }
            }
            running.add(serviceLabels, runningCount);
            health.dataPoint(StateSetDataPointSnapshot.builder().labels(serviceLabels)
                    .state("ok", !restarting && !down).state("warning", restarting && !down).state("error", down).build());
        }
        // An instance gone from the page and from its service's units takes its counts along. One that is only
        // missing for a moment (a try after a host restart replaces its stand-in) keeps them, and counts begun
        // during this scrape are of an instance it did not see yet.
        restarts.entrySet().removeIf(e -> !shown.contains(e.getKey()) && e.getValue().since < scrape
                && e.getKey().index() >= unitsOf.getOrDefault(e.getKey().service(), 0));
        Gauges engineAvailable = new Gauges("sluice_engine_available",
                "1 while the engine that runs the host's role instances can do so, else 0", null);
        EngineStatus now = engine;
        engineAvailable.add(Labels.of("engine", now.kind().id()), now.available() ? 1 : 0);
        return MetricSnapshots.of(engineAvailable.build(), memory.build(), inProcess.build(), memoryHigh.build(), memoryLow.build(),
                inProcessHigh.build(), inProcessLow.build(), throttled.build(), cause.build(), since.build(),
                throttledSeconds.build(), received.build(), delivered.build(), failed.build(), refused.build(),
                crashRestarts.build(), hostRestartTries.build(), latency.build(), state.build(), health.build(), units.build(), running.build());
    }

    private static HistogramDataPointSnapshot histogramPoint(Labels labels, LatencyHistogram histogram) {
        int size = histogram.counts().size();
        double[] bounds = new double[size];
        long[] counts = new long[size];
        for (int i = 0; i < size; i++) {
            bounds[i] = i < size - 1 ? Unit.millisToSeconds(histogram.boundsMs().get(i)) : Double.POSITIVE_INFINITY;
            counts[i] = histogram.counts().get(i);
        }
        return HistogramDataPointSnapshot.builder().labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(Unit.millisToSeconds(histogram.sumMs())).build();
    }

    /** One gauge family being filled. */
    private static final class Gauges {
        private final GaugeSnapshot.Builder builder;

        Gauges(String name, String help, Unit unit) {
            builder = GaugeSnapshot.builder().name(name).help(help);
            if (unit != null) {
                builder.unit(unit);
            }
        }

        void add(Labels labels, double value) {
            builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        MetricSnapshot build() {
            return builder.build();
        }
    }

    /** One counter family being filled, from counts kept elsewhere. */
    private static final class Counters {
        private final CounterSnapshot.Builder builder;

        Counters(String name, String help, Unit unit) {
            builder = CounterSnapshot.builder().name(name).help(help);
            if (unit != null) {
                builder.unit(unit);
            }
        }

        void add(Labels labels, double value) {
            builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        MetricSnapshot build() {
            return builder.build();
        }
    }
}
