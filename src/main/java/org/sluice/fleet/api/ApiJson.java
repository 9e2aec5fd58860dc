package org.sluice.fleet.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.definition.DefinitionJson;
import org.sluice.runtime.definition.DefinitionJsonException;
import org.sluice.runtime.store.ProblemJson;
import org.sluice.throttle.Cause;
import org.sluice.throttle.CauseChange;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.RecordedSample;
import org.sluice.throttle.Sample;
import org.sluice.throttle.SampleWindow;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of the management API, both ways: what the host writes and what its clients read.
 * One class holds both directions so that a field renamed on one side cannot be forgotten on the
 * other; {@code ApiJsonTest} reads back everything it writes.
 *
 * <p>Names follow the state chart ({@code "Active"}, {@code "Start"}); other enumerations are
 * written capitalised ({@code "Running"}, {@code "Memory"}); times are ISO-8601 UTC strings.
 */
public final class ApiJson {
    /**
     * The mapper both sides use; it reads and writes trees, never binds classes. A field given twice
     * in one object is an error, not the last of its values.
     */
    public static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ApiJson() {
    }

    // Services

    public static ObjectNode snapshot(FleetSnapshot snapshot) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("time", time(snapshot.timeMs()));
        ArrayNode services = node.putArray("services");
        snapshot.services().forEach(s -> services.add(service(s)));
        Optional.ofNullable(snapshot.engines().get(ServiceSnapshot.THIS_HOST)).ifPresent(e -> node.set("engine", engine(e)));
        return node;
    }

    public static FleetSnapshot readSnapshot(JsonNode node) {
        List<ServiceSnapshot> services = new ArrayList<>();
        node.path("services").forEach(s -> services.add(readService(s)));
        // A host from before engines had a status says nothing of it.
        Map<String, EngineStatus> engines = node.path("engine").isObject()
                ? Map.of(ServiceSnapshot.THIS_HOST, readEngine(node.path("engine"))) : Map.of();
        return new FleetSnapshot(readTime(node.path("time")), List.copyOf(services), engines);
    }

    // The host

    /** What {@code GET /host} answers: the host's engine. */
    public static ObjectNode host(EngineStatus engine) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("engine", engine(engine));
        return node;
    }

    /** An engine's status: {@code {"kind","available","reason","since"}}; {@code since} is null for an engine available all along. */
    public static ObjectNode engine(EngineStatus engine) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", engine.kind().id());
        node.put("available", engine.available());
        node.put("reason", engine.reason().orElse(null));
        node.put("since", engine.sinceMs() == EngineStatus.ALWAYS ? null : time(engine.sinceMs()));
        return node;
    }

    public static EngineStatus readEngine(JsonNode node) {
        long since = node.path("since").isTextual() ? readTime(node.path("since")) : EngineStatus.ALWAYS;
        return new EngineStatus(EngineStatus.Kind.of(text(node, "kind")), optionalText(node, "reason"), since);
    }

    public static ArrayNode services(List<ServiceSnapshot> services) {
        ArrayNode array = MAPPER.createArrayNode();
        services.forEach(s -> array.add(service(s)));
        return array;
    }

    public static ObjectNode service(ServiceSnapshot service) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", service.name());
        node.put("state", service.state().chartName());
        node.put("running", service.running().map(Operation::chartName).orElse(null));
        node.put("units", service.definition().units());
        node.set("definition", definition(service.definition()));
        ArrayNode instances = node.putArray("instances");
        service.instances().forEach(i -> instances.add(instance(i)));
        node.set("lastOperation", service.lastOperation().map(ApiJson::operation).orElse(null));
        node.put("endpoint", service.endpoint());
        return node;
    }

    public static ServiceSnapshot readService(JsonNode node) {
        String name = text(node, "name");
        List<InstanceSnapshot> instances = new ArrayList<>();
        node.path("instances").forEach(i -> instances.add(readInstance(name, i)));
        JsonNode last = node.path("lastOperation");
        return new ServiceSnapshot(readDefinition(node.path("definition")), state(text(node, "state")),
                optionalText(node, "running").map(ApiJson::operation), List.copyOf(instances),
                last.isObject() ? Optional.of(readOperation(last)) : Optional.empty(), text(node, "endpoint"));
    }

    public static ObjectNode instance(InstanceSnapshot instance) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("index", instance.index());
        node.put("status", word(instance.status()));
        node.put("throttled", instance.throttle() == ThrottleState.THROTTLED);
        node.set("causes", causes(instance.causes()));
        node.put("since", instance.throttledSinceMs().isPresent() ? time(instance.throttledSinceMs().getAsLong()) : null);
        instance.lastSample().ifPresentOrElse(sample -> {
            node.put("memoryPercent", sample.memoryPercent());
            node.put("messagesInProcess", sample.concurrent());
            node.set("sample", sample(sample));
        }, () -> {
            node.putNull("memoryPercent");
            node.putNull("messagesInProcess");
            node.putNull("sample");
        });
        node.put("crashesInARow", instance.crashesInARow());
        if (instance.crashesInARow() > 0) {
            node.put("restartCause", instance.restartCause().apiName());
        }
        return node;
    }

    static InstanceSnapshot readInstance(String service, JsonNode node) {
        JsonNode sample = node.path("sample");
        Optional<String> since = optionalText(node, "since");
        return new InstanceSnapshot(service, node.path("index").asInt(), status(text(node, "status")),
                node.path("throttled").asBoolean() ? ThrottleState.THROTTLED : ThrottleState.NORMAL,
                readCauses(node.path("causes")),
                since.isPresent() ? OptionalLong.of(parseTime(since.get())) : OptionalLong.empty(),
                sample.isObject() ? Optional.of(readSample(sample)) : Optional.empty(), node.path("crashesInARow").asInt(0),
                restartCause(node, "restartCause"));
    }

    /**
     * What a restart of the host's own is about, from {@code field}; a host older than the field
     * sends none, and a cause newer than this client is read as a crash: the supervision it had.
     */
    private static RestartCause restartCause(JsonNode node, String field) {
        return optionalText(node, field).flatMap(RestartCause::ofApiName).orElse(RestartCause.CRASH);
    }

    public static ObjectNode sample(InstanceSample sample) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("time", time(sample.timeMs()));
        node.put("memoryPercent", sample.memoryPercent());
        node.put("messagesInProcess", sample.concurrent());
        node.put("cores", sample.cores());
        node.put("received", sample.received());
        node.put("processed", sample.processed());
        node.put("failed", sample.failed());
        node.put("refusedBusy", sample.refusedBusy());
        node.put("latencyP50Ms", sample.latencyP50Ms());
        node.put("latencyP99Ms", sample.latencyP99Ms());
        return node;
    }

    public static InstanceSample readSample(JsonNode node) {
        return new InstanceSample(readTime(node.path("time")), node.path("memoryPercent").asDouble(),
                node.path("messagesInProcess").asLong(), node.path("cores").asInt(1), node.path("received").asLong(),
                node.path("processed").asLong(), node.path("failed").asLong(), node.path("refusedBusy").asLong(),
                node.path("latencyP50Ms").asDouble(), node.path("latencyP99Ms").asDouble());
    }

    /** Samples as the replay needs them: time to the millisecond, memory to the tenth, messages in process, cores and run. */
    public static ObjectNode sampleWindow(SampleWindow window) {
        ObjectNode node = MAPPER.createObjectNode();
        if (window.keptSinceMs().isPresent()) {
            node.put("keptSince", time(window.keptSinceMs().getAsLong()));
        } else {
            node.putNull("keptSince");
        }
        ArrayNode samples = node.putArray("samples");
        for (RecordedSample kept : window.samples()) {
            Sample s = kept.sample();
            samples.addObject().put("run", kept.run()).put("time", time(s.timeMs())).put("memoryPercent", s.memoryPercent())
                    .put("messagesInProcess", s.concurrentMessages()).put("cores", s.cores());
        }
        return node;
    }

    /**
     * @throws IllegalArgumentException when a sample is not one a governor could take
     */
    public static SampleWindow readSampleWindow(JsonNode node) {
        List<RecordedSample> samples = new ArrayList<>();
        for (JsonNode s : node.path("samples")) {
            samples.add(new RecordedSample(s.path("run").asInt(), new Sample(readTime(s.path("time")), s.path("memoryPercent").asDouble(),
                    s.path("messagesInProcess").asLong(), s.path("cores").asInt())));
        }
        Optional<String> since = optionalText(node, "keptSince");
        return new SampleWindow(samples, since.isPresent() ? OptionalLong.of(parseTime(since.get())) : OptionalLong.empty());
    }

    // Definitions

    public static JsonNode definition(ServiceDefinition definition) {
        return DefinitionJson.node(definition);
    }

    /**
     * Reads a definition written by {@link #definition}; the shape is checked, the values are not
     * ({@link ServiceDefinition#problems()} does that).
     *
     * @throws IllegalArgumentException when the JSON does not have a definition's shape
     */
    public static ServiceDefinition readDefinition(JsonNode node) {
        try {
            return DefinitionJson.readDefinition(MAPPER.writeValueAsString(node));
        } catch (DefinitionJsonException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    // The operation log

    public static ObjectNode operation(OperationRecord record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("requestId", record.requestId());
        node.put("service", record.service());
        node.put("operation", record.operation().chartName());
        node.put("issuer", record.requester());
        node.put("status", word(record.outcome()));
        node.put("error", record.error().orElse(null));
        // Beside the English error, the same reason as a code and arguments, for a client that says it in its own words.
        node.set("problem", record.problem().<JsonNode>map(ProblemJson::write).orElse(null));
        node.put("startedAt", time(record.startedMs()));
        node.put("endedAt", record.endedMs().isPresent() ? time(record.endedMs().getAsLong()) : null);
        // The host's own entries name the instance that crashed; the three are null on the others.
        Optional<InstanceCrash> crash = record.crash();
        node.put("instance", crash.map(InstanceCrash::instance).orElse(null));
        node.put("exitStatus", crash.map(InstanceCrash::exitStatus).orElse(null));
        node.put("crashesInARow", crash.map(InstanceCrash::crashesInARow).orElse(null));
        node.put("cause", crash.map(c -> c.cause().apiName()).orElse(null));
        return node;
    }

    public static OperationRecord readOperation(JsonNode node) {
        Optional<String> ended = optionalText(node, "endedAt");
        // A host older than these fields sends none of them.
        Optional<InstanceCrash> crash = node.path("instance").isInt()
                ? Optional.of(new InstanceCrash(node.path("instance").asInt(), node.path("exitStatus").asInt(),
                        node.path("crashesInARow").asInt(), restartCause(node, "cause")))
                : Optional.empty();
        return new OperationRecord(text(node, "requestId"), text(node, "service"), operation(text(node, "operation")),
                text(node, "issuer"), parseTime(text(node, "startedAt")),
                ended.isPresent() ? OptionalLong.of(parseTime(ended.get())) : OptionalLong.empty(),
                outcome(text(node, "status")), optionalText(node, "error"), crash, ProblemJson.read(node.get("problem")));
    }

    public static ArrayNode operations(List<OperationRecord> records) {
        ArrayNode array = MAPPER.createArrayNode();
        records.forEach(r -> array.add(operation(r)));
        return array;
    }

    public static List<OperationRecord> readOperations(JsonNode array) {
        List<OperationRecord> records = new ArrayList<>();
        array.forEach(r -> records.add(readOperation(r)));
        return List.copyOf(records);
    }

    // Episodes and backups

    public static ObjectNode episode(InstanceEpisode episode) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("service", episode.service());
        node.put("instance", episode.instance());
        node.put("startedAt", time(episode.episode().startMs()));
        OptionalLong end = episode.episode().endMs();
        node.put("endedAt", end.isPresent() ? time(end.getAsLong()) : null);
        node.set("causes", causes(episode.episode().causes()));
        node.put("cutShort", episode.episode().cutShort());
        ArrayNode history = node.putArray("causeHistory");
        for (CauseChange step : episode.episode().history()) {
            ObjectNode change = history.addObject();
            change.put("at", time(step.atMs()));
            change.set("causes", causes(step.causes()));
        }
        node.put("causeHistoryOmitted", episode.episode().omittedSteps());
        return node;
    }

    public static InstanceEpisode readEpisode(JsonNode node) {
        Optional<String> end = optionalText(node, "endedAt");
        long start = parseTime(text(node, "startedAt"));
        OptionalLong endMs = end.isPresent() ? OptionalLong.of(parseTime(end.get())) : OptionalLong.empty();
        Set<Cause> causes = readCauses(node.path("causes"));
        // A host older than the cause history sends only the causes.
        List<CauseChange> history = new ArrayList<>();
        node.path("causeHistory").forEach(step -> history.add(new CauseChange(readTime(step.path("at")), readCauses(step.path("causes")))));
        ThrottleEpisode episode = history.isEmpty() ? new ThrottleEpisode(start, endMs, causes)
                : new ThrottleEpisode(start, endMs, causes, history, node.path("cutShort").asBoolean(false),
                        node.path("causeHistoryOmitted").asInt(0));
        return new InstanceEpisode(text(node, "service"), node.path("instance").asInt(), episode);
    }

    public static ObjectNode instanceLog(InstanceLog log) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("run", log.run() == InstanceLog.Run.CURRENT ? "current" : "previous");
        node.put("from", log.from());
        node.put("next", log.next());
        node.put("size", log.size());
        node.put("text", log.text());
        node.put("skipped", log.skipped());
        node.put("restarted", log.restarted());
        node.put("previousKept", log.previousKept());
        if (log.runId() != InstanceLog.UNKNOWN_RUN) {
            node.put("runId", log.runId());
        }
        return node;
    }

    public static InstanceLog readInstanceLog(JsonNode node) {
        return new InstanceLog(node.path("run").asText().equals("previous") ? InstanceLog.Run.PREVIOUS : InstanceLog.Run.CURRENT,
                node.path("from").asLong(), node.path("next").asLong(), node.path("size").asLong(), node.path("text").asText(),
                node.path("skipped").asBoolean(), node.path("restarted").asBoolean(), node.path("previousKept").asBoolean(),
                // A host from before runs were counted leaves it out.
                node.path("runId").asLong(InstanceLog.UNKNOWN_RUN));
    }

    public static ObjectNode backup(BackupInfo backup) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", backup.id());
        node.put("service", backup.service());
        node.put("createdAt", time(backup.createdMs()));
        node.put("succeeded", backup.succeeded());
        node.put("error", backup.error().orElse(null));
        node.set("definition", definition(backup.definition()));
        return node;
    }

    public static BackupInfo readBackup(JsonNode node) {
        return new BackupInfo(text(node, "id"), text(node, "service"), parseTime(text(node, "createdAt")),
                readDefinition(node.path("definition")), node.path("succeeded").asBoolean(), optionalText(node, "error"));
    }

    // Events

    /** The name an event goes by on the event stream, e.g. {@code state}. */
    public static String eventName(FleetEvent event) {
        return switch (event) {
            case FleetEvent.ServiceAdded added -> "added";
            case FleetEvent.ServiceRemoved removed -> "removed";
            case FleetEvent.ServiceStateChanged changed -> "state";
            case FleetEvent.DefinitionChanged changed -> "definition";
            case FleetEvent.OperationProgress progress -> "operation";
            case FleetEvent.InstanceStatusChanged changed -> "instance";
            case FleetEvent.InstanceSampled sampled -> "sample";
            case FleetEvent.ThrottleChanged changed -> "throttle";
            case FleetEvent.InstanceProblem problem -> "problem";
            case FleetEvent.EngineStatusChanged changed -> "engine";
        };
    }

    public static ObjectNode event(FleetEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("service", event.service());
        switch (event) {
            case FleetEvent.ServiceAdded added -> node.set("snapshot", service(added.snapshot()));
            case FleetEvent.ServiceRemoved removed -> {
                // The name says it all.
            }
            case FleetEvent.ServiceStateChanged changed -> {
                node.put("state", changed.state().chartName());
                node.put("running", changed.running().map(Operation::chartName).orElse(null));
            }
            case FleetEvent.DefinitionChanged changed -> node.set("snapshot", service(changed.snapshot()));
            case FleetEvent.OperationProgress progress -> node.set("record", operation(progress.record()));
            case FleetEvent.InstanceStatusChanged changed -> {
                node.put("index", changed.index());
                node.put("status", word(changed.status()));
                node.put("message", changed.message().orElse(null));
                node.put("crashesInARow", changed.crashesInARow());
                if (changed.crashesInARow() > 0) {
                    node.put("cause", changed.cause().apiName());
                }
            }
            case FleetEvent.InstanceSampled sampled -> {
                node.put("index", sampled.index());
                node.set("sample", sample(sampled.sample()));
            }
            case FleetEvent.ThrottleChanged changed -> {
                node.put("index", changed.index());
                ThrottleTransition t = changed.transition();
                node.put("time", time(t.timeMs()));
                node.put("previous", word(t.previous()));
                node.put("throttle", word(t.state()));
                node.set("causes", causes(t.causes()));
                node.set("endedEpisode", t.endedEpisode().map(e -> episode(new InstanceEpisode(event.service(), changed.index(), e)))
                        .orElse(null));
            }
            case FleetEvent.InstanceProblem problem -> {
                node.put("index", problem.index());
                node.put("message", problem.message());
            }
            case FleetEvent.EngineStatusChanged changed -> {
                // About the host, not a service; a host's stream tells only of its own engine.
                node.remove("service");
                node.set("engine", engine(changed.status()));
            }
        }
        return node;
    }

    /**
     * Reads an event of the stream back.
     *
     * @return empty for an event name this client does not know (a newer host), which it skips
     */
    public static Optional<FleetEvent> readEvent(String name, JsonNode node) {
        if (name.equals("engine")) {
            return Optional.of(new FleetEvent.EngineStatusChanged(ServiceSnapshot.THIS_HOST, readEngine(node.path("engine"))));
        }
        String service = text(node, "service");
        int index = node.path("index").asInt();
        FleetEvent event = switch (name) {
            case "added" -> new FleetEvent.ServiceAdded(service, readService(node.path("snapshot")));
            case "removed" -> new FleetEvent.ServiceRemoved(service);
            case "state" -> new FleetEvent.ServiceStateChanged(service, state(text(node, "state")),
                    optionalText(node, "running").map(ApiJson::operation));
            case "definition" -> new FleetEvent.DefinitionChanged(service, readService(node.path("snapshot")));
            case "operation" -> new FleetEvent.OperationProgress(service, readOperation(node.path("record")));
            case "instance" -> new FleetEvent.InstanceStatusChanged(service, index, status(text(node, "status")),
                    optionalText(node, "message"), node.path("crashesInARow").asInt(0), restartCause(node, "cause"));
            case "sample" -> new FleetEvent.InstanceSampled(service, index, readSample(node.path("sample")));
            case "throttle" -> {
                JsonNode ended = node.path("endedEpisode");
                yield new FleetEvent.ThrottleChanged(service, index, new ThrottleTransition(readTime(node.path("time")),
                        throttle(text(node, "previous")), throttle(text(node, "throttle")), readCauses(node.path("causes")),
                        ended.isObject() ? Optional.of(readEpisode(ended).episode()) : Optional.empty()));
            }
            case "problem" -> new FleetEvent.InstanceProblem(service, index, text(node, "message"));
            default -> null;
        };
        return Optional.ofNullable(event);
    }

    // Errors

    /** The one shape of every error: {@code {"error": message}}, to which details are added. */
    public static ObjectNode error(String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", message);
        return node;
    }

    // Words and times

    /** {@code RESTARTING} → {@code Restarting}. */
    public static String word(Enum<?> value) {
        String name = value.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static <E extends Enum<E>> E fromWord(Class<E> type, String word) {
        try {
            return Enum.valueOf(type, word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + word + "\" is not a known " + type.getSimpleName(), e);
        }
    }

    public static Outcome outcome(String word) {
        return fromWord(Outcome.class, word);
    }

    static InstanceStatus status(String word) {
        return fromWord(InstanceStatus.class, word);
    }

    static ThrottleState throttle(String word) {
        return fromWord(ThrottleState.class, word);
    }

    public static Operation operation(String chartName) {
        return Operation.fromChartName(chartName)
                .orElseThrow(() -> new IllegalArgumentException("\"" + chartName + "\" is not an operation of the chart"));
    }

    public static ServiceState state(String chartName) {
        return ServiceState.fromChartName(chartName)
                .orElseThrow(() -> new IllegalArgumentException("\"" + chartName + "\" is not a state of the chart"));
    }

    /** Causes as the API names them, in their order: {@code ["Memory", "Concurrency"]}. */
    public static ArrayNode causes(Set<Cause> causes) {
        ArrayNode array = MAPPER.createArrayNode();
        EnumSet.copyOf(causes.isEmpty() ? EnumSet.noneOf(Cause.class) : causes).forEach(c -> array.add(word(c)));
        return array;
    }

    private static Set<Cause> readCauses(JsonNode array) {
        Set<Cause> causes = EnumSet.noneOf(Cause.class);
        array.forEach(c -> causes.add(fromWord(Cause.class, c.asText())));
        return causes;
    }

    /** Epoch milliseconds as an ISO-8601 UTC string. */
    public static String time(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    /**
     * An ISO-8601 UTC string as epoch milliseconds.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static long parseTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too far from today to be a time of the host's", e);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an ISO-8601 time such as 2026-01-31T08:00:00Z", e);
        }
    }

    private static long readTime(JsonNode node) {
        return parseTime(node.asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a string");
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
