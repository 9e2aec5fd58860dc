package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.access.HostCertificate;
import org.sluice.throttle.InstanceSample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The management API against an in-process host with stand-in instances: what an administrator
 * outside the process sees, request by request, over real HTTPS.
 */
@Timeout(60)
class ManagementServerTest {
    private static final String KEY = "primary-key-for-tests";
    private static final String OTHER_KEY = "secondary-key-for-tests";

    @TempDir
    Path data;

    private final FakeLauncher launcher = new FakeLauncher();
    private final Host host = new Host(launcher, new InMemoryJournal(), InstantSource.system(),
            new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    private final List<Long> pauses = new CopyOnWriteArrayList<>();
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();
    private final BlockingQueue<OperationRecord> ended = new LinkedBlockingQueue<>();
    private final Map<String, OperationRecord> seen = new ConcurrentHashMap<>();
    private FrontDoor door;
    private ManagementServer server;
    private ManagementClient client;
    private HostCertificate certificate;

    @BeforeEach
    void open() throws Exception {
        door = FrontDoor.open(host, 0);
        certificate = HostCertificate.loadOrCreate(data);
        server = start(ManagementServer.Settings.defaults().withPause(pauses::add));
        client = client(KEY);
        fleet("test").subscribe(event -> {
            if (event instanceof FleetEvent.OperationProgress progress && progress.record().outcome() != Outcome.RUNNING) {
                ended.add(progress.record());
            }
        });
    }

    private ManagementServer start(ManagementServer.Settings settings) throws Exception {
        return ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), certificate.sslContext(),
                (issuer, key) -> issuer.equals("owner") && (key.equals(KEY) || key.equals(OTHER_KEY)),
                this::fleet, "test-version", settings);
    }

    private Fleet fleet(String issuer) {
        return fleets.computeIfAbsent(issuer, i -> new LocalFleet(host, door, i, () -> { }));
    }

    private ManagementClient client(String key) {
        return new ManagementClient(URI.create("https://127.0.0.1:" + server.port()), "owner", key, certificate.fingerprint());
    }

    @AfterEach
    void close() {
        server.close();
        door.close();
        host.close();
    }

    private static ObjectNode definition(String name) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("name", name);
        node.put("units", 2);
        node.put("destination", "dir:/tmp/" + name + "-out");
        return node;
    }

    private OperationRecord endOf(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (seen.containsKey(requestId)) {
                return seen.get(requestId);
            }
            OperationRecord record = ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (record != null) {
                seen.put(record.requestId(), record);
            }
        }
        throw new AssertionError("operation " + requestId + " did not end");
    }

    private String created(String name) throws Exception {
        ManagementClient.Answer answer = client.post("/services", definition(name));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        String id = answer.body().path("requestId").asText();
        assertThat(endOf(id).outcome()).isEqualTo(Outcome.SUCCEEDED);
        return id;
    }

    @Test
    void healthNeedsNoCredentialsAndEverythingElseDoes() throws Exception {
        ManagementClient stranger = new ManagementClient(URI.create("https://127.0.0.1:" + server.port()), "owner", "guess",
                certificate.fingerprint());
        ManagementClient.Answer health = stranger.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("ok");
        assertThat(health.body().path("version").asText()).isEqualTo("test-version");

        ManagementClient.Answer refused = stranger.get("/services");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"sluice\""));
        assertThat(refused.error()).contains("sluice keys show");

        assertThat(client.get("/services").status()).isEqualTo(200);
        assertThat(client(OTHER_KEY).get("/services").status()).as("the secondary key works too").isEqualTo(200);
    }

    @Test
    void repeatedFailuresFromOneAddressAreAnsweredEverMoreSlowly() throws Exception {
        ManagementClient guesser = client("wrong");
        for (int i = 0; i < 6; i++) {
            assertThat(guesser.get("/services").status()).isEqualTo(401);
        }
        assertThat(pauses).containsExactly(250L, 500L, 1000L, 2000L, 4000L);

        assertThat(client.get("/services").status()).isEqualTo(200);
        assertThat(guesser.get("/services").status()).isEqualTo(401);
        assertThat(pauses).as("signing in clears the count").hasSize(5);
    }

    @Test
    void createIsAcceptedWithARequestIdAndLoggedUnderTheIssuer() throws Exception {
        ManagementClient.Answer answer = client.post("/services", definition("orders"));

        assertThat(answer.status()).isEqualTo(202);
        String id = answer.body().path("requestId").asText();
        assertThat(answer.headers().firstValue("Request-Id")).hasValue(id);
        assertThat(answer.headers().firstValue("Location")).hasValue("/api/v1/operations/" + id);
        assertThat(endOf(id).requester()).isEqualTo("owner");

        JsonNode operation = client.get("/operations/" + id).body();
        assertThat(operation.path("status").asText()).isEqualTo("Succeeded");
        assertThat(operation.path("issuer").asText()).isEqualTo("owner");
        assertThat(operation.path("operation").asText()).isEqualTo("Create");
        assertThat(operation.path("endedAt").asText()).endsWith("Z");

        JsonNode service = client.get("/services/orders").body();
        assertThat(service.path("state").asText()).isEqualTo("Active");
        assertThat(service.path("instances")).hasSize(2);
        assertThat(ApiJson.readService(service).definition()).isEqualTo(ApiJson.readDefinition(definition("orders")));
    }

    @Test
    void everyOperationOfTheChartRunsThroughTheApi() throws Exception {
        created("orders");
        for (String op : List.of("stop", "start", "restart", "suspend", "resume", "backup", "serviceupdate")) {
            ManagementClient.Answer answer = client.post("/services/orders/" + op, null);
            assertThat(answer.status()).as(op + ": " + answer.body()).isEqualTo(202);
            assertThat(endOf(answer.body().path("requestId").asText()).outcome()).as(op).isEqualTo(Outcome.SUCCEEDED);
        }
        ObjectNode units = ApiJson.MAPPER.createObjectNode().put("units", 3);
        assertThat(endOf(client.put("/services/orders/units", units).body().path("requestId").asText()).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(launcher.alive("orders")).hasSize(3);

        ObjectNode changed = definition("orders").put("memoryMb", 512);
        assertThat(endOf(client.put("/services/orders/definition", changed).body().path("requestId").asText()).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(client.get("/services/orders/definition").body().path("memoryMb").asInt()).isEqualTo(512);

        JsonNode backups = client.get("/services/orders/backups").body();
        assertThat(backups).hasSize(1);
        ObjectNode restore = ApiJson.MAPPER.createObjectNode().put("name", "orders-copy");
        ManagementClient.Answer restored = client.post("/backups/" + backups.get(0).path("id").asText() + "/restore", restore);
        assertThat(endOf(restored.body().path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(client.get("/services/orders-copy").body().path("state").asText()).isEqualTo("Suspended");

        JsonNode disabled = client.post("/account/disable", null).body().path("operations");
        assertThat(disabled).hasSize(2);
        for (JsonNode accepted : disabled) {
            assertThat(endOf(accepted.path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        JsonNode enabled = client.post("/account/enable", null).body().path("operations");
        for (JsonNode accepted : enabled) {
            assertThat(endOf(accepted.path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        assertThat(client.get("/services/orders").body().path("state").asText()).isEqualTo("Active");

        String deleted = client.delete("/services/orders-copy").body().path("requestId").asText();
        assertThat(endOf(deleted).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(client.get("/services/orders-copy").status()).isEqualTo(404);

        JsonNode log = client.get("/operations?service=orders&operation=Start&limit=5").body();
        assertThat(log).hasSize(1);
        assertThat(log.get(0).path("operation").asText()).isEqualTo("Start");
        assertThat(client.get("/operations?outcome=Succeeded&limit=1000").body()).hasSizeGreaterThan(10);
    }

    @Test
    void aRefusedOperationIsA409ThatChangesNothing() throws Exception {
        created("orders");
        int before = client.get("/operations").body().size();

        ManagementClient.Answer refused = client.post("/services/orders/resume", null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error").asText()).isEqualTo("Operation not allowed");
        assertThat(refused.body().path("state").asText()).isEqualTo("Active");
        assertThat(refused.body().path("operation").asText()).isEqualTo("Resume");
        assertThat(client.get("/services/orders").body().path("state").asText()).isEqualTo("Active");
        assertThat(client.get("/operations").body()).hasSize(before);
    }

    @Test
    void twoAdministratorsRacingOneOperationGetExactlyOne202() throws Exception {
        ManagementClient second = client(OTHER_KEY);
        try (ExecutorService racers = Executors.newFixedThreadPool(2)) {
            for (String name : List.of("race-a", "race-b", "race-c")) {
                created(name);
                // A restart waits for its instances to stop, so the loser finds the service Restarting.
                launcher.alive(name).forEach(FakeLauncher.Fake::holdStop);
                CountDownLatch go = new CountDownLatch(1);
                Future<ManagementClient.Answer> a = racers.submit(() -> {
                    go.await();
                    return client.post("/services/" + name + "/restart", null);
                });
                Future<ManagementClient.Answer> b = racers.submit(() -> {
                    go.await();
                    return second.post("/services/" + name + "/restart", null);
                });
                go.countDown();
                assertThat(List.of(a.get().status(), b.get().status())).as(name).containsExactlyInAnyOrder(202, 409);
                ManagementClient.Answer loser = a.get().status() == 409 ? a.get() : b.get();
                assertThat(loser.body().path("state").asText()).isEqualTo("Restarting");
            }
        }
    }

    @Test
    void badRequestsGetOneClearJsonErrorEachAndChangeNothing() throws Exception {
        created("orders");

        ManagementClient.Answer notJson = client.send("POST", "/services", ApiJson.MAPPER.getNodeFactory().textNode("x"));
        assertThat(notJson.status()).isEqualTo(400);

        ManagementClient.Answer broken = rawPost("/services", "{\"name\": \"a\",\n \"units\": }");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.error()).contains("not valid JSON", "line 2").doesNotContain("code 125", "token");

        ObjectNode invalid = definition("Bad Name").put("units", 12);
        ManagementClient.Answer problems = client.post("/services", invalid);
        assertThat(problems.status()).isEqualTo(400);
        assertThat(problems.body().path("problems").findValuesAsText("field")).contains("name", "units");

        ManagementClient.Answer huge = rawPost("/services", "{\"name\":\"" + "x".repeat(ManagementServer.MAX_BODY) + "\"}");
        assertThat(huge.status()).isEqualTo(413);

        assertThat(client.post("/services/nope/start", null).status()).isEqualTo(404);
        assertThat(client.post("/backups/nope/restore", ApiJson.MAPPER.createObjectNode().put("name", "x")).status()).isEqualTo(404);
        assertThat(client.get("/operations/nope").status()).isEqualTo(404);
        assertThat(client.get("/nowhere").status()).isEqualTo(404);
        ManagementClient.Answer junk = client.get("/services/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(junk.status()).isEqualTo(404);
        assertThat(junk.body().toString()).doesNotContain("script");

        ManagementClient.Answer wrongMethod = client.send("PATCH", "/services/orders", null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, DELETE");

        assertThat(client.put("/services/orders/units", ApiJson.MAPPER.createObjectNode().put("units", "three")).status()).isEqualTo(400);
        assertThat(client.put("/services/orders/units", ApiJson.MAPPER.createObjectNode().put("units", 9)).status()).isEqualTo(400);
        assertThat(client.get("/operations?limit=0").body().path("parameter").asText()).isEqualTo("limit");
        assertThat(client.post("/services", definition("orders")).status()).as("a name that exists").isEqualTo(409);

        JsonNode service = client.get("/services/orders").body();
        assertThat(service.path("state").asText()).isEqualTo("Active");
        assertThat(service.path("units").asInt()).isEqualTo(2);
        assertThat(client.get("/services").body()).hasSize(1);
    }

    private ManagementClient.Answer rawPost(String path, String text) throws Exception {
        JsonNode wrapped = ApiJson.MAPPER.getNodeFactory().rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(text));
        return client.send("POST", path, wrapped);
    }

    @Test
    void theEventStreamStartsWithASnapshotAndThenCarriesEachChange() throws Exception {
        created("orders");
        HttpResponse<InputStream> response = client.events();
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = response.body()) {
                ServerSentEvents.read(in, (name, text) -> events.add(new String[] {name, text}));
            } catch (java.io.IOException ignored) {
                // The test closed the stream.
            }
        });
        String[] first = events.poll(10, TimeUnit.SECONDS);
        assertThat(first[0]).isEqualTo("snapshot");
        assertThat(ApiJson.readSnapshot(ApiJson.MAPPER.readTree(first[1])).services()).singleElement()
                .satisfies(s -> assertThat(s.name()).isEqualTo("orders"));

        client.post("/services/orders/stop", null);
        List<String> names = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!names.contains("state") || !names.contains("operation")) {
            String[] event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(event).as("events so far: " + names).isNotNull();
            names.add(event[0]);
            assertThat(ApiJson.readEvent(event[0], ApiJson.MAPPER.readTree(event[1]))).isPresent();
        }
        reader.interrupt();
        response.body().close();
    }

    @Test
    void aClientThatNeverReadsItsStreamIsDroppedAndOthersAreStillServed() throws Exception {
        created("orders");
        // The events of this test are handed to the listener at once, on this thread, as fast as it can.
        AtomicReference<FleetListener> listener = new AtomicReference<>();
        Fleet local = fleet("owner");
        Fleet capturing = (Fleet) Proxy.newProxyInstance(Fleet.class.getClassLoader(), new Class<?>[] {Fleet.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("subscribe")) {
                        listener.set((FleetListener) args[0]);
                        return (Subscription) () -> { };
                    }
                    return method.invoke(local, args);
                });
        server.close();
        server = ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), certificate.sslContext(),
                (issuer, key) -> key.equals(KEY), issuer -> capturing, "test-version",
                ManagementServer.Settings.defaults().withStreams(4, 2, 16, Duration.ofSeconds(15)));
        client = client(KEY);

        SSLSocket stuck = (SSLSocket) PinnedCertificate.pinned(certificate.fingerprint()).context().getSocketFactory()
                .createSocket("127.0.0.1", server.port());
        OutputStream out = stuck.getOutputStream();
        String auth = Base64.getEncoder().encodeToString(("owner:" + KEY).getBytes(StandardCharsets.UTF_8));
        out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(stuck.getInputStream().read()).as("the stream opened").isNotNegative();
        assertThat(server.openStreams()).isEqualTo(1);

        long emitted = 0;
        while (server.openStreams() > 0 && emitted < 5_000_000) {
            listener.get().onEvent(new FleetEvent.InstanceSampled("orders", 0,
                    new InstanceSample(emitted, 10, 1, 1, emitted, emitted, 0, 0, 1, 2)));
            emitted++;
        }
        assertThat(server.awaitOpenStreams(0, Duration.ofSeconds(10))).as("the stuck stream is dropped").isTrue();

        assertThat(client.get("/services").status()).isEqualTo(200);
        HttpResponse<InputStream> fresh = client.events();
        assertThat(fresh.statusCode()).as("a client that reads gets a stream").isEqualTo(200);
        fresh.body().close();
        stuck.close();
    }

    @Test
    void eventStreamsAreBoundedPerAddress() throws Exception {
        server.close();
        server = start(ManagementServer.Settings.defaults().withPause(pauses::add).withStreams(4, 2, 16, Duration.ofSeconds(15)));
        client = client(KEY);
        HttpResponse<InputStream> one = client.events();
        HttpResponse<InputStream> two = client.events();
        HttpResponse<InputStream> three = client.events();
        assertThat(List.of(one.statusCode(), two.statusCode())).containsOnly(200);
        assertThat(three.statusCode()).isEqualTo(429);
        assertThat(new String(three.body().readAllBytes(), StandardCharsets.UTF_8)).contains("\"error\"");
        one.body().close();
        two.body().close();
    }
}
