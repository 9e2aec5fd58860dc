package org.sluice.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/**
 * What a scraper reads from a host: every figure of the console's dashboard, per instance, per
 * service and for the host, under the names and units Prometheus's naming practice gives them.
 */
class HostMetricsTest {
    private static final long START = 1_700_000_000_000L;
    private final AtomicLong now = new AtomicLong(START);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final List<ServiceView> services = new CopyOnWriteArrayList<>();
    private final HostMetrics metrics = new HostMetrics(() -> services, clock);

    private static ServiceDefinition orders(int units) {
        return new ServiceDefinition("orders", units, 2, 256, Validation.NONE, null, null, "dir:/tmp/out");
    }

    private static InstanceSample sample(double memoryPercent, long concurrent) {
        return new InstanceSample(START, memoryPercent, concurrent, 2, 100, 90, 3, 7, 4, 20);
    }

    private static InstanceView running(int index, InstanceSample sample) {
        return new InstanceView(index, InstanceStatus.RUNNING, ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                Optional.of(sample), 0);
    }

    private static InstanceView throttled(int index, long sinceMs, Set<Cause> causes, InstanceSample sample) {
        return new InstanceView(index, InstanceStatus.RUNNING, ThrottleState.THROTTLED, causes, OptionalLong.of(sinceMs),
                Optional.of(sample), 0);
    }

    private Exposition scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return new Exposition(out.toString(StandardCharsets.UTF_8));
    }

    private void show(ServiceState state, InstanceView... instances) {
        services.clear();
        services.add(new ServiceView(orders(instances.length), state, Optional.empty(), List.of(instances), Optional.empty()));
    }

    @Test
    void eachInstanceShowsItsMemoryMessagesThresholdsAndCounters() throws Exception {
        show(ServiceState.ACTIVE, running(0, sample(42.5, 12)));

        Exposition page = scrape();

        String[] first = {"service", "orders", "role_instance", "0"};
        assertThat(page.value("sluice_instance_memory_ratio", first)).contains(0.425);
        assertThat(page.value("sluice_instance_messages_in_process", first)).contains(12.0);
        assertThat(page.value("sluice_instance_memory_high_ratio", first)).contains(0.70);
        assertThat(page.value("sluice_instance_memory_low_ratio", first)).contains(0.60);
        assertThat(page.value("sluice_instance_messages_in_process_high", first)).as("100 × 2 cores").contains(200.0);
        assertThat(page.value("sluice_instance_messages_in_process_low", first)).as("40 × 2 cores").contains(80.0);
        assertThat(page.value("sluice_instance_throttled", first)).contains(0.0);
        assertThat(page.value("sluice_instance_messages_received_total", first)).contains(100.0);
        assertThat(page.value("sluice_instance_messages_delivered_total", first)).contains(90.0);
        assertThat(page.value("sluice_instance_messages_failed_total", first)).contains(3.0);
        assertThat(page.value("sluice_instance_messages_refused_busy_total", first)).contains(7.0);
        assertThat(page.type("sluice_instance_messages_received_total")).contains("counter");
        assertThat(page.type("sluice_instance_memory_ratio")).contains("gauge");
        assertThat(page.matching("sluice_instance_throttled_since_timestamp_seconds"))
                .as("no episode is under way").isEmpty();
    }

    @Test
    void aThrottledInstanceShowsItsCausesWhenItsEpisodeBeganAndTheSecondsItSpentThrottled() throws Exception {
        String[] first = {"service", "orders", "role_instance", "0"};
        long since = START + 1_000;
        show(ServiceState.ACTIVE, throttled(0, since, Set.of(Cause.MEMORY), sample(73, 5)));
        metrics.instanceEvent("orders", services.get(0).instances().get(0), new InstanceEvent.Throttle(
                new ThrottleTransition(since, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        now.set(since + 30_000);

        Exposition during = scrape();

        assertThat(during.value("sluice_instance_throttled", first)).contains(1.0);
        assertThat(during.value("sluice_instance_throttle_cause", "service", "orders", "role_instance", "0", "cause", "memory")).contains(1.0);
        assertThat(during.value("sluice_instance_throttle_cause", "service", "orders", "role_instance", "0", "cause", "concurrency")).contains(0.0);
        assertThat(during.value("sluice_instance_throttled_since_timestamp_seconds", first)).contains(since / 1000.0);
        assertThat(during.value("sluice_instance_throttled_seconds_total", first)).as("the episode under way counts").contains(30.0);
        assertThat(during.value("sluice_instance_throttle_episodes_total", first)).contains(1.0);

        InstanceView recovered = running(0, sample(55, 5));
        show(ServiceState.ACTIVE, recovered);
        metrics.instanceEvent("orders", recovered, new InstanceEvent.Throttle(new ThrottleTransition(since + 40_000,
                ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of(), Optional.of(
                        new ThrottleEpisode(since, OptionalLong.of(since + 40_000), Set.of(Cause.MEMORY))))));
        now.set(since + 100_000);

        Exposition after = scrape();

        assertThat(after.value("sluice_instance_throttled", first)).contains(0.0);
        assertThat(after.value("sluice_instance_throttled_seconds_total", first)).as("only the 40 s of the episode").contains(40.0);
        assertThat(after.matching("sluice_instance_throttled_since_timestamp_seconds")).isEmpty();
    }

    @Test
    void anInstanceThatExitsThrottledStopsCountingThrottledTime() throws Exception {
        String[] first = {"service", "orders", "role_instance", "0"};
        InstanceView throttled = throttled(0, START, Set.of(Cause.CONCURRENCY), sample(10, 300));
        show(ServiceState.ACTIVE, throttled);
        metrics.instanceEvent("orders", throttled, new InstanceEvent.Throttle(
                new ThrottleTransition(START, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
        now.set(START + 5_000);
        InstanceView crashed = new InstanceView(0, InstanceStatus.FAILED, ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                Optional.of(sample(10, 300)), 1);
        show(ServiceState.ACTIVE, crashed);
        metrics.instanceEvent("orders", crashed, new InstanceEvent.Exited(137, false));
        now.set(START + 60_000);

        assertThat(scrape().value("sluice_instance_throttled_seconds_total", first)).contains(5.0);
    }

    @Test
    void eachServiceShowsItsStateUnitsRunningInstancesAndHealth() throws Exception {
        InstanceView restarting = new InstanceView(1, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(),
                OptionalLong.empty(), Optional.empty(), 1);
        show(ServiceState.ACTIVE, running(0, sample(20, 1)), restarting);

        Exposition page = scrape();

        assertThat(page.value("sluice_service_state", "service", "orders", "sluice_service_state", "Active")).contains(1.0);
        assertThat(page.value("sluice_service_state", "service", "orders", "sluice_service_state", "StartFailed")).contains(0.0);
        assertThat(page.matching("sluice_service_state", "service", "orders"))
                .as("one series for every state of the chart").hasSize(ServiceState.values().length);
        assertThat(page.type("sluice_service_state")).contains("gauge");
        assertThat(page.value("sluice_service_units", "service", "orders")).contains(2.0);
        assertThat(page.value("sluice_service_running_instances", "service", "orders")).contains(1.0);
        assertThat(page.value("sluice_service_health", "service", "orders", "sluice_service_health", "warning")).contains(1.0);
        assertThat(page.value("sluice_service_health", "service", "orders", "sluice_service_health", "ok")).contains(0.0);
        assertThat(page.matching("sluice_instance_memory_ratio", "role_instance", "1"))
                .as("an instance that has not measured itself yet has no memory figure").isEmpty();
    }

    @Test
    void theHostCountsOperationsByTypeAndOutcomeAndRestartsOfInstances() throws Exception {
        show(ServiceState.ACTIVE, running(0, sample(20, 1)));
        metrics.operationProgress(record("1", Operation.CREATE, Outcome.RUNNING));
        metrics.operationProgress(record("1", Operation.CREATE, Outcome.SUCCEEDED));
        metrics.operationProgress(record("2", Operation.STOP, Outcome.FAILED));
        metrics.operationProgress(record("3", Operation.STOP, Outcome.FAILED));
        InstanceView restarting = new InstanceView(0, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(),
                OptionalLong.empty(), Optional.empty(), 1);
        metrics.instanceEvent("orders", restarting, new InstanceEvent.Restarting(1, 500));
        metrics.instanceEvent("orders", restarting, new InstanceEvent.Restarting(2, 1000));

        Exposition page = scrape();

        assertThat(page.value("sluice_operations_total", "operation", "Create", "outcome", "succeeded")).contains(1.0);
        assertThat(page.value("sluice_operations_total", "operation", "Stop", "outcome", "failed")).contains(2.0);
        assertThat(page.matching("sluice_operations_total", "outcome", "running")).as("only ended operations count").isEmpty();
        assertThat(page.value("sluice_instance_restarts_total", "service", "orders", "role_instance", "0")).contains(2.0);
    }

    @Test
    void triesAfterAHostRestartAreCountedApartFromCrashRestarts() throws Exception {
        show(ServiceState.ACTIVE, running(0, sample(20, 1)));
        InstanceView waiting = new InstanceView(0, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(),
                OptionalLong.empty(), Optional.empty(), 1, RestartCause.HOST_RESTART);
        metrics.instanceEvent("orders", waiting, new InstanceEvent.Restarting(1, 500, RestartCause.HOST_RESTART));
        metrics.instanceEvent("orders", waiting, new InstanceEvent.Restarting(2, 1000, RestartCause.HOST_RESTART));
        metrics.instanceEvent("orders", waiting, new InstanceEvent.Restarting(1, 500, RestartCause.CRASH));

        Exposition page = scrape();

        assertThat(page.value("sluice_instance_restarts_total", "service", "orders", "role_instance", "0"))
                .as("crash restarts only").contains(1.0);
        assertThat(page.value("sluice_instance_host_restart_tries_total", "service", "orders", "role_instance", "0")).contains(2.0);
        assertThat(page.type("sluice_instance_host_restart_tries_total")).contains("counter");
    }

    @Test
    void bothRestartCountersShowZeroForAnInstanceThatNeverRestarted() throws Exception {
        show(ServiceState.ACTIVE, running(0, sample(20, 1)), running(1, sample(20, 1)));

        Exposition page = scrape();

        for (String index : List.of("0", "1")) {
            assertThat(page.value("sluice_instance_restarts_total", "service", "orders", "role_instance", index))
                    .as("crash restarts of instance " + index).contains(0.0);
            assertThat(page.value("sluice_instance_host_restart_tries_total", "service", "orders", "role_instance", index))
                    .as("tries after a host restart of instance " + index).contains(0.0);
        }
        assertThat(page.type("sluice_instance_restarts_total")).contains("counter");
        assertThat(page.type("sluice_instance_host_restart_tries_total")).contains("counter");
    }

    @Test
    void theRestartCountersOfAnInstanceGoWithItAndAFreshOneAtItsIndexStartsFromZero() throws Exception {
        show(ServiceState.ACTIVE, running(0, sample(20, 1)), running(1, sample(20, 1)));
        InstanceView second = services.get(0).instances().get(1);
        metrics.instanceEvent("orders", second, new InstanceEvent.Restarting(1, 500));
        metrics.instanceEvent("orders", second, new InstanceEvent.Restarting(1, 500, RestartCause.HOST_RESTART));
        assertThat(scrape().value("sluice_instance_restarts_total", "service", "orders", "role_instance", "1")).contains(1.0);

        show(ServiceState.ACTIVE, running(0, sample(20, 1)));
        Exposition scaledIn = scrape();

        assertThat(scaledIn.matching("sluice_instance_restarts_total", "role_instance", "1")).as("as its memory figure goes").isEmpty();
        assertThat(scaledIn.matching("sluice_instance_host_restart_tries_total", "role_instance", "1")).isEmpty();
        assertThat(scaledIn.matching("sluice_instance_memory_ratio", "role_instance", "1")).isEmpty();
        assertThat(scaledIn.value("sluice_instance_restarts_total", "service", "orders", "role_instance", "0")).contains(0.0);

        show(ServiceState.ACTIVE, running(0, sample(20, 1)), running(1, sample(20, 1)));
        Exposition scaledOut = scrape();

        assertThat(scaledOut.value("sluice_instance_restarts_total", "service", "orders", "role_instance", "1")).contains(0.0);
        assertThat(scaledOut.value("sluice_instance_host_restart_tries_total", "service", "orders", "role_instance", "1")).contains(0.0);
    }

    @Test
    void anInstanceMissingFromOneScrapeWhileItsServiceStillHasItsUnitKeepsItsCounts() throws Exception {
        InstanceView waiting = new InstanceView(0, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(),
                OptionalLong.empty(), Optional.empty(), 1, RestartCause.HOST_RESTART);
        services.clear();
        services.add(new ServiceView(orders(1), ServiceState.ACTIVE, Optional.empty(), List.of(waiting), Optional.empty()));
        metrics.instanceEvent("orders", waiting, new InstanceEvent.Restarting(1, 500, RestartCause.HOST_RESTART));
        // Between a try's stand-ins and its new instances, the service of 1 unit shows none for a moment.
        services.clear();
        services.add(new ServiceView(orders(1), ServiceState.ACTIVE, Optional.empty(), List.of(), Optional.empty()));
        scrape();
        services.clear();
        services.add(new ServiceView(orders(1), ServiceState.ACTIVE, Optional.empty(), List.of(waiting), Optional.empty()));
        metrics.instanceEvent("orders", waiting, new InstanceEvent.Restarting(2, 1000, RestartCause.HOST_RESTART));

        assertThat(scrape().value("sluice_instance_host_restart_tries_total", "service", "orders", "role_instance", "0"))
                .as("both tries, for increase() to see them").contains(2.0);
    }

    @Test
    void theLatencyOfEachInstanceIsAHistogramInSeconds() throws Exception {
        InstanceView instance = running(0, sample(20, 1));
        show(ServiceState.ACTIVE, instance);
        LatencyHistogram latency = new LatencyHistogram(List.of(5L, 50L), List.of(3L, 1L, 2L), 9_000);
        metrics.instanceEvent("orders", instance, new InstanceEvent.Sampled(sample(20, 1), Optional.of(latency)));

        Exposition page = scrape();

        String[] first = {"service", "orders", "role_instance", "0"};
        assertThat(page.type("sluice_instance_latency_seconds")).contains("histogram");
        assertThat(page.value("sluice_instance_latency_seconds_bucket", "service", "orders", "role_instance", "0", "le", "0.005")).contains(3.0);
        assertThat(page.value("sluice_instance_latency_seconds_bucket", "service", "orders", "role_instance", "0", "le", "0.05")).contains(4.0);
        assertThat(page.value("sluice_instance_latency_seconds_bucket", "service", "orders", "role_instance", "0", "le", "+Inf")).contains(6.0);
        assertThat(page.value("sluice_instance_latency_seconds_count", first)).contains(6.0);
        assertThat(page.value("sluice_instance_latency_seconds_sum", first)).contains(9.0);
    }

    @Test
    void anInstanceThatSendsNoHistogramHasNoLatencySeries() throws Exception {
        InstanceView instance = running(0, sample(20, 1));
        show(ServiceState.ACTIVE, instance);
        metrics.instanceEvent("orders", instance, new InstanceEvent.Sampled(sample(20, 1)));

        assertThat(scrape().matching("sluice_instance_latency_seconds_count")).isEmpty();
    }

    @Test
    void noSeriesCarriesALabelThatPrometheusSetsOnEveryTarget() throws Exception {
        InstanceView instance = throttled(0, START, Set.of(Cause.MEMORY), sample(75, 1));
        show(ServiceState.ACTIVE, instance);
        metrics.instanceEvent("orders", instance, new InstanceEvent.Restarting(1, 500));

        Exposition page = scrape();

        assertThat(page.series()).isNotEmpty().allSatisfy(s -> assertThat(s.labels()).as(s.name())
                .doesNotContainKeys("instance", "job"));
        assertThat(page.value("sluice_instance_throttled", "service", "orders", "role_instance", "0")).contains(1.0);
    }

    @Test
    void aDeletedServiceLeavesThePage() throws Exception {
        show(ServiceState.ACTIVE, running(0, sample(20, 1)));
        metrics.instanceEvent("orders", services.get(0).instances().get(0), new InstanceEvent.Restarting(1, 500));
        metrics.instanceEvent("orders", services.get(0).instances().get(0), new InstanceEvent.Sampled(sample(20, 1),
                Optional.of(new LatencyHistogram(List.of(5L), List.of(1L, 0L), 2))));
        services.clear();
        metrics.serviceRemoved("orders");

        Exposition page = scrape();

        assertThat(page.series()).noneMatch(s -> "orders".equals(s.labels().get("service")));
    }

    private static OperationRecord record(String id, Operation operation, Outcome outcome) {
        return new OperationRecord(id, "orders", operation, "owner", START,
                outcome == Outcome.RUNNING ? OptionalLong.empty() : OptionalLong.of(START + 10), outcome, Optional.empty());
    }

    @Test
    void theEngineIsAvailableAsOneGaugeLabelledWithItsKind() throws Exception {
        assertThat(scrape().value("sluice_engine_available", "engine", "local")).contains(1.0);

        metrics.engineStatusChanged(org.sluice.lifecycle.EngineStatus.unavailable(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES,
                "The Kubernetes API server could not be reached", START));
        Exposition down = scrape();
        assertThat(down.value("sluice_engine_available", "engine", "kubernetes")).contains(0.0);
        assertThat(down.value("sluice_engine_available", "engine", "local")).as("one engine per host").isEmpty();

        metrics.engineStatusChanged(org.sluice.lifecycle.EngineStatus.available(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, START + 1));
        assertThat(scrape().value("sluice_engine_available", "engine", "kubernetes")).contains(1.0);
    }
}
