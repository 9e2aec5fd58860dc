package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the host writes, a client reads back as the same thing. */
class ApiJsonTest {
    private static final ServiceDefinition ORDERS = new ServiceDefinition("orders", 2, 1, 256, Validation.XML,
            "/srv/t.xsl", "dir:/srv/in", "dir:/srv/out");
    private static final InstanceSample SAMPLE = new InstanceSample(1_700_000_000_123L, 71.5, 42, 2, 100, 90, 3, 7, 1.5, 9.25);
    private static final OperationRecord STARTED = new OperationRecord("r-1", "orders", Operation.START, "owner",
            1_700_000_000_000L, OptionalLong.empty(), Outcome.RUNNING, Optional.empty());
    private static final OperationRecord FAILED = new OperationRecord("r-2", "orders", Operation.SCALE, "console",
            1_700_000_000_000L, OptionalLong.of(1_700_000_001_000L), Outcome.FAILED, Optional.of("no room"));

    private static JsonNode reparse(JsonNode node) throws Exception {
        return ApiJson.MAPPER.readTree(ApiJson.MAPPER.writeValueAsString(node));
    }

    @Test
    void aSnapshotReadsBackAsItWas() throws Exception {
        InstanceSnapshot throttled = new InstanceSnapshot("orders", 0, InstanceStatus.RUNNING, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY, Cause.CONCURRENCY), OptionalLong.of(1_700_000_000_050L), Optional.of(SAMPLE));
        InstanceSnapshot starting = new InstanceSnapshot("orders", 1, InstanceStatus.RESTARTING, ThrottleState.NORMAL,
                Set.of(), OptionalLong.empty(), Optional.empty(), 2);
        ServiceSnapshot service = new ServiceSnapshot(ORDERS, ServiceState.STARTING, Optional.of(Operation.START),
                List.of(throttled, starting), Optional.of(STARTED), "http://127.0.0.1:7070/services/orders/messages");
        FleetSnapshot snapshot = new FleetSnapshot(1_700_000_002_000L, List.of(service));

        assertThat(ApiJson.readSnapshot(reparse(ApiJson.snapshot(snapshot)))).isEqualTo(snapshot);
    }

    @Test
    void theServiceJsonHasTheFieldsTheContractNames() {
        ServiceSnapshot service = new ServiceSnapshot(ORDERS, ServiceState.ACTIVE, Optional.empty(), List.of(
                new InstanceSnapshot("orders", 0, InstanceStatus.RUNNING, ThrottleState.THROTTLED, Set.of(Cause.MEMORY),
                        OptionalLong.of(5_000L), Optional.of(SAMPLE))), Optional.empty(), "http://x");
        JsonNode json = ApiJson.service(service);
        assertThat(json.path("state").asText()).isEqualTo("Active");
        assertThat(json.path("units").asInt()).isEqualTo(2);
        JsonNode instance = json.path("instances").get(0);
        assertThat(instance.path("status").asText()).isEqualTo("Running");
        assertThat(instance.path("memoryPercent").asDouble()).isEqualTo(71.5);
        assertThat(instance.path("messagesInProcess").asLong()).isEqualTo(42);
        assertThat(instance.path("throttled").asBoolean()).isTrue();
        assertThat(instance.path("causes").get(0).asText()).isEqualTo("Memory");
        assertThat(instance.path("since").asText()).isEqualTo("1970-01-01T00:00:05Z");
    }

    @Test
    void operationsEpisodesAndBackupsReadBack() throws Exception {
        assertThat(ApiJson.readOperation(reparse(ApiJson.operation(STARTED)))).isEqualTo(STARTED);
        assertThat(ApiJson.readOperations(reparse(ApiJson.operations(List.of(FAILED, STARTED))))).containsExactly(FAILED, STARTED);
        JsonNode failed = ApiJson.operation(FAILED);
        assertThat(failed.path("status").asText()).isEqualTo("Failed");
        assertThat(failed.path("issuer").asText()).isEqualTo("console");
        assertThat(failed.path("startedAt").asText()).isEqualTo("2023-11-14T22:13:20Z");

        InstanceEpisode open = new InstanceEpisode("orders", 1, new ThrottleEpisode(10, OptionalLong.empty(), Set.of(Cause.CONCURRENCY)));
        assertThat(ApiJson.readEpisode(reparse(ApiJson.episode(open)))).isEqualTo(open);
        BackupInfo backup = new BackupInfo("b-1", "orders", 1_000, ORDERS, false, Optional.of("disk full"));
        assertThat(ApiJson.readBackup(reparse(ApiJson.backup(backup)))).isEqualTo(backup);
    }

    @Test
    void aFailuresProblemTravelsBesideItsEnglishErrorAndAnOlderHostsEntryHasNone() throws Exception {
        Problem problem = Problem.of("configuration-not-started")
                .within(Problem.of("instance-not-ready", "instance", 0, "seconds", 30, "service", "orders"));
        OperationRecord failed = new OperationRecord("r-4", "orders", Operation.UPDATE_CONFIGURATION, "console",
                1_700_000_000_000L, OptionalLong.of(1_700_000_001_000L), Outcome.FAILED,
                Optional.of("The new configuration did not start (Instance 0 did not become ready within 30 s)"),
                Optional.empty(), Optional.of(problem));
        JsonNode json = reparse(ApiJson.operation(failed));
        assertThat(json.path("error").asText()).startsWith("The new configuration did not start");
        assertThat(json.path("problem").path("code").asText()).isEqualTo("configuration-not-started");
        assertThat(json.path("problem").path("inner").path("arguments").path("seconds").asText()).isEqualTo("30");
        assertThat(ApiJson.readOperation(json)).isEqualTo(failed);

        assertThat(ApiJson.operation(FAILED).path("problem").isNull()).as("an entry without a problem says null").isTrue();
        ObjectNode older = ApiJson.operation(FAILED);
        older.remove("problem");
        assertThat(ApiJson.readOperation(reparse(older))).isEqualTo(FAILED);
    }

    @Test
    void theHostsOwnEntriesCarryTheCrashAndEpisodesTheirCauseHistoryAndWhetherTheyWereCutShort() throws Exception {
        OperationRecord restart = new OperationRecord("r-3", "orders", Operation.INSTANCE_RESTART, OperationRecord.HOST,
                1_700_000_000_000L, OptionalLong.of(1_700_000_002_000L), Outcome.SUCCEEDED, Optional.empty(),
                Optional.of(new org.sluice.lifecycle.InstanceCrash(2, 137, 3)));
        JsonNode json = ApiJson.operation(restart);
        assertThat(json.path("operation").asText()).isEqualTo("InstanceRestart");
        assertThat(json.path("issuer").asText()).isEqualTo("host");
        assertThat(json.path("instance").asInt()).isEqualTo(2);
        assertThat(json.path("exitStatus").asInt()).isEqualTo(137);
        assertThat(json.path("crashesInARow").asInt()).isEqualTo(3);
        assertThat(ApiJson.readOperation(reparse(json))).isEqualTo(restart);
        assertThat(ApiJson.operation(STARTED).path("instance").isNull()).as("an operation asked for names no crash").isTrue();

        ThrottleEpisode episode = ThrottleEpisode.opening(1_700_000_000_000L, Set.of(Cause.MEMORY))
                .changedAt(1_700_000_001_500L, java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))
                .cutShortAt(1_700_000_004_000L);
        JsonNode cut = ApiJson.episode(new InstanceEpisode("orders", 0, episode));
        assertThat(cut.path("cutShort").asBoolean()).isTrue();
        assertThat(cut.path("causeHistory").findValuesAsText("at")).containsExactly("2023-11-14T22:13:20Z", "2023-11-14T22:13:21.500Z");
        assertThat(ApiJson.readEpisode(reparse(cut)).episode()).isEqualTo(episode);
        assertThat(cut.path("causeHistoryOmitted").asInt(-1)).isZero();

        ThrottleEpisode longOne = ThrottleEpisode.opening(1_700_000_000_000L, Set.of(Cause.MEMORY));
        for (int i = 1; i <= ThrottleEpisode.MAX_HISTORY_STEPS + 50; i++) {
            longOne = longOne.changedAt(1_700_000_000_000L + i * 1_000L,
                    i % 2 == 1 ? java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY) : Set.of(Cause.MEMORY));
        }
        JsonNode bounded = ApiJson.episode(new InstanceEpisode("orders", 0, longOne));
        assertThat(bounded.path("causeHistoryOmitted").asInt()).isEqualTo(51);
        assertThat(bounded.path("causeHistory")).hasSize(ThrottleEpisode.MAX_HISTORY_STEPS);
        assertThat(ApiJson.readEpisode(reparse(bounded)).episode()).isEqualTo(longOne);
    }

    @Test
    void aRestartSaysWhetherACrashOrAHostRestartMadeItAndAnOldHostsSayingNothingMeansACrash() throws Exception {
        OperationRecord tryAgain = new OperationRecord("r-4", "orders", Operation.INSTANCE_RESTART, OperationRecord.HOST,
                1_700_000_000_000L, OptionalLong.empty(), Outcome.RUNNING, Optional.empty(),
                Optional.of(new org.sluice.lifecycle.InstanceCrash(0, -1, 2, RestartCause.HOST_RESTART)));
        JsonNode entry = ApiJson.operation(tryAgain);
        assertThat(entry.path("cause").asText()).isEqualTo("HostRestart");
        assertThat(ApiJson.readOperation(reparse(entry))).isEqualTo(tryAgain);
        assertThat(ApiJson.operation(STARTED).path("cause").isNull()).as("an operation asked for has no restart cause").isTrue();
        ObjectNode old = ApiJson.operation(tryAgain);
        old.remove("cause");
        assertThat(ApiJson.readOperation(reparse(old)).crash()).hasValueSatisfying(c -> assertThat(c.cause()).isEqualTo(RestartCause.CRASH));

        FleetEvent.InstanceStatusChanged waiting = new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RESTARTING,
                Optional.of("not back"), 2, RestartCause.HOST_RESTART);
        JsonNode event = ApiJson.event(waiting);
        assertThat(event.path("cause").asText()).isEqualTo("HostRestart");
        assertThat(ApiJson.readEvent("instance", reparse(event))).contains(waiting);
        ObjectNode oldEvent = (ObjectNode) ApiJson.event(waiting);
        oldEvent.remove("cause");
        assertThat(ApiJson.readEvent("instance", reparse(oldEvent))).hasValueSatisfying(e ->
                assertThat(((FleetEvent.InstanceStatusChanged) e).cause()).isEqualTo(RestartCause.CRASH));
        assertThat(ApiJson.event(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()))
                .has("cause")).as("no crash, no cause").isFalse();

        InstanceSnapshot down = new InstanceSnapshot("orders", 0, InstanceStatus.FAILED, ThrottleState.NORMAL, Set.of(),
                OptionalLong.empty(), Optional.empty(), 6, RestartCause.HOST_RESTART);
        JsonNode instance = ApiJson.instance(down);
        assertThat(instance.path("restartCause").asText()).isEqualTo("HostRestart");
        assertThat(ApiJson.readInstance("orders", reparse(instance))).isEqualTo(down);
    }

    @Test
    void everyKindOfEventReadsBackUnderItsName() throws Exception {
        ServiceSnapshot service = new ServiceSnapshot(ORDERS, ServiceState.CREATING, Optional.of(Operation.CREATE), List.of(),
                Optional.empty(), "http://x");
        ThrottleTransition left = new ThrottleTransition(20, ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of(),
                Optional.of(new ThrottleEpisode(10, OptionalLong.of(20), Set.of(Cause.MEMORY))));
        List<FleetEvent> events = List.of(
                new FleetEvent.ServiceAdded("orders", service),
                new FleetEvent.ServiceRemoved("orders"),
                new FleetEvent.ServiceStateChanged("orders", ServiceState.STOPPING, Optional.of(Operation.STOP)),
                new FleetEvent.ServiceStateChanged("orders", ServiceState.STOPPED, Optional.empty()),
                new FleetEvent.DefinitionChanged("orders", service),
                new FleetEvent.OperationProgress("orders", FAILED),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RESTARTING, Optional.of("again in 2 s"), 3),
                new FleetEvent.InstanceSampled("orders", 0, SAMPLE),
                new FleetEvent.ThrottleChanged("orders", 0, left),
                new FleetEvent.InstanceProblem("orders", 0, "moved a.xml to error/"));
        for (FleetEvent event : events) {
            String name = ApiJson.eventName(event);
            assertThat(ApiJson.readEvent(name, reparse(ApiJson.event(event)))).as(name).contains(event);
        }
        assertThat(ApiJson.readEvent("from-a-newer-host", ApiJson.MAPPER.createObjectNode().put("service", "x"))).isEmpty();
    }

    @Test
    void wordsAndTimesThatAreNotTheAPIsAreRefusedInWords() {
        assertThatThrownBy(() -> ApiJson.parseTime("yesterday")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> ApiJson.operation("Explode")).hasMessageContaining("not an operation of the chart");
        assertThatThrownBy(() -> ApiJson.outcome("Maybe")).hasMessageContaining("not a known Outcome");
    }

    @Test
    void theEngineReadsBackInTheSnapshotAndAsAnEventAndAHostThatSaysNothingOfItHasNone() throws Exception {
        org.sluice.lifecycle.EngineStatus down = org.sluice.lifecycle.EngineStatus.unavailable(
                org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, "Kubernetes refused: grant list on pods", 1_700_000_000_123L);
        FleetSnapshot snapshot = new FleetSnapshot(1_700_000_002_000L, List.of(),
                java.util.Map.of(ServiceSnapshot.THIS_HOST, down));
        assertThat(ApiJson.readSnapshot(reparse(ApiJson.snapshot(snapshot)))).isEqualTo(snapshot);
        FleetSnapshot local = new FleetSnapshot(5, List.of(), java.util.Map.of(ServiceSnapshot.THIS_HOST,
                org.sluice.lifecycle.EngineStatus.LOCAL));
        assertThat(ApiJson.readSnapshot(reparse(ApiJson.snapshot(local)))).isEqualTo(local);
        assertThat(ApiJson.snapshot(local).path("engine").path("since").isNull()).as("always available: no since").isTrue();

        org.sluice.fleet.FleetEvent.EngineStatusChanged event = new org.sluice.fleet.FleetEvent.EngineStatusChanged(ServiceSnapshot.THIS_HOST, down);
        assertThat(ApiJson.eventName(event)).isEqualTo("engine");
        JsonNode json = ApiJson.event(event);
        assertThat(json.has("service")).as("an event about the host names no service").isFalse();
        assertThat(ApiJson.readEvent("engine", reparse(json))).contains(event);

        assertThat(ApiJson.readSnapshot(reparse(ApiJson.snapshot(new FleetSnapshot(5, List.of())))).engines()).isEmpty();
    }
}
