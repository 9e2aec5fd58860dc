package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.runtime.store.Store;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.InstanceEpisode;

/** The host with real role-instance processes, a real front door and real destinations, on loopback. */
@Timeout(120)
class HostEndToEndTest {
    private static final String BUSY = "Server is busy. Please try again.";

    @TempDir
    Path temp;

    private RealHost real;
    private Store journal;
    private final HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
    private Host host;
    private FrontDoor door;
    private HeldDestination destination;
    private final CountDownLatch episodeRecorded = new CountDownLatch(1);

    @BeforeEach
    void open() throws IOException {
        real = new RealHost(temp, new HostTest.RecordingListener() {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (event instanceof InstanceEvent.EpisodeEnded) {
                    episodeRecorded.countDown();
                }
            }
        });
        journal = real.journal;
        host = real.host;
        door = real.door;
    }

    @AfterEach
    void close() {
        if (destination != null) {
            destination.close();
        }
        real.close();
    }

    private HttpResponse<String> post(String service, String body) throws IOException, InterruptedException {
        return client.send(request(service, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String service, String body) {
        return HttpRequest.newBuilder(URI.create(door.endpoint(service))).timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static OperationRecord done(Host.Accepted accepted) throws Exception {
        return accepted.completion().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aMessageTravelsFromTheFrontDoorToTheOutboxAndOperationsDriveRealProcesses() throws Exception {
        Path outbox = temp.resolve("outbox");
        ServiceDefinition orders = new ServiceDefinition("orders", 2, 1, 128, Validation.JSON, null, null, "dir:" + outbox);
        CountDownLatch latencyReported = new CountDownLatch(1);
        host.addListener(new HostTest.RecordingListener() {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (event instanceof InstanceEvent.Sampled sampled
                        && sampled.latency().map(LatencyHistogram::count).orElse(0L) >= 1) {
                    latencyReported.countDown();
                }
            }
        });
        assertThat(done(host.create(orders, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);

        HttpResponse<String> delivered = post("orders", "{\"order\":1}");
        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(latencyReported.await(10, TimeUnit.SECONDS))
                .as("the instance's samples bring the message's latency to the host").isTrue();
        assertThat(delivered.body()).contains("messageId");
        try (Stream<Path> files = Files.list(outbox)) {
            assertThat(files.filter(f -> f.toString().endsWith(".msg")).toList()).singleElement()
                    .satisfies(f -> assertThat(Files.readString(f)).isEqualTo("{\"order\":1}"));
        }
        assertThat(post("orders", "{not json").statusCode()).isEqualTo(400);

        assertThat(done(host.perform("orders", Operation.SUSPEND, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(post("orders", "{}").statusCode()).isEqualTo(409);
        assertThat(done(host.perform("orders", Operation.RESUME, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(post("orders", "{}").statusCode()).isEqualTo(200);

        // A transform that does not compile: the new configuration does not start and is rolled back.
        Path notXslt = Files.writeString(temp.resolve("broken.xsl"), "this is not a stylesheet");
        ServiceDefinition broken = new ServiceDefinition("orders", 2, 1, 128, Validation.JSON, notXslt.toString(), null, "dir:" + outbox);
        OperationRecord failed = done(host.updateConfiguration("orders", broken, "test"));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("does not compile"));
        assertThat(host.service("orders").orElseThrow().state()).isEqualTo(ServiceState.CONFIG_UPDATE_FAILED);
        assertThat(host.service("orders").orElseThrow().definition()).isEqualTo(orders);

        assertThat(done(host.perform("orders", Operation.RESTART, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(post("orders", "{}").statusCode()).isEqualTo(200);
        assertThat(done(host.perform("orders", Operation.STOP, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(host.service("orders").orElseThrow().instances()).isEmpty();
        assertThat(post("orders", "{}").statusCode()).isEqualTo(409);
    }

    @Test
    void aBurstThrottlesAOneCoreInstanceWhichRecoversAndTheEpisodeIsRecorded() throws Exception {
        destination = new HeldDestination(300);
        ServiceDefinition slow = new ServiceDefinition("slow", 1, 1, 128, Validation.NONE, null, null, destination.url());
        assertThat(done(host.create(slow, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);

        int burst = 180;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            answers.add(client.sendAsync(request("slow", "message " + i), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(destination.awaitReceived(100, 60, TimeUnit.SECONDS)).as("100 messages in process at the destination").isTrue();
        destination.release();
        List<HttpResponse<String>> all = answers.stream().map(CompletableFuture::join).toList();

        List<HttpResponse<String>> busy = all.stream().filter(r -> r.statusCode() == 503).toList();
        assertThat(busy).isNotEmpty();
        assertThat(busy).allSatisfy(r -> {
            assertThat(r.body()).isEqualTo(BUSY);
            assertThat(r.headers().firstValue("Retry-After")).as("through the front door, exactly as the instance said it").contains("1");
        });
        assertThat(all).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 503));
        assertThat(all.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(destination.received().size());

        assertThat(episodeRecorded.await(30, TimeUnit.SECONDS)).as("the throttle episode ended").isTrue();
        InstanceEpisode episode = journal.episodes("slow", 0, Long.MAX_VALUE).get(0);
        assertThat(episode.instance()).isZero();
        assertThat(episode.episode().causes()).contains(Cause.CONCURRENCY);
        assertThat(episode.episode().durationMs()).isPresent();

        assertThat(post("slow", "after the storm").statusCode()).isEqualTo(200);
    }

    @Test
    void oneInstanceThrottlesWhileItsSiblingStaysNormalAndTakesMessages() throws Exception {
        destination = new HeldDestination(400);
        ServiceDefinition pair = new ServiceDefinition("pair", 2, 1, 128, Validation.NONE, null, null, destination.url());
        assertThat(done(host.create(pair, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        CountDownLatch firstThrottled = new CountDownLatch(1);
        host.addListener(new HostTest.RecordingListener() {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (event instanceof InstanceEvent.Throttle t && instance.index() == 0 && t.transition().entersThrottled()) {
                    firstThrottled.countDown();
                }
            }
        });
        int[] ports = new int[2];
        for (int i = 0; i < 4; i++) {
            Host.Route.To to = (Host.Route.To) host.route("pair");
            ports[to.instance()] = to.port();
        }

        // The burst goes to instance 0 alone, past the front door.
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            burst.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/messages"))
                    .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString("burst " + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(firstThrottled.await(60, TimeUnit.SECONDS)).as("instance 0 throttled").isTrue();
        int heldBefore = destination.received().size();

        CompletableFuture<HttpResponse<String>> sibling = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports[1] + "/messages")).timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString("to the sibling")).build(), HttpResponse.BodyHandlers.ofString());

        // Burst messages may still arrive in between: wait for the sibling's own.
        for (int seen = heldBefore + 1; !destination.received().contains("to the sibling"); seen++) {
            assertThat(destination.awaitReceived(seen, 60, TimeUnit.SECONDS)).as("the sibling took it and delivered it").isTrue();
        }
        List<InstanceView> instances = host.service("pair").orElseThrow().instances();
        assertThat(instances.get(0).throttle()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(instances.get(1).throttle()).isEqualTo(ThrottleState.NORMAL);
        destination.release();
        assertThat(sibling.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(burst.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 503)).isNotEmpty();
    }
}
