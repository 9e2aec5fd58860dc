package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.Outcome;
import org.sluice.runtime.FakeLauncher;
import org.sluice.throttle.InstanceSample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The management API against an in-process host with stand-in instances: what an administrator
 * outside the process sees, request by request, over real HTTPS.
 */
@Timeout(60)
class ManagementServerTest {
    @TempDir
    Path data;

    private ManagementFixture fx;
    private ManagementClient client;

    @BeforeEach
    void open() throws Exception {
        fx = new ManagementFixture(data);
        client = fx.client();
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void healthNeedsNoCredentialsAndEverythingElseDoes() throws Exception {
        ManagementClient stranger = fx.client("guess");
        ManagementClient.Answer health = stranger.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("ok");
        assertThat(health.body().path("version").asText()).isEqualTo("test-version");

        ManagementClient.Answer refused = stranger.get("/services");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"sluice\""));
        assertThat(refused.error()).contains("sluice keys show");

        assertThat(client.get("/services").status()).isEqualTo(200);
        assertThat(fx.client(ManagementFixture.OTHER_KEY).get("/services").status()).as("the secondary key works too").isEqualTo(200);
    }

    @Test
    void anInstancesSamplesAreServedByTimeRangeToASignedInClientWithinBounds() throws Exception {
        fx.created("orders");
        org.sluice.runtime.FakeLauncher.Fake instance = fx.launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow();
        instance.emit(new org.sluice.runtime.InstanceEvent.Sampled(new org.sluice.throttle.InstanceSample(5_000, 69.9, 201, 2, 0, 0, 0, 0, 0, 0)));
        instance.emit(new org.sluice.runtime.InstanceEvent.Sampled(new org.sluice.throttle.InstanceSample(9_000, 12.0, 0, 2, 0, 0, 0, 0, 0, 0)));
        String path = "/services/orders/instances/1/samples";

        ManagementClient.Answer answer = client.get(path + "?from=1970-01-01T00:00:04Z&to=1970-01-01T00:00:06Z");
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().path("keptSince").asText()).isEqualTo("1970-01-01T00:00:05Z");
        assertThat(answer.body().path("samples")).singleElement().satisfies(s -> {
            assertThat(s.path("run").asInt()).isEqualTo(1);
            assertThat(s.path("time").asText()).isEqualTo("1970-01-01T00:00:05Z");
            assertThat(s.path("memoryPercent").asDouble()).isEqualTo(69.9);
            assertThat(s.path("messagesInProcess").asLong()).isEqualTo(201);
            assertThat(s.path("cores").asInt()).isEqualTo(2);
        });
        assertThat(ApiJson.readSampleWindow(client.get(path + "?from=1970-01-01T00:00:00Z").body()).samples())
                .as("up to now by default").hasSize(2);

        assertThat(fx.client("guess").get(path).status()).isEqualTo(401);
        assertThat(client.get(path + "?from=yesterday").body().path("parameter").asText()).isEqualTo("from");
        ManagementClient.Answer backwards = client.get(path + "?from=1970-01-01T00:00:06Z&to=1970-01-01T00:00:04Z");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.error()).contains("before it begins");
        assertThat(client.get("/services/orders/instances/8/samples").status()).isEqualTo(404);
        assertThat(client.get("/services/orders/instances/one/samples").status()).isEqualTo(404);
        assertThat(client.get("/services/nowhere/instances/0/samples").status()).isEqualTo(404);
        assertThat(client.post(path, null).status()).isEqualTo(405);
    }

    @Test
    void repeatedFailuresFromOneAddressAreAnsweredEverMoreSlowly() throws Exception {
        ManagementClient guesser = fx.client("wrong");
        for (int i = 0; i < 6; i++) {
            assertThat(guesser.get("/services").status()).isEqualTo(401);
        }
        assertThat(fx.pauses).containsExactly(250L, 500L, 1000L, 2000L, 4000L);

        assertThat(client.get("/services").status()).isEqualTo(200);
        assertThat(guesser.get("/services").status()).isEqualTo(401);
        assertThat(fx.pauses).as("signing in clears the count").hasSize(5);
    }

    @Test
    void createIsAcceptedWithARequestIdAndLoggedUnderTheIssuer() throws Exception {
        ManagementClient.Answer answer = client.post("/services", ManagementFixture.definition("orders"));

        assertThat(answer.status()).isEqualTo(202);
        String id = answer.body().path("requestId").asText();
        assertThat(answer.headers().firstValue("Request-Id")).hasValue(id);
        assertThat(answer.headers().firstValue("Location")).hasValue("/api/v1/operations/" + id);
        assertThat(fx.endOf(id).requester()).isEqualTo("owner");

        JsonNode operation = client.get("/operations/" + id).body();
        assertThat(operation.path("status").asText()).isEqualTo("Succeeded");
        assertThat(operation.path("issuer").asText()).isEqualTo("owner");
        assertThat(operation.path("operation").asText()).isEqualTo("Create");
        assertThat(operation.path("endedAt").asText()).endsWith("Z");

        JsonNode service = client.get("/services/orders").body();
        assertThat(service.path("state").asText()).isEqualTo("Active");
        assertThat(service.path("instances")).hasSize(2);
        assertThat(ApiJson.readService(service).definition()).isEqualTo(ApiJson.readDefinition(ManagementFixture.definition("orders")));
    }

    @Test
    void everyOperationOfTheChartRunsThroughTheApi() throws Exception {
        fx.created("orders");
        for (String op : List.of("stop", "start", "restart", "suspend", "resume", "backup", "serviceupdate")) {
            ManagementClient.Answer answer = client.post("/services/orders/" + op, null);
            assertThat(answer.status()).as(op + ": " + answer.body()).isEqualTo(202);
            assertThat(fx.endOf(answer.body().path("requestId").asText()).outcome()).as(op).isEqualTo(Outcome.SUCCEEDED);
        }
        ObjectNode units = ApiJson.MAPPER.createObjectNode().put("units", 3);
        assertThat(fx.endOf(client.put("/services/orders/units", units).body().path("requestId").asText()).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(fx.launcher.alive("orders")).hasSize(3);

        ObjectNode changed = ManagementFixture.definition("orders").put("memoryMb", 512);
        assertThat(fx.endOf(client.put("/services/orders/definition", changed).body().path("requestId").asText()).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(client.get("/services/orders/definition").body().path("memoryMb").asInt()).isEqualTo(512);

        JsonNode backups = client.get("/services/orders/backups").body();
        assertThat(backups).hasSize(1);
        ObjectNode restore = ApiJson.MAPPER.createObjectNode().put("name", "orders-copy");
        ManagementClient.Answer restored = client.post("/backups/" + backups.get(0).path("id").asText() + "/restore", restore);
        assertThat(fx.endOf(restored.body().path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(client.get("/services/orders-copy").body().path("state").asText()).isEqualTo("Suspended");

        JsonNode disabled = client.post("/account/disable", null).body().path("operations");
        assertThat(disabled).hasSize(2);
        for (JsonNode accepted : disabled) {
            assertThat(fx.endOf(accepted.path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        JsonNode enabled = client.post("/account/enable", null).body().path("operations");
        for (JsonNode accepted : enabled) {
            assertThat(fx.endOf(accepted.path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        assertThat(client.get("/services/orders").body().path("state").asText()).isEqualTo("Active");

        String deleted = client.delete("/services/orders-copy").body().path("requestId").asText();
        assertThat(fx.endOf(deleted).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(client.get("/services/orders-copy").status()).isEqualTo(404);

        JsonNode log = client.get("/operations?service=orders&operation=Start&limit=5").body();
        assertThat(log).hasSize(1);
        assertThat(log.get(0).path("operation").asText()).isEqualTo("Start");
        assertThat(client.get("/operations?outcome=Succeeded&limit=1000").body()).hasSizeGreaterThan(10);
    }

    @Test
    void aRefusedOperationIsA409ThatChangesNothing() throws Exception {
        fx.created("orders");
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
        ManagementClient second = fx.client(ManagementFixture.OTHER_KEY);
        try (ExecutorService racers = Executors.newFixedThreadPool(2)) {
            for (String name : List.of("race-a", "race-b", "race-c")) {
                fx.created(name);
                // A restart waits for its instances to stop, so the loser finds the service Restarting.
                fx.launcher.alive(name).forEach(FakeLauncher.Fake::holdStop);
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
        fx.created("orders");

        ManagementClient.Answer notJson = client.send("POST", "/services", ApiJson.MAPPER.getNodeFactory().textNode("x"));
        assertThat(notJson.status()).isEqualTo(400);

        ManagementClient.Answer broken = rawPost("/services", "{\"name\": \"a\",\n \"units\": }");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.error()).contains("not valid JSON", "line 2").doesNotContain("code 125", "token");

        ObjectNode invalid = ManagementFixture.definition("Bad Name").put("units", 12);
        ManagementClient.Answer problems = client.post("/services", invalid);
        assertThat(problems.status()).isEqualTo(400);
        assertThat(problems.body().path("problems").findValuesAsText("field")).contains("name", "units");

        ManagementClient.Answer huge = rawPost("/services", "{\"name\":\"" + "x".repeat(ManagementServer.MAX_BODY) + "\"}");
        assertThat(huge.status()).isEqualTo(413);

        assertThat(client.post("/services/nope/start", null).status()).isEqualTo(404);
        assertThat(client.post("/backups/nope/restore", ApiJson.MAPPER.createObjectNode().put("name", "x")).status()).isEqualTo(404);
        ManagementClient.Answer noOperation = client.get("/operations/nope");
        assertThat(noOperation.status()).isEqualTo(404);
        assertThat(noOperation.body().path("requestId").asText()).as("operation is a chart name elsewhere").isEqualTo("nope");
        assertThat(noOperation.body().has("operation")).isFalse();
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
        ManagementClient.Answer farFuture = client.get("/operations?from=%2B999999999-01-01T00:00:00Z");
        assertThat(farFuture.status()).as("a time past what the host can count is a bad parameter, not a failure").isEqualTo(400);
        assertThat(farFuture.body().path("parameter").asText()).isEqualTo("from");
        assertThat(client.post("/services", ManagementFixture.definition("orders")).status()).as("a name that exists").isEqualTo(409);

        ManagementClient.Answer twice = rawPut("/services/orders/units", "{\"units\": 3, \"units\": 5}");
        assertThat(twice.status()).as("a field given twice is not read as either").isEqualTo(400);
        assertThat(twice.error()).contains("'units'", "twice", "line 1");
        ManagementClient.Answer backwards = client.get("/services/orders/episodes?from=2026-12-06T00:00:00Z&to=2026-12-01T00:00:00Z");
        assertThat(backwards.status()).as("a range that ends before it begins is refused, not answered empty").isEqualTo(400);
        assertThat(backwards.error()).contains("give from before to");
        assertThat(client.get("/operations?from=2026-12-06T00:00:00Z&to=2026-12-01T00:00:00Z").status()).isEqualTo(400);

        JsonNode service = client.get("/services/orders").body();
        assertThat(service.path("state").asText()).isEqualTo("Active");
        assertThat(service.path("units").asInt()).isEqualTo(2);
        assertThat(client.get("/services").body()).hasSize(1);
    }

    private ManagementClient.Answer rawPut(String path, String text) throws Exception {
        JsonNode wrapped = ApiJson.MAPPER.getNodeFactory().rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(text));
        return client.send("PUT", path, wrapped);
    }

    private ManagementClient.Answer rawPost(String path, String text) throws Exception {
        JsonNode wrapped = ApiJson.MAPPER.getNodeFactory().rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(text));
        return client.send("POST", path, wrapped);
    }

    @Test
    void theEventStreamStartsWithASnapshotAndThenCarriesEachChange() throws Exception {
        fx.created("orders");
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
    void aClientWaitsForTheEndOfAnOperationThatEndedBeforeOrEndsLater() throws Exception {
        String create = fx.created("orders");
        ManagementClient.Answer ended = client.awaitEnd(create);
        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.body().path("status").asText()).isEqualTo("Succeeded");

        String stop = stopWaitedFor();

        assertThat(client.awaitEnd("no-such-request").status()).isEqualTo(404);
        assertThat(fx.client("wrong").awaitEnd(stop).status()).isEqualTo(401);
    }

    @Test
    void aClientRefusedAStreamLooksAgainUntilTheOperationEnds() throws Exception {
        fx.replace(fx.start(ManagementServer.Settings.defaults().withPause(fx.pauses::add)
                .withStreams(0, 0, 16, Duration.ofSeconds(15))));
        client = fx.client();
        fx.created("orders");
        HttpResponse<InputStream> refused = client.events();
        assertThat(refused.statusCode()).as("this host serves no event stream").isEqualTo(429);
        refused.body().close();

        stopWaitedFor();
    }

    /**
     * Stops {@code orders} while its instances hold the stop, which keeps the Stop running until
     * the host gives up on them, and waits for it through {@link ManagementClient#awaitEnd}: the
     * record it returns is the one the host ended with. Returns the request id.
     */
    private String stopWaitedFor() throws Exception {
        fx.launcher.alive("orders").forEach(FakeLauncher.Fake::holdStop);
        String stop = client.post("/services/orders/stop", null).body().path("requestId").asText();
        ManagementClient.Answer stopped = client.awaitEnd(stop);
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.body().path("requestId").asText()).isEqualTo(stop);
        assertThat(stopped.body().path("status").asText()).isEqualTo(ApiJson.word(fx.endOf(stop).outcome()));
        return stop;
    }

    @Test
    void aClientThatNeverReadsItsStreamIsDroppedAndOthersAreStillServed() throws Exception {
        fx.created("orders");
        // The events of this test are handed to the listener at once, on this thread, as fast as it can.
        AtomicReference<FleetListener> listener = new AtomicReference<>();
        Fleet local = fx.fleet("owner");
        Fleet capturing = (Fleet) Proxy.newProxyInstance(Fleet.class.getClassLoader(), new Class<?>[] {Fleet.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("subscribe")) {
                        listener.set((FleetListener) args[0]);
                        return (Subscription) () -> { };
                    }
                    return method.invoke(local, args);
                });
        // The host's clock moves a second with each event, so that a client taking nothing is past the stall limit soon.
        AtomicLong now = new AtomicLong();
        ManagementServer.Settings defaults = ManagementServer.Settings.defaults().withStreams(4, 2, 16, Duration.ofSeconds(15));
        ManagementServer.Settings settings = new ManagementServer.Settings(defaults.maxStreams(), defaults.maxStreamsPerAddress(),
                defaults.streamQueue(), defaults.keepAlive(), defaults.firstFailurePause(), defaults.maxFailurePause(), defaults.pause(), now::get);
        fx.replace(ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), fx.certificate.sslContext(),
                (issuer, key) -> key.equals(ManagementFixture.KEY), issuer -> capturing, "test-version", settings));
        client = fx.client();

        SSLSocket stuck = (SSLSocket) PinnedCertificate.pinned(fx.certificate.fingerprint()).context().getSocketFactory()
                .createSocket("127.0.0.1", fx.server().port());
        OutputStream out = stuck.getOutputStream();
        String auth = Base64.getEncoder().encodeToString(("owner:" + ManagementFixture.KEY).getBytes(StandardCharsets.UTF_8));
        out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(stuck.getInputStream().read()).as("the stream opened").isNotNegative();
        assertThat(fx.server().openStreams()).isEqualTo(1);

        long emitted = 0;
        while (fx.server().openStreams() > 0 && emitted < 5_000_000) {
            listener.get().onEvent(new FleetEvent.InstanceSampled("orders", 0,
                    new InstanceSample(emitted, 10, 1, 1, emitted, emitted, 0, 0, 1, 2)));
            now.addAndGet(1_000);
            emitted++;
        }
        assertThat(fx.server().awaitOpenStreams(0, Duration.ofSeconds(10))).as("the stuck stream is dropped").isTrue();

        assertThat(client.get("/services").status()).isEqualTo(200);
        HttpResponse<InputStream> fresh = client.events();
        assertThat(fresh.statusCode()).as("a client that reads gets a stream").isEqualTo(200);
        fresh.body().close();
        stuck.close();
    }

    @Test
    void eventStreamsAreBoundedInAll() throws Exception {
        fx.replace(fx.start(ManagementServer.Settings.defaults().withPause(fx.pauses::add).withStreams(1, 2, 16, Duration.ofSeconds(15))));
        client = fx.client();
        HttpResponse<InputStream> one = client.events();
        HttpResponse<InputStream> two = client.events();
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(two.statusCode()).isEqualTo(429);
        assertThat(new String(two.body().readAllBytes(), StandardCharsets.UTF_8)).contains("\"error\"");
        one.body().close();
    }

    /**
     * A client that vanished without closing its connection (a laptop put to sleep, a dropped NAT
     * entry) keeps its stream open on the host until TCP gives up, a quarter of an hour later. When
     * its address is at its limit, the next stream it opens takes the place of its oldest one
     * instead of being refused, so coming back after a sleep works at once.
     */
    @Test
    void aNewStreamFromAnAddressAtItsLimitTakesThePlaceOfItsOldest() throws Exception {
        fx.replace(fx.start(ManagementServer.Settings.defaults().withPause(fx.pauses::add).withStreams(4, 2, 16, Duration.ofSeconds(15))));
        client = fx.client();
        HttpResponse<InputStream> one = client.events();
        HttpResponse<InputStream> two = client.events();
        HttpResponse<InputStream> three = client.events();
        assertThat(List.of(one.statusCode(), two.statusCode(), three.statusCode())).containsOnly(200);

        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> oldest = reader.submit(() -> one.body().readAllBytes());
            assertThat(new String(oldest.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .as("the oldest stream got its snapshot, then ended").startsWith("event: snapshot");
        } finally {
            reader.shutdownNow();
        }
        assertThat(fx.server().awaitOpenStreams(2, Duration.ofSeconds(10))).isTrue();
        two.body().close();
        three.body().close();
    }

    @Test
    void theHostResourceSaysWhetherItsEngineIsAvailableSinceWhenAndWhyNot() throws Exception {
        ManagementClient.Answer local = client.get("/host");
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.body().path("engine").path("kind").asText()).isEqualTo("local");
        assertThat(local.body().path("engine").path("available").asBoolean()).isTrue();
        assertThat(local.body().path("engine").path("reason").isNull()).isTrue();

        fx.launcher.engine(org.sluice.lifecycle.EngineStatus.unavailable(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES,
                "The Kubernetes API server could not be reached: check --kubeconfig", 1_700_000_000_000L));
        com.fasterxml.jackson.databind.JsonNode engine = client.get("/host").body().path("engine");
        assertThat(engine.path("kind").asText()).isEqualTo("kubernetes");
        assertThat(engine.path("available").asBoolean()).isFalse();
        assertThat(engine.path("reason").asText()).isEqualTo("The Kubernetes API server could not be reached: check --kubeconfig");
        assertThat(engine.path("since").asText()).isEqualTo("2023-11-14T22:13:20Z");
    }
}
