package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.sluice.runtime.instance.InstanceProcess;
import org.sluice.runtime.instance.ProtocolEvent;
import org.sluice.runtime.instance.ProtocolEvents;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The instance protocol over the network, the instance run in the test's JVM and served on loopback. */
class NetworkInstanceProtocolTest extends InstanceProtocolContract {
    static final String TOKEN = "s3cret-token-of-orders";
    /** Quick to give up, so that a lost stream is reported within the test. */
    static final NetworkInstanceConnector.Reconnect QUICK = new NetworkInstanceConnector.Reconnect(2,
            Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(2));

    private final NetworkInstanceConnector connector = new NetworkInstanceConnector(QUICK);

    @Override
    RoleInstance start(Path definition, InstanceProcess.Options options, Recorder listener) throws Exception {
        InProcessInstance instance = InProcessInstance.network(definition, 0, temp.resolve("work"), options, TOKEN,
                Duration.ofSeconds(20));
        return connector.connect("orders", 0, instance.address(WAIT), TOKEN, listener);
    }

    @Override
    RoleInstance scripted(List<String> lines, Recorder listener) throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        HttpServer stub = stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            await(end);
            out.close();
        });
        closing.add(end::countDown);
        return connector.connect("orders", 0, stub.getAddress(), TOKEN, listener);
    }

    private interface Stream {
        void serve(HttpExchange exchange) throws IOException;
    }

    /** A stand-in instance on loopback that serves its event stream as {@code stream} says. */
    private HttpServer stub(Stream stream) throws IOException {
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        stub.createContext("/protocol/events", exchange -> stream.serve(exchange));
        stub.setExecutor(Executors.newCachedThreadPool());
        stub.start();
        closing.add(() -> stub.stop(0));
        return stub;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> request(InetSocketAddress at, String method, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + InstanceAddresses.hostHeader(at) + path))
                .timeout(WAIT).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWithoutTheTokenOrWithAWrongOneIsRefusedAndChangesNothing() throws Exception {
        Recorder events = new Recorder();
        RoleInstance instance = startAndTrack(toFolder(), InstanceProcess.Options.stdio(false), events);
        instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        InetSocketAddress at = instance.address().orElseThrow();

        HttpResponse<String> without = request(at, "POST", "/protocol/suspend", null);
        HttpResponse<String> wrong = request(at, "POST", "/protocol/suspend", "Bearer " + TOKEN + "x");
        HttpResponse<String> otherScheme = request(at, "POST", "/protocol/stop", "Basic " + TOKEN);
        HttpResponse<String> follow = request(at, "GET", "/protocol/events", "Bearer wrong");

        assertThat(List.of(without, wrong, otherScheme, follow)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(r.body()).doesNotContain(TOKEN);
        });
        assertThat(post(instance, "{\"still\":\"open\"}").statusCode()).as("the gate did not close").isEqualTo(200);
        assertThat(instance.isAlive()).isTrue();
        assertThat(request(at, "POST", "/protocol/suspend", "Bearer " + TOKEN).statusCode()).isEqualTo(204);
        assertThat(post(instance, "{\"now\":\"closed\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void connectingWithAWrongTokenFailsAtOnceAndSaysSo() throws Exception {
        InProcessInstance instance = InProcessInstance.network(toFolder(), 0, temp.resolve("work"),
                InstanceProcess.Options.stdio(false), TOKEN, Duration.ofSeconds(20));
        InetSocketAddress at = instance.address(WAIT);
        RoleInstance followed = connector.connect("orders", 0, at, TOKEN, new Recorder());
        started.add(followed);
        // Ready first: an instance refuses stop (409) until it is, and the test's end stops it.
        followed.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThatThrownBy(() -> connector.connect("orders", 0, at, "not-the-token", new Recorder()))
                .isInstanceOf(IOException.class).hasMessageContaining("refused the service's token");
    }

    @Test
    void aNetworkedInstanceWithoutATokenRefusesToStart() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int status;
        try (PrintWriter out = new PrintWriter(stdout, true, StandardCharsets.UTF_8)) {
            status = InstanceProcess.run(temp.resolve("never-read.json"), 0, temp.resolve("work"), InputStream.nullInputStream(),
                    out, InstanceProcess.Options.stdio(false).networked(new InstanceProcess.Network(
                            InetAddress.getLoopbackAddress(), 0, " ", Duration.ofSeconds(1),
                            bound -> { throw new AssertionError("listened without a token on " + bound); })));
        }

        assertThat(status).isEqualTo(InstanceProcess.START_FAILED);
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .startsWith("{\"event\":\"problem\"").contains(InstanceProcess.TOKEN_VARIABLE);
    }

    @Test
    void aLateFollowerLearnsReadyAndTheGateFirst() throws Exception {
        Recorder first = new Recorder();
        InProcessInstance instance = InProcessInstance.network(toFolder(), 0, temp.resolve("work"),
                InstanceProcess.Options.stdio(true), TOKEN, Duration.ofSeconds(20));
        RoleInstance followed = connector.connect("orders", 0, instance.address(WAIT), TOKEN, first);
        started.add(followed);
        followed.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.await(InstanceEvent.Sampled.class, s -> true);

        HttpRequest late = HttpRequest.newBuilder(URI.create("http://" + InstanceAddresses.hostHeader(instance.address(WAIT))
                + "/protocol/events")).header("Authorization", "Bearer " + TOKEN).build();
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(late, HttpResponse.BodyHandlers.ofLines());
        List<String> opening = stream.body().limit(3).toList();

        assertThat(opening.get(0)).startsWith("{\"event\":\"ready\"");
        assertThat(ProtocolEvents.parseNumbered(opening.get(1)).event()).isEqualTo(new ProtocolEvent.Gate(false));
        assertThat(opening.get(2)).startsWith("{\"event\":\"sample\"");
    }

    @Test
    void aStreamThatBreaksIsFollowedAgainAndItsReplayIsNotTakenForNews() throws Exception {
        AtomicInteger streams = new AtomicInteger();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        String ready = "{\"event\":\"ready\",\"port\":4711,\"pid\":7}";
        String gate = "{\"event\":\"gate\",\"open\":true}";
        HttpServer stub = stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write((ready + "\n" + gate + "\n").getBytes(StandardCharsets.UTF_8));
            if (streams.incrementAndGet() == 1) {
                out.flush();
                // Cut off without the chunked body's end: a broken connection, not an instance that ended its stream.
                throw new IOException("the stub breaks its first stream");
            }
            out.write("{\"event\":\"problem\",\"message\":\"second stream\"}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(end);
            out.close();
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);

        events.await(InstanceEvent.Problem.class, p -> p.message().equals("second stream"));

        assertThat(streams.get()).isEqualTo(2);
        assertThat(events.all(InstanceEvent.Ready.class)).as("the replayed ready is not passed on again").hasSize(1);
        assertThat(events.all(InstanceEvent.Exited.class)).isEmpty();
        assertThat(instance.isAlive()).isTrue();
    }

    @Test
    void aStreamFollowedAgainAsksForTheLinesAfterTheLastItReadAndPassesNoneOnTwice() throws Exception {
        List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        String episode = "{\"event\":\"episode\",\"startMs\":1,\"endMs\":2,\"causes\":[\"MEMORY\"],\"seq\":2}";
        HttpServer stub = stub(exchange -> {
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            exchange.getResponseHeaders().set("Sluice-Run", "run-1");
            if (queries.size() == 1) {
                exchange.getResponseHeaders().set("Sluice-Seq", "0");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write(("{\"event\":\"ready\",\"port\":4711,\"pid\":7,\"seq\":1}\n" + episode + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new IOException("the stub breaks its first stream");
            }
            exchange.getResponseHeaders().set("Sluice-Resume", "resumed");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            // One line too many: the host has read it already.
            out.write((episode + "\n{\"event\":\"problem\",\"message\":\"after the break\",\"seq\":3}\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(end);
            out.close();
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        closing.add(instance::kill);

        events.await(InstanceEvent.Problem.class, p -> p.message().equals("after the break"));

        assertThat(queries).containsExactly("null", "run=run-1&after=2");
        assertThat(events.all(InstanceEvent.EpisodeEnded.class)).hasSize(1);
    }

    @Test
    void aStreamThatBreaksBeforeItsStateIsReadAsksForTheStateAgainAndThenResumesAfterItsLastLiveLine() throws Exception {
        List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        HttpServer stub = stub(exchange -> {
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            exchange.getResponseHeaders().set("Sluice-Run", "run-1");
            OutputStream out = exchange.getResponseBody();
            switch (queries.size()) {
                case 1 -> {
                    // The head says the state ends at line 3, then the stream breaks before any of it.
                    exchange.getResponseHeaders().set("Sluice-Seq", "3");
                    exchange.sendResponseHeaders(200, 0);
                    out.flush();
                    throw new IOException("the stub breaks its first stream before its first line");
                }
                case 2 -> {
                    exchange.getResponseHeaders().set("Sluice-Seq", "3");
                    exchange.sendResponseHeaders(200, 0);
                    out.write(("{\"event\":\"ready\",\"port\":4711,\"pid\":7,\"seq\":1}\n"
                            + "{\"event\":\"problem\",\"message\":\"state\",\"seq\":3}\n"
                            + "{\"event\":\"problem\",\"message\":\"live\",\"seq\":4}\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw new IOException("the stub breaks its second stream after a live line");
                }
                default -> {
                    exchange.getResponseHeaders().set("Sluice-Resume", "resumed");
                    exchange.sendResponseHeaders(200, 0);
                    out.write("{\"event\":\"problem\",\"message\":\"after the break\",\"seq\":5}\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    await(end);
                    out.close();
                }
            }
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        closing.add(instance::kill);

        events.await(InstanceEvent.Problem.class, p -> p.message().equals("after the break"));

        assertThat(queries).as("no line of the state was read: the state is asked for again, not the lines after 3")
                .containsExactly("null", "null", "run=run-1&after=4");
        assertThat(events.all(InstanceEvent.Ready.class)).hasSize(1);
        assertThat(instance.ready()).isCompleted();
    }

    @Test
    void anInstanceThatRestartedWhileItsStreamWasBrokenHasExitedAndItsNewRunIsNotPassedOnAsTheOld() throws Exception {
        ListAppender<ILoggingEvent> logged = CapturedLog.of(NetworkInstanceConnector.class, closing);
        List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        HttpServer stub = stub(exchange -> {
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            OutputStream out = exchange.getResponseBody();
            if (queries.size() == 1) {
                exchange.getResponseHeaders().set("Sluice-Run", "run-1");
                exchange.getResponseHeaders().set("Sluice-Seq", "0");
                exchange.sendResponseHeaders(200, 0);
                out.write(("{\"event\":\"ready\",\"port\":4711,\"pid\":7,\"seq\":1}\n"
                        + "{\"event\":\"gate\",\"open\":false,\"seq\":2}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new IOException("the stub's process dies");
            }
            // The process that took its place: another run, its gate as it was launched.
            exchange.getResponseHeaders().set("Sluice-Run", "run-2");
            exchange.getResponseHeaders().set("Sluice-Resume", "other-run");
            exchange.getResponseHeaders().set("Sluice-Seq", "2");
            exchange.getResponseHeaders().set("Sluice-State-Lines", "2");
            exchange.sendResponseHeaders(200, 0);
            out.write(("{\"event\":\"ready\",\"port\":4711,\"pid\":8,\"seq\":1}\n"
                    + "{\"event\":\"gate\",\"open\":true,\"seq\":2}\n"
                    + "{\"event\":\"problem\",\"message\":\"of the new run\",\"seq\":3}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(end);
            out.close();
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        closing.add(instance::kill);

        InstanceEvent.Exited exited = events.await(InstanceEvent.Exited.class, e -> true);

        assertThat(exited).isEqualTo(new InstanceEvent.Exited(-1, false));
        assertThat(queries).containsExactly("null", "run=run-1&after=2");
        assertThat(events.all(InstanceEvent.Ready.class)).singleElement().satisfies(r -> assertThat(r.pid()).isEqualTo(7));
        assertThat(events.all(InstanceEvent.Problem.class)).as("nothing of the new run is told as the old one's").isEmpty();
        assertThat(instance.isAlive()).isFalse();
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("orders instance 0").contains("restarted"));
    }

    @Test
    void anInstanceThatRestartedWhileItsStateWasBeingReadHasExitedToo() throws Exception {
        List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        HttpServer stub = stub(exchange -> {
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            OutputStream out = exchange.getResponseBody();
            exchange.getResponseHeaders().set("Sluice-Seq", "2");
            exchange.getResponseHeaders().set("Sluice-State-Lines", "2");
            if (queries.size() == 1) {
                // The stream is cut after the first of its two lines of state, and the process dies.
                exchange.getResponseHeaders().set("Sluice-Run", "run-1");
                exchange.sendResponseHeaders(200, 0);
                out.write("{\"event\":\"ready\",\"port\":4711,\"pid\":7,\"seq\":1}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new IOException("the stub's process dies");
            }
            exchange.getResponseHeaders().set("Sluice-Run", "run-2");
            exchange.sendResponseHeaders(200, 0);
            out.write(("{\"event\":\"ready\",\"port\":4711,\"pid\":8,\"seq\":1}\n"
                    + "{\"event\":\"gate\",\"open\":true,\"seq\":2}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(end);
            out.close();
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        closing.add(instance::kill);

        InstanceEvent.Exited exited = events.await(InstanceEvent.Exited.class, e -> true);

        assertThat(exited).isEqualTo(new InstanceEvent.Exited(-1, false));
        assertThat(queries).as("the state was not all read: it is asked for again").containsExactly("null", "null");
        assertThat(events.all(InstanceEvent.Ready.class)).singleElement().satisfies(r -> assertThat(r.pid()).isEqualTo(7));
    }

    @Test
    void aLineCutInHalfByABrokenStreamIsNotTakenAndComesWholeOnceAfterIt() throws Exception {
        List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        String two = "{\"event\":\"problem\",\"message\":\"two\",\"seq\":2}\n";
        HttpServer stub = stub(exchange -> {
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            exchange.getResponseHeaders().set("Sluice-Run", "run-1");
            OutputStream out = exchange.getResponseBody();
            if (queries.size() == 1) {
                exchange.getResponseHeaders().set("Sluice-Seq", "0");
                exchange.sendResponseHeaders(200, 0);
                out.write("{\"event\":\"ready\",\"port\":4711,\"pid\":7,\"seq\":1}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                // Half a line, in a chunk of its own, then the connection goes.
                out.write(two.substring(0, 20).getBytes(StandardCharsets.UTF_8));
                out.flush();
                throw new IOException("the stub's connection breaks within a line");
            }
            exchange.getResponseHeaders().set("Sluice-Resume", "resumed");
            exchange.sendResponseHeaders(200, 0);
            out.write((two + "{\"event\":\"problem\",\"message\":\"three\",\"seq\":3}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(end);
            out.close();
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        closing.add(instance::kill);

        events.await(InstanceEvent.Problem.class, p -> p.message().equals("three"));

        assertThat(queries).containsExactly("null", "run=run-1&after=1");
        assertThat(events.all(InstanceEvent.Problem.class)).extracting(InstanceEvent.Problem::message).containsExactly("two", "three");
    }

    @Test
    void theHostsWordsNameTheRunItFollowsSoThatAProcessInItsPlaceCanRefuseThem() throws Exception {
        List<String> words = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        HttpServer stub = stub(exchange -> {
            exchange.getResponseHeaders().set("Sluice-Run", "run-1");
            exchange.getResponseHeaders().set("Sluice-Seq", "1");
            exchange.getResponseHeaders().set("Sluice-State-Lines", "1");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"event\":\"ready\",\"port\":4711,\"pid\":7,\"seq\":1}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(end);
            out.close();
        });
        for (String word : List.of("suspend", "stop")) {
            stub.createContext("/protocol/" + word, exchange -> {
                words.add(word + "?" + exchange.getRequestURI().getRawQuery());
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
        }
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        instance.suspend().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(words).containsExactly("suspend?run=run-1");
    }

    @Test
    void aStreamThatCannotBeFollowedAgainIsReportedAndTheInstanceExits() throws Exception {
        String ready = "{\"event\":\"ready\",\"port\":4711,\"pid\":7}";
        HttpServer[] stub = new HttpServer[1];
        stub[0] = stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write((ready + "\n").getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            // The pod is gone: its port closes and stays closed.
            Thread.ofVirtual().start(() -> stub[0].stop(0));
            throw new IOException("the stub's instance is gone");
        });
        Recorder events = new Recorder();
        RoleInstance instance = connector.connect("orders", 0, stub[0].getAddress(), TOKEN, events);

        InstanceEvent.Exited exited = events.await(InstanceEvent.Exited.class, e -> true);

        assertThat(exited).isEqualTo(new InstanceEvent.Exited(-1, false));
        assertThat(events.all(InstanceEvent.Problem.class)).singleElement().satisfies(p -> assertThat(p.message())
                .contains("orders instance 0").contains("2 attempts to connect again failed"));
        assertThat(instance.isAlive()).isFalse();
        assertThat(instance.address()).hasValue(stub[0].getAddress());
    }

    @Test
    void killStopsFollowingAndReportsTheInstanceExitedAtOnce() throws Exception {
        Recorder events = new Recorder();
        RoleInstance instance = startAndTrack(toFolder(), InstanceProcess.Options.stdio(false), events);
        instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        instance.kill();

        assertThat(events.await(InstanceEvent.Exited.class, e -> true)).isEqualTo(new InstanceEvent.Exited(-1, true));
        assertThat(instance.isAlive()).isFalse();
    }

    @Test
    void aStreamThatFallsSilentCountsAsBrokenAndIsFollowedAgain() throws Exception {
        AtomicInteger streams = new AtomicInteger();
        CountDownLatch end = new CountDownLatch(1);
        closing.add(end::countDown);
        HttpServer stub = stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"event\":\"ready\",\"port\":4711,\"pid\":7}\n".getBytes(StandardCharsets.UTF_8));
            if (streams.incrementAndGet() > 1) {
                out.write("{\"event\":\"problem\",\"message\":\"second stream\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            // The first stream then says nothing more, as a connection whose other end vanished.
            await(end);
            out.close();
        });
        NetworkInstanceConnector impatient = new NetworkInstanceConnector(new NetworkInstanceConnector.Reconnect(2,
                Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(2)));
        Recorder events = new Recorder();
        RoleInstance instance = impatient.connect("orders", 0, stub.getAddress(), TOKEN, events);

        events.await(InstanceEvent.Problem.class, p -> p.message().equals("second stream"));

        assertThat(events.all(InstanceEvent.Ready.class)).hasSize(1);
        assertThat(instance.isAlive()).isTrue();
    }

    @Test
    void aStopWhoseStreamEndsBeforeItsAnswerIsNotLoggedAsRefused() throws Exception {
        // A real instance answers stop once it has stopped, so its stream may end before the answer arrives.
        ListAppender<ILoggingEvent> logged = CapturedLog.of(NetworkInstanceConnector.class, closing);
        CountDownLatch stopAsked = new CountDownLatch(1);
        closing.add(stopAsked::countDown);
        Recorder events = new Recorder();
        HttpServer stub = stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"event\":\"ready\",\"port\":4711,\"pid\":7}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(stopAsked);
            out.write("{\"event\":\"stopped\"}\n".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        stub.createContext("/protocol/stop", exchange -> {
            stopAsked.countDown();
            try {
                events.await(InstanceEvent.Exited.class, e -> true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        RoleInstance instance = connector.connect("orders", 0, stub.getAddress(), TOKEN, events);
        instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        instance.stop().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(events.all(InstanceEvent.Exited.class)).containsExactly(new InstanceEvent.Exited(0, true));
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
    }
}
