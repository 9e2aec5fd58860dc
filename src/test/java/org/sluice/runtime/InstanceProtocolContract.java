package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.instance.InstanceProcess;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

/**
 * What the host sees of a role instance, the same over every transport: each subclass starts
 * instances (run in the test's JVM) and speaks to them over its own transport.
 */
@Timeout(60)
abstract class InstanceProtocolContract {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<RoleInstance> started = new ArrayList<>();
    final List<AutoCloseable> closing = new ArrayList<>();

    /** Starts instance 0 of the service in {@code definition} and speaks to it over this transport. */
    abstract RoleInstance start(Path definition, InstanceProcess.Options options, Recorder listener) throws Exception;

    /** A stand-in for an instance that sends exactly {@code lines} as its events, then nothing until the test ends. */
    abstract RoleInstance scripted(List<String> lines, Recorder listener) throws Exception;

    @AfterEach
    void stopEverything() throws Exception {
        for (RoleInstance instance : started) {
            if (instance.isAlive()) {
                instance.stop().get(30, TimeUnit.SECONDS);
            }
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** Every event an instance's listener got, in order, with the thread that delivered it. */
    static final class Recorder implements InstanceListener {
        record Seen(InstanceEvent event, String thread) {
        }

        private final List<Seen> seen = new ArrayList<>();

        @Override
        public synchronized void onEvent(InstanceEvent event) {
            seen.add(new Seen(event, Thread.currentThread().getName()));
            notifyAll();
        }

        synchronized List<Seen> seen() {
            return List.copyOf(seen);
        }

        synchronized <T extends InstanceEvent> List<T> all(Class<T> type) {
            return seen.stream().map(Seen::event).filter(type::isInstance).map(type::cast).toList();
        }

        /** Waits for the first event of {@code type} that matches {@code condition}. */
        synchronized <T extends InstanceEvent> T await(Class<T> type, Predicate<T> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (Seen s : seen) {
                    if (type.isInstance(s.event()) && condition.test(type.cast(s.event()))) {
                        return type.cast(s.event());
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " as expected; seen: "
                            + seen.stream().map(Seen::event).filter(e -> !(e instanceof InstanceEvent.Sampled)).toList());
                }
                wait(left);
            }
        }
    }

    Path definition(String destination) throws IOException {
        return Files.writeString(temp.resolve("orders.json"),
                "{\"name\":\"orders\",\"validate\":\"none\",\"destination\":\"" + destination + "\"}");
    }

    Path toFolder() throws IOException {
        return definition("dir:" + temp.resolve("out"));
    }

    RoleInstance startAndTrack(Path definition, InstanceProcess.Options options, Recorder listener) throws Exception {
        RoleInstance instance = start(definition, options, listener);
        started.add(instance);
        return instance;
    }

    HttpResponse<String> post(RoleInstance instance, String body) throws IOException, InterruptedException {
        InetSocketAddress at = instance.address().orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("http://" + InstanceAddresses.hostHeader(at) + "/messages"))
                .timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void becomesReadyWithItsPortAndSendsSamples() throws Exception {
        Recorder events = new Recorder();
        RoleInstance instance = startAndTrack(toFolder(), InstanceProcess.Options.stdio(false), events);

        int port = instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(instance.port()).hasValue(port);
        InstanceEvent.Ready ready = events.await(InstanceEvent.Ready.class, r -> true);
        assertThat(ready.address()).isEqualTo(instance.address().orElseThrow());
        InstanceEvent.Sampled sample = events.await(InstanceEvent.Sampled.class, s -> true);
        assertThat(sample.sample().cores()).isPositive();
        assertThat(events.seen()).extracting(Recorder.Seen::thread).as("one reader thread delivers every event").containsOnly(
                events.seen().getFirst().thread());
        assertThat(post(instance, "{\"a\":1}").statusCode()).isEqualTo(200);
    }

    @Test
    void aThrottleTransitionAndItsEpisodeArrive() throws Exception {
        Recorder events = new Recorder();
        java.util.concurrent.atomic.AtomicReference<Double> memory = new java.util.concurrent.atomic.AtomicReference<>(10.0);
        RoleInstance instance = startAndTrack(toFolder(),
                InstanceProcess.Options.stdio(false).withMemory(bytes -> memory.get()), events);
        instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        memory.set(90.0);
        InstanceEvent.Throttle throttled = events.await(InstanceEvent.Throttle.class,
                t -> t.transition().state() == ThrottleState.THROTTLED);
        memory.set(10.0);
        InstanceEvent.EpisodeEnded ended = events.await(InstanceEvent.EpisodeEnded.class, e -> true);

        assertThat(throttled.transition().causes()).containsExactly(Cause.MEMORY);
        assertThat(ended.episode().startMs()).isEqualTo(throttled.transition().timeMs());
        assertThat(ended.episode().causes()).containsExactly(Cause.MEMORY);
    }

    @Test
    void suspendAndResumeAreConfirmedAndTheGateRefusesThenTakesMessages() throws Exception {
        Recorder events = new Recorder();
        RoleInstance instance = startAndTrack(toFolder(), InstanceProcess.Options.stdio(false), events);
        instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        instance.suspend().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        HttpResponse<String> refused = post(instance, "{\"a\":1}");
        instance.resume().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        HttpResponse<String> taken = post(instance, "{\"a\":2}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).isEqualTo("the instance is suspended");
        assertThat(taken.statusCode()).isEqualTo(200);
    }

    @Test
    void stopLetsTheMessageInProcessFinishThenEnds() throws Exception {
        try (HeldDestination destination = new HeldDestination(4)) {
            Recorder events = new Recorder();
            RoleInstance instance = startAndTrack(definition(destination.url()), InstanceProcess.Options.stdio(false), events);
            instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return post(instance, "{\"held\":true}");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            destination.whenReceived(1).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            CompletableFuture<Void> stopped = instance.stop();
            assertThat(stopped).as("still draining the held message").isNotDone();
            destination.release();

            stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            InstanceEvent.Exited exited = events.await(InstanceEvent.Exited.class, e -> true);
            assertThat(exited).isEqualTo(new InstanceEvent.Exited(0, true));
            assertThat(instance.isAlive()).isFalse();
            assertThat(events.seen().getLast().event()).isEqualTo(exited);
        }
    }

    @Test
    void aStartFailureBeforeReadyFailsReadyWithTheReason() throws Exception {
        Path invalid = Files.writeString(temp.resolve("bad.json"),
                "{\"name\":\"orders\",\"units\":0,\"destination\":\"dir:" + temp.resolve("out") + "\"}");
        Recorder events = new Recorder();
        RoleInstance instance = startAndTrack(invalid, InstanceProcess.Options.stdio(false), events);

        assertThatThrownBy(() -> instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("units");
        InstanceEvent.Exited exited = events.await(InstanceEvent.Exited.class, e -> true);
        assertThat(exited).isEqualTo(new InstanceEvent.Exited(InstanceProcess.START_FAILED, false));
        assertThat(events.all(InstanceEvent.Problem.class)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("units"));
        assertThat(events.all(InstanceEvent.Ready.class)).isEmpty();
    }

    @Test
    void aLineThatIsNotAnEventIsPassedOverAndTheNextOnesStillCount() throws Exception {
        Recorder events = new Recorder();
        RoleInstance instance = scripted(List.of(
                "this is not JSON",
                "{\"event\":\"ready\",\"port\":\"not a number\",\"pid\":1}",
                "{\"event\":\"fireworks\"}",
                "{\"event\":\"ready\",\"port\":4711,\"pid\":7}",
                "{\"event\":\"problem\",\"message\":\"after the noise\"}"), events);

        assertThat(instance.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isPositive();
        events.await(InstanceEvent.Problem.class, p -> p.message().equals("after the noise"));
        assertThat(events.all(InstanceEvent.Ready.class)).singleElement().satisfies(r -> assertThat(r.pid()).isEqualTo(7));
        assertThat(instance.isAlive()).isTrue();
    }
}
