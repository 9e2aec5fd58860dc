package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.fleet.api.ManagementFixture.definition;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.FleetEvent;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.Host;
import org.sluice.runtime.InstanceEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * The OpenAPI document the host serves, held against the host's real answers. Every path and
 * method of the document is driven over HTTPS, to success and to each error status it lists,
 * and every answer and event is checked against the document ({@link AnswerCheck}). Then the
 * other direction: every operation of the document must have succeeded, and every status it
 * lists must have been seen, but for those in {@link #NOT_PROVOKED}.
 */
@Timeout(120)
class OpenApiDocumentTest {
    /**
     * Statuses the document lists that no request of this test provokes, each with the reason,
     * keyed as {@link AnswerCheck#unseen()} names them. Every one the host can be brought to give
     * is provoked, so this stays empty; an entry here that is seen after all fails the test.
     */
    private static final Map<String, String> NOT_PROVOKED = Map.of();
    /** Event streams the host serves in all: this test's own, one more, and the third is refused. */
    private static final int STREAMS_IN_ALL = 2;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final List<String> SERVICE_OPERATIONS = List.of("stop", "start", "restart", "suspend", "resume",
            "backup", "serviceupdate");

    @TempDir
    Path data;

    private ManagementFixture fx;
    private ManagementClient client;
    private AnswerCheck answers;
    private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    private HttpResponse<InputStream> stream;

    @BeforeEach
    void open() throws Exception {
        // Instances that are made to hold a stop are let go by the test, never by the stop timeout.
        fx = new ManagementFixture(data, new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30)),
                ManagementServer.Settings.defaults().withStreams(STREAMS_IN_ALL, 16, 4_096, Duration.ofSeconds(15)));
        client = fx.client();
        ManagementClient.Answer served = client.get("/openapi.json");
        assertThat(served.status()).isEqualTo(200);
        answers = new AnswerCheck(served.body());
        answers.check("GET", "/openapi.json", null, served.status(), served.headers(), served.body());
    }

    @AfterEach
    void close() throws IOException {
        if (stream != null) {
            stream.body().close();
        }
        fx.close();
    }

    @Test
    void everyAnswerIsAsTheDocumentSaysAndEveryAnswerItListsIsGiven() throws Exception {
        call(fx.client("not-the-key"), 200, "GET", "/health", null);
        succeeded("POST", "/services", definition("orders"));
        openTheEventStream();
        readTheServices();
        readTheHostAndHearItsEngine();
        throttleAnInstance();
        crashAThrottledInstance();
        String backup = runEveryOperation();
        refusedByTheChart(backup);
        badRequests(backup);
        unknownNames();
        tooLargeBodies();
        strangersAndOtherMethods();
        tooManyEventStreams();
        everyDocumentedEventArrives();
        scrapeTheMetrics();

        assertThat(answers.problems()).as("answers that do not fit the document").isEmpty();
        assertThat(answers.notExercised()).as("operations of the document that never succeeded here").isEmpty();
        Set<String> unseen = answers.unseen();
        assertThat(unseen).as("statuses excused in NOT_PROVOKED must still be documented and unseen")
                .containsAll(NOT_PROVOKED.keySet());
        unseen.removeAll(NOT_PROVOKED.keySet());
        assertThat(unseen).as("statuses the document lists that no answer showed").isEmpty();
    }

    // The steps, in order: each leaves the service orders Active.

    private void openTheEventStream() throws Exception {
        stream = client.events();
        answers.check("GET", "/events", null, stream.statusCode(), stream.headers(), ApiJson.MAPPER.missingNode());
        assertThat(stream.statusCode()).isEqualTo(200);
        InputStream body = stream.body();
        Thread.ofVirtual().name("openapi-test-events").start(() -> {
            try (body) {
                ServerSentEvents.read(body, (name, data) -> events.add(new String[] {name, data}));
            } catch (IOException closed) {
                // The test closed the stream, or the host did as it stopped.
            }
        });
        String[] first = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).as("the first event").isNotNull();
        assertThat(first[0]).isEqualTo("snapshot");
        answers.checkEvent(first[0], first[1]);
        assertThat(ApiJson.MAPPER.readTree(first[1]).path("services").findValuesAsText("name"))
                .as("the snapshot has a service whose shape was checked").contains("orders");
    }

    private void readTheServices() throws Exception {
        ManagementClient.Answer list = call(200, "GET", "/services", null);
        assertThat(list.body()).hasSize(1);
        unchangedList(list.headers().firstValue("ETag").orElseThrow());
        call(200, "GET", "/services/orders", null);
        call(200, "GET", "/services/orders/definition", null);
        call(200, "GET", "/services/orders/backups", null);
        fx.launcher.writeLog("orders", 0, "ready\n");
        assertThat(call(200, "GET", "/services/orders/instances/0/log", null).body().path("text").asText()).isEqualTo("ready\n");
        call(200, "GET", "/services/orders/instances/0/log?run=previous&offset=0&limit=100", null);
        call(200, "GET", "/services/orders/instances/0/samples?from=" + ApiJson.time(0), null);
        call(200, "GET", "/operations", null);
    }

    /** The list of services asked for again with the tag of the one just read: 304, as the document says. */
    private void unchangedList(String tag) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(PinnedCertificate.pinned(fx.certificate.fingerprint()).context()).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(fx.base() + ManagementServer.API + "/services"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("owner:" + ManagementFixture.KEY).getBytes(StandardCharsets.UTF_8)))
                    .header("If-None-Match", tag).build();
            HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            answers.check("GET", "/services", null, answer.statusCode(), answer.headers(), ApiJson.MAPPER.missingNode());
            assertThat(answer.statusCode()).isEqualTo(304);
            assertThat(answer.body()).isEmpty();
        }
    }

    /** The host's engine as it is, then unavailable and available again: two engine events. */
    private void readTheHostAndHearItsEngine() throws Exception {
        assertThat(call(200, "GET", "/host", null).body().path("engine").path("available").asBoolean()).isTrue();
        fx.launcher.engine(EngineStatus.unavailable(EngineStatus.Kind.KUBERNETES,
                "The Kubernetes API server could not be reached: check --kubeconfig", System.currentTimeMillis()));
        assertThat(call(200, "GET", "/host", null).body().path("engine").path("reason").asText()).contains("--kubeconfig");
        fx.launcher.engine(EngineStatus.available(EngineStatus.Kind.KUBERNETES,
                System.currentTimeMillis()));
    }

    /** An instance is sampled, throttled and Normal again, so that samples, throttle times and episodes are checked too. */
    private void throttleAnInstance() throws Exception {
        FakeLauncher.Fake instance = fx.launcher.alive("orders").getFirst();
        long now = System.currentTimeMillis();
        instance.emit(new InstanceEvent.Sampled(new InstanceSample(now, 91.5, 3, 2, 40, 36, 1, 2, 4.5, 20.25)));
        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(now, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY), Optional.empty())));
        instance.emit(new InstanceEvent.Problem("Memory is at 91.5 %"));
        JsonNode throttled = call(200, "GET", "/services/orders", null).body().path("instances").findParents("index").stream()
                .filter(i -> i.path("index").asInt() == instance.index()).findFirst().orElseThrow();
        assertThat(throttled.path("since").isTextual()).as("a throttled instance says since when: " + throttled).isTrue();
        assertThat(throttled.path("sample").isObject()).as("and carries its last sample").isTrue();
        assertThat(call(200, "GET", "/services/orders/episodes", null).body()).as("the open episode").hasSize(1);

        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 200, ThrottleState.THROTTLED, ThrottleState.THROTTLED,
                java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY), Optional.empty())));
        ThrottleEpisode ended = new ThrottleEpisode(now, OptionalLong.of(now + 500), java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY));
        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 500, ThrottleState.THROTTLED, ThrottleState.NORMAL,
                Set.of(), Optional.of(ended))));
        instance.emit(new InstanceEvent.EpisodeEnded(ended));
        JsonNode episodes = call(200, "GET", "/services/orders/episodes?from=" + ApiJson.time(now - 60_000)
                + "&to=" + ApiJson.time(now + 60_000), null).body();
        assertThat(episodes.findValuesAsText("endedAt")).as("the episode ended").isNotEmpty();
    }

    /**
     * An instance that crashes while throttled: its episode is cut short, and the host logs the
     * restart as its own entry, with the instance and its exit status.
     */
    private void crashAThrottledInstance() throws Exception {
        FakeLauncher.Fake instance = fx.launcher.alive("orders").getFirst();
        long now = System.currentTimeMillis();
        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(now, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY), Optional.empty())));
        instance.crash(137);

        JsonNode restarts = call(200, "GET", "/operations?service=orders&operation=InstanceRestart", null).body();
        assertThat(restarts).hasSize(1);
        assertThat(restarts.get(0).path("issuer").asText()).isEqualTo(OperationRecord.HOST);
        assertThat(restarts.get(0).path("instance").asInt()).isEqualTo(instance.index());
        assertThat(restarts.get(0).path("exitStatus").asInt()).isEqualTo(137);
        assertThat(restarts.get(0).path("cause").asText()).isEqualTo("Crash");
        assertThat(fx.endOf(restarts.get(0).path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        call(200, "GET", "/operations/" + restarts.get(0).path("requestId").asText(), null);
        JsonNode episodes = call(200, "GET", "/services/orders/episodes", null).body();
        assertThat(episodes.findValuesAsText("cutShort")).as("one ended as the instance Normal again, one cut short")
                .containsExactlyInAnyOrder("false", "true");
    }

    /** Every operation that succeeds; returns the id of a backup that succeeded. */
    private String runEveryOperation() throws Exception {
        for (String operation : SERVICE_OPERATIONS) {
            succeeded("POST", "/services/orders/" + operation, null);
        }
        succeeded("PUT", "/services/orders/units", units(3));
        succeeded("PUT", "/services/orders/definition", definition("orders").put("memoryMb", 512));

        // A backup that fails, so that an operation with its error and a failed backup are checked too.
        fx.fleet("owner").injectFault("orders", Operation.BACKUP);
        assertThat(accepted("POST", "/services/orders/backup", null).outcome()).isEqualTo(Outcome.FAILED);
        JsonNode backups = call(200, "GET", "/services/orders/backups", null).body();
        assertThat(backups.findValuesAsText("succeeded")).containsExactlyInAnyOrder("false", "true");
        String backup = backups.findParents("succeeded").stream().filter(b -> b.path("succeeded").asBoolean())
                .findFirst().orElseThrow().path("id").asText();

        succeeded("POST", "/backups/" + backup + "/restore", ApiJson.MAPPER.createObjectNode().put("name", "orders-copy"));
        succeeded("DELETE", "/services/orders-copy", null);
        for (String account : List.of("disable", "enable")) {
            JsonNode accepted = call(202, "POST", "/account/" + account, null).body().path("operations");
            assertThat(accepted).as(account).hasSize(1);
            assertThat(fx.endOf(accepted.get(0).path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        String to = ApiJson.time(System.currentTimeMillis() + 60_000);
        JsonNode log = call(200, "GET", "/operations?service=orders&operation=Start&outcome=Succeeded"
                + "&from=2020-01-01T00:00:00Z&to=" + to + "&limit=5", null).body();
        assertThat(log).hasSize(1);
        return backup;
    }

    private void refusedByTheChart(String backup) throws Exception {
        refused("POST", "/services/orders/start", null, "Active");
        refused("POST", "/services/orders/resume", null, "Active");
        assertThat(call(409, "POST", "/services", definition("orders")).body().path("service").asText()).isEqualTo("orders");
        call(409, "POST", "/backups/" + backup + "/restore", ApiJson.MAPPER.createObjectNode().put("name", "orders"));

        JsonNode disabled = call(202, "POST", "/account/disable", null).body().path("operations");
        assertThat(fx.endOf(disabled.get(0).path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        for (String operation : List.of("stop", "restart", "suspend", "backup", "serviceupdate")) {
            refused("POST", "/services/orders/" + operation, null, "Disabled");
        }
        refused("PUT", "/services/orders/units", units(3), "Disabled");
        refused("PUT", "/services/orders/definition", definition("orders"), "Disabled");
        JsonNode enabled = call(202, "POST", "/account/enable", null).body().path("operations");
        assertThat(fx.endOf(enabled.get(0).path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);

        // While a restart waits for its instances to stop, the service is Restarting and cannot be deleted.
        List<FakeLauncher.Fake> held = fx.launcher.alive("orders");
        held.forEach(FakeLauncher.Fake::holdStop);
        String restart = call(202, "POST", "/services/orders/restart", null).body().path("requestId").asText();
        refused("DELETE", "/services/orders", null, "Restarting");
        held.forEach(instance -> instance.crash(0));
        assertThat(fx.endOf(restart).outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    private void badRequests(String backup) throws Exception {
        for (AnswerCheck.Operation operation : answers.operations()) {
            if (answers.takesBody(operation)) {
                call(400, operation.method(), operation.pathWith("orders"), raw("{\"name\": \"orders\",\n \"units\": }"));
            }
        }
        JsonNode problems = call(400, "POST", "/services", definition("Bad Name").put("units", 12)).body();
        assertThat(problems.path("problems").findValuesAsText("field")).contains("name", "units");
        call(400, "POST", "/services", ApiJson.MAPPER.createObjectNode().put("name", "no-destination"));
        call(400, "PUT", "/services/orders/units", ApiJson.MAPPER.createObjectNode().put("units", "three"));
        call(400, "PUT", "/services/orders/units", units(9));
        call(400, "PUT", "/services/orders/definition", definition("orders").put("units", 12));
        call(400, "PUT", "/services/orders/definition", definition("renamed"));
        call(400, "POST", "/backups/" + backup + "/restore", ApiJson.MAPPER.createObjectNode());
        for (String query : List.of("limit=0", "outcome=Maybe", "operation=Dance", "from=yesterday")) {
            assertThat(call(400, "GET", "/operations?" + query, null).body().path("parameter").asText())
                    .isEqualTo(query.substring(0, query.indexOf('=')));
        }
        call(400, "GET", "/services/orders/episodes?to=tomorrow", null);
        for (String query : List.of("limit=0", "limit=65537", "offset=-1", "run=older")) {
            assertThat(call(400, "GET", "/services/orders/instances/0/log?" + query, null).body().path("parameter").asText())
                    .isEqualTo(query.substring(0, query.indexOf('=')));
        }
        call(404, "GET", "/services/orders/instances/8/log", null);
        call(400, "GET", "/services/orders/instances/0/samples?to=tomorrow", null);
        call(404, "GET", "/services/orders/instances/8/samples", null);
    }

    private void unknownNames() throws Exception {
        Map<String, JsonNode> bodies = Map.of(
                "PUT /services/{name}/units", units(2),
                "PUT /services/{name}/definition", definition("nowhere"),
                "POST /backups/{id}/restore", ApiJson.MAPPER.createObjectNode().put("name", "nowhere-copy"));
        for (AnswerCheck.Operation operation : answers.operations()) {
            if (answers.lists(operation, 404)) {
                call(404, operation.method(), operation.pathWith("nowhere"), bodies.get(operation.toString()));
            }
        }
    }

    private void tooLargeBodies() throws Exception {
        JsonNode huge = raw("{\"name\": \"" + "x".repeat(ManagementServer.MAX_BODY) + "\"}");
        for (AnswerCheck.Operation operation : answers.operations()) {
            if (answers.takesBody(operation)) {
                call(413, operation.method(), operation.pathWith("orders"), huge);
            }
        }
    }

    private void strangersAndOtherMethods() throws Exception {
        ManagementClient stranger = fx.client("not-the-key");
        Set<String> paths = new TreeSet<>();
        for (AnswerCheck.Operation operation : answers.operations()) {
            paths.add(operation.path());
            if (answers.secured(operation)) {
                JsonNode refused = call(stranger, 401, operation.method(), operation.pathWith("orders"), null).body();
                assertThat(refused.path("error").asText()).contains("sluice keys show");
            }
        }
        for (String path : paths) {
            for (String method : METHODS) {
                if (!answers.methods(path).contains(method)) {
                    call(405, method, path.replaceAll("\\{[^}]+}", "orders"), null);
                }
            }
        }
    }

    private void scrapeTheMetrics() throws Exception {
        String page = call(200, "GET", "/metrics", null).body().asText();
        assertThat(page).contains("sluice_service_state{service=\"orders\",sluice_service_state=\"Active\"} 1");
    }

    private void tooManyEventStreams() throws Exception {
        HttpResponse<InputStream> second = client.events();
        try {
            answers.check("GET", "/events", null, second.statusCode(), second.headers(), ApiJson.MAPPER.missingNode());
            assertThat(second.statusCode()).as("a second stream from this address").isEqualTo(200);
            HttpResponse<InputStream> third = client.events();
            JsonNode refusal;
            try (InputStream refused = third.body()) {
                refusal = ApiJson.MAPPER.readTree(refused);
            }
            answers.check("GET", "/events", null, third.statusCode(), third.headers(), refusal);
            assertThat(third.statusCode()).as("a third: " + refusal).isEqualTo(429);
        } finally {
            second.body().close();
        }
    }

    /** Reads the stream until every event name the document gives has come, checking each event on the way. */
    private void everyDocumentedEventArrives() throws InterruptedException {
        Set<String> expected = answers.eventNames();
        Set<String> arrived = new TreeSet<>(List.of("snapshot"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!arrived.containsAll(expected)) {
            String[] event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(arrived);
            assertThat(event).as("events documented that did not come: " + missing).isNotNull();
            answers.checkEvent(event[0], event[1]);
            arrived.add(event[0]);
        }
        for (String[] event = events.poll(); event != null; event = events.poll()) {
            answers.checkEvent(event[0], event[1]);
        }
        assertThat(answers.eventsUnseen()).isEmpty();
    }

    // The document itself

    @Test
    void everyReferenceOfTheDocumentLeadsSomewhereAndEverySchemaIsUsed() {
        JsonNode document = OpenApiDocument.read();
        SchemaCheck check = new SchemaCheck(document);
        List<String> refs = document.findValuesAsText("$ref");
        assertThat(refs).isNotEmpty();
        refs.forEach(ref -> check.resolve(ApiJson.MAPPER.createObjectNode().put("$ref", ref)));
        for (String section : List.of("schemas", "responses", "parameters", "headers")) {
            document.path("components").path(section).fieldNames().forEachRemaining(name ->
                    assertThat(refs).as("components/%s/%s is referred to", section, name)
                            .contains("#/components/" + section + "/" + name));
        }
    }

    @Test
    void everyPathParameterIsDeclared() {
        AnswerCheck document = new AnswerCheck(OpenApiDocument.read());
        Pattern parameter = Pattern.compile("\\{([^}]+)}");
        for (AnswerCheck.Operation operation : document.operations()) {
            List<String> inPath = new ArrayList<>();
            for (Matcher m = parameter.matcher(operation.path()); m.find(); ) {
                inPath.add(m.group(1));
            }
            List<JsonNode> declared = document.parameters(operation).stream().filter(p -> p.path("in").asText().equals("path")).toList();
            assertThat(declared).as(operation.toString()).allSatisfy(p -> assertThat(p.path("required").asBoolean()).isTrue());
            assertThat(declared.stream().map(p -> p.path("name").asText()).toList()).as(operation.toString())
                    .containsExactlyInAnyOrderElementsOf(inPath);
        }
    }

    @Test
    void theDocumentsEnumerationsAreTheHostsWords() {
        JsonNode document = OpenApiDocument.read();
        JsonNode schemas = document.path("components").path("schemas");
        Map<String, List<String>> words = Map.of(
                "ServiceState", Arrays.stream(ServiceState.values()).map(ServiceState::chartName).toList(),
                "OperationName", Arrays.stream(Operation.values()).map(Operation::chartName).toList(),
                "OperationStatus", Arrays.stream(Outcome.values()).map(ApiJson::word).toList(),
                "InstanceStatus", Arrays.stream(InstanceStatus.values()).map(ApiJson::word).toList(),
                "Cause", Arrays.stream(Cause.values()).map(ApiJson::word).toList(),
                "ThrottleState", Arrays.stream(ThrottleState.values()).map(ApiJson::word).toList());
        words.forEach((schema, values) -> {
            List<String> documented = new ArrayList<>();
            schemas.path(schema).path("enum").forEach(v -> documented.add(v.asText()));
            assertThat(documented).as(schema).containsExactlyInAnyOrderElementsOf(values);
        });
        assertThat(new AnswerCheck(document).eventNames()).as("snapshot and one name for each kind of fleet event")
                .hasSize(FleetEvent.class.getPermittedSubclasses().length + 1).contains("snapshot");
    }

    // Requests

    /** Sends a request as owner, checks the answer against the document and that its status is {@code expected}. */
    private ManagementClient.Answer call(int expected, String method, String target, JsonNode body) throws Exception {
        return call(client, expected, method, target, body);
    }

    private ManagementClient.Answer call(ManagementClient as, int expected, String method, String target, JsonNode body)
            throws Exception {
        ManagementClient.Answer answer = answers.besideTheApi(target) ? as.sendBesideTheApi(method, target)
                : as.send(method, target, body);
        answers.check(method, target, body, answer.status(), answer.headers(), answer.body());
        assertThat(answer.status()).as(method + " " + target + " answered " + answer.body()).isEqualTo(expected);
        return answer;
    }

    /**
     * A 202, whose request id MANAGEMENT-API.md wants in the body, in {@code Request-Id} and in
     * {@code Location}; the operation is read back once it has ended.
     */
    private OperationRecord accepted(String method, String target, JsonNode body) throws Exception {
        ManagementClient.Answer answer = call(202, method, target, body);
        String id = answer.body().path("requestId").asText();
        assertThat(answer.headers().firstValue("Request-Id")).hasValue(id);
        assertThat(answer.headers().firstValue("Location")).hasValue(ManagementServer.API + "/operations/" + id);
        OperationRecord end = fx.endOf(id);
        call(200, "GET", "/operations/" + id, null);
        return end;
    }

    private void succeeded(String method, String target, JsonNode body) throws Exception {
        assertThat(accepted(method, target, body).outcome()).as(method + " " + target).isEqualTo(Outcome.SUCCEEDED);
    }

    /** A 409 of the state chart: Operation not allowed, with the state and the operation, and nothing changes. */
    private void refused(String method, String target, JsonNode body, String state) throws Exception {
        JsonNode refusal = call(409, method, target, body).body();
        assertThat(refusal.path("error").asText()).isEqualTo("Operation not allowed");
        assertThat(refusal.path("state").asText()).isEqualTo(state);
        assertThat(refusal.path("operation").asText()).isNotEmpty();
    }

    private static ObjectNode units(int units) {
        return ApiJson.MAPPER.createObjectNode().put("units", units);
    }

    /** A body sent as it is written, valid JSON or not. */
    private static JsonNode raw(String text) {
        return ApiJson.MAPPER.getNodeFactory().rawValueNode(new RawValue(text));
    }
}
