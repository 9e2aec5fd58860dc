package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

import com.sun.net.httpserver.HttpServer;

/**
 * A real instance process with one core whose destination holds every message until the test
 * lets go: a burst of more than 100 messages throttles it, and it recovers once the load ends.
 */
@Timeout(60)
class InstanceProcessEndToEndTest {
    private static final int BURST = 180;

    @TempDir
    Path temp;

    private Process process;
    private HttpServer destination;
    private ExecutorService destinationThreads;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch received = new CountDownLatch(1);
    private final EventLog events = new EventLog();

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (destination != null) {
            destination.stop(0);
        }
        if (destinationThreads != null) {
            destinationThreads.shutdownNow();
        }
    }

    /** Every event the instance printed, and any line that was not one. */
    private static final class EventLog {
        private final List<ProtocolEvent> seen = new ArrayList<>();
        private final List<String> strayLines = new ArrayList<>();

        synchronized void add(String line) {
            try {
                seen.add(ProtocolEvents.parse(line));
            } catch (ProtocolEvents.MalformedEventException e) {
                strayLines.add(line);
            }
            notifyAll();
        }

        synchronized <T extends ProtocolEvent> T await(Class<T> type, Predicate<T> condition, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (ProtocolEvent event : seen) {
                    if (type.isInstance(event) && condition.test(type.cast(event))) {
                        return type.cast(event);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " event as expected within " + timeout
                            + "; seen: " + seen.stream().filter(e -> !(e instanceof ProtocolEvent.Sampled)).toList());
                }
                wait(left);
            }
        }

        synchronized List<String> strayLines() {
            return List.copyOf(strayLines);
        }
    }

    private URI startSlowDestination() throws IOException {
        destinationThreads = Executors.newCachedThreadPool();
        destination = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        destination.createContext("/in", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                received.countDown();
                boolean released = release.await(30, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(released ? 200 : 504, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        destination.setExecutor(destinationThreads);
        destination.start();
        return URI.create("http://127.0.0.1:" + destination.getAddress().getPort() + "/in");
    }

    private void launch(Path definition, String... more) throws IOException {
        launch(definition, Map.of(), more);
    }

    private void launch(Path definition, Map<String, String> environment, String... more) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-XX:ActiveProcessorCount=1",
                "-cp", System.getProperty("java.class.path"), "org.sluice.cli.SluiceMain",
                "instance", "--definition", definition.toString(), "--index", "0", "--work", temp.resolve("work").toString()));
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(InstanceProcess.TOKEN_VARIABLE);
        builder.environment().putAll(environment);
        builder.redirectError(temp.resolve("stderr.txt").toFile());
        process = builder.start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = stdout.readLine()) != null) {
                    events.add(line);
                }
            } catch (IOException e) {
                events.add("stdout failed: " + e);
            }
        }, "instance-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    @Test
    void aBurstThrottlesTheInstanceWhichRecoversWhenTheLoadEnds() throws Exception {
        URI target = startSlowDestination();
        Path definition = Files.writeString(temp.resolve("orders.json"),
                "{\"name\":\"orders\",\"validate\":\"none\",\"destination\":\"" + target + "\"}");
        launch(definition);

        ProtocolEvent.Ready ready = events.await(ProtocolEvent.Ready.class, r -> true, Duration.ofSeconds(15));
        assertThat(ready.pid()).isEqualTo(process.pid());
        URI messages = URI.create("http://127.0.0.1:" + ready.port() + "/messages");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        CountDownLatch firstBusy = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            HttpRequest post = HttpRequest.newBuilder(messages).timeout(Duration.ofSeconds(40))
                    .POST(HttpRequest.BodyPublishers.ofString("message " + i)).build();
            answers.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (r != null && r.statusCode() == 503) {
                    firstBusy.countDown();
                }
            }));
        }
        assertThat(firstBusy.await(20, TimeUnit.SECONDS)).as("a message refused as busy").isTrue();
        ProtocolEvent.Throttle throttled = events.await(ProtocolEvent.Throttle.class,
                t -> t.state() == ThrottleState.THROTTLED, Duration.ofSeconds(5));
        assertThat(throttled.causes()).contains(Cause.CONCURRENCY);

        release.countDown();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            responses.add(answer.get());
        }
        List<HttpResponse<String>> busy = responses.stream().filter(r -> r.statusCode() == 503).toList();
        assertThat(busy).isNotEmpty().allSatisfy(r -> {
            assertThat(r.body()).isEqualTo("Server is busy. Please try again.");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        });
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 503));
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isGreaterThanOrEqualTo(100);

        ProtocolEvent.Episode episode = events.await(ProtocolEvent.Episode.class, e -> true, Duration.ofSeconds(10));
        assertThat(episode.causes()).contains(Cause.CONCURRENCY);
        assertThat(episode.durationMs()).isGreaterThanOrEqualTo(0);
        assertThat(episode.startMs()).isEqualTo(throttled.timeMs());

        HttpResponse<String> after = client.send(HttpRequest.newBuilder(messages).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("after")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).matches("\\{\"messageId\":\"[0-9a-f-]{36}\",\"instance\":0}");

        ProtocolEvent.Sampled counted = events.await(ProtocolEvent.Sampled.class,
                s -> s.processed() == BURST - busy.size() + 1, Duration.ofSeconds(5));
        assertThat(counted.refusedBusy()).isEqualTo(busy.size());
        assertThat(counted.cores()).isEqualTo(1);

        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
        }
        events.await(ProtocolEvent.Stopped.class, s -> true, Duration.ofSeconds(15));
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(events.strayLines()).isEmpty();
    }

    @Test
    void anInvalidDefinitionPrintsAProblemAndNoReady() throws Exception {
        Path definition = Files.writeString(temp.resolve("bad.json"),
                "{\"name\":\"orders\",\"units\":0,\"destination\":\"dir:" + temp.resolve("out") + "\"}");
        launch(definition);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(InstanceProcess.START_FAILED);
        ProtocolEvent.Problem problem = events.await(ProtocolEvent.Problem.class, p -> true, Duration.ofSeconds(5));
        assertThat(problem.message()).contains("units");
        synchronized (events) {
            assertThat(events.seen).noneMatch(e -> e instanceof ProtocolEvent.Ready);
        }
    }

    @Test
    void aNetworkedInstanceWithoutTheTokenInItsEnvironmentRefusesToStart() throws Exception {
        Path definition = Files.writeString(temp.resolve("orders.json"),
                "{\"name\":\"orders\",\"validate\":\"none\",\"destination\":\"dir:" + temp.resolve("out") + "\"}");
        launch(definition, "--transport", "network", "--bind", "127.0.0.1", "--port", "0");

        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(InstanceProcess.START_FAILED);
        ProtocolEvent.Problem problem = events.await(ProtocolEvent.Problem.class, p -> true, Duration.ofSeconds(5));
        assertThat(problem.message()).contains(InstanceProcess.TOKEN_VARIABLE);
        assertThat(Files.readString(temp.resolve("stderr.txt"))).contains(InstanceProcess.TOKEN_VARIABLE);
    }

    @Test
    void aNetworkedInstanceToldToEndBySigtermLetsTheMessageInProcessFinishFirst() throws Exception {
        URI target = startSlowDestination();
        Path definition = Files.writeString(temp.resolve("orders.json"),
                "{\"name\":\"orders\",\"validate\":\"none\",\"destination\":\"" + target + "\"}");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String token = "sigterm-test-token-0123456789";
        launch(definition, Map.of(InstanceProcess.TOKEN_VARIABLE, token),
                "--transport", "network", "--bind", "127.0.0.1", "--port", Integer.toString(port));
        List<org.sluice.runtime.InstanceEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.sluice.runtime.RoleInstance instance = new org.sluice.runtime.NetworkInstanceConnector(
                new org.sluice.runtime.NetworkInstanceConnector.Reconnect(20, Duration.ofMillis(200), Duration.ofSeconds(1),
                        Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .connect("orders", 0, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), token, heard::add);
        instance.ready().get(30, TimeUnit.SECONDS);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages")).timeout(Duration.ofSeconds(40))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"held\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(received.await(20, TimeUnit.SECONDS)).as("the message reached its destination").isTrue();

        process.destroy(); // SIGTERM, as Kubernetes sends a pod it deletes
        release.countDown();

        assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).as("the message in process was answered").isEqualTo(200);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(temp.resolve("stderr.txt"))).contains("stopping");
    }
}
