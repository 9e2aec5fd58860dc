package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.runtime.CapturedLog;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.NetworkInstanceConnector;
import org.sluice.runtime.RoleInstance;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A networked instance's event stream that breaks and is followed again: the instance's own feed
 * and protocol handler on loopback, reached through a relay the test can cut and hold closed.
 */
@Timeout(60)
class EventStreamResumeTest {
    private static final String TOKEN = "token-of-orders";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final NetworkInstanceConnector.Reconnect QUICK = new NetworkInstanceConnector.Reconnect(5,
            Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(2));
    private static final ProtocolEvent.Throttle THROTTLED = new ProtocolEvent.Throttle(100, ThrottleState.NORMAL,
            ThrottleState.THROTTLED, Set.of(Cause.MEMORY));
    private static final ProtocolEvent.Throttle NORMAL_AGAIN = new ProtocolEvent.Throttle(900, ThrottleState.THROTTLED,
            ThrottleState.NORMAL, Set.of());

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Events events = new Events();
    private EventFeed feed;
    private ProtocolWriter writer;
    private MessageEndpoint server;
    private ProtocolHandler handler;
    private Relay relay;

    @BeforeEach
    void serve() throws IOException {
        serve(new EventFeed());
    }

    private void serve(EventFeed withFeed) throws IOException {
        if (server != null) {
            server.close();
        }
        feed = withFeed;
        writer = new ProtocolWriter(feed);
        server = MessageEndpoint.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        handler = new ProtocolHandler(TOKEN, feed);
        server.serveProtocol(handler);
        if (relay == null) {
            relay = new Relay();
        }
    }

    @AfterEach
    void close() throws Exception {
        feed.end();
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.close();
        relay.close();
    }

    private static ProtocolEvent.Sampled sample(long timeMs, ThrottleState state) {
        return new ProtocolEvent.Sampled(timeMs, 40, 1, 2, timeMs, timeMs, 0, 0, 1, 2, state, Set.of());
    }

    private RoleInstance follow() throws IOException {
        RoleInstance followed = new NetworkInstanceConnector(QUICK).connect("orders", 0, relay.address(), TOKEN, events);
        closing.add(followed::kill);
        return followed;
    }

    private static String described(InstanceEvent event) {
        return switch (event) {
            case InstanceEvent.Ready r -> "ready";
            case InstanceEvent.Throttle t -> "throttle " + t.transition().previous() + "->" + t.transition().state();
            case InstanceEvent.Sampled s -> "sample " + s.sample().timeMs();
            case InstanceEvent.EpisodeEnded e -> "episode " + e.episode().startMs();
            default -> event.toString();
        };
    }

    @Test
    void eventsOfABreakAreReplayedInOrderAndOnceWhenTheStreamIsFollowedAgain() throws Exception {
        writer.emit(new ProtocolEvent.Ready(4711, 7));
        writer.emit(new ProtocolEvent.Gate(true));
        writer.emit(THROTTLED);
        writer.emit(sample(200, ThrottleState.THROTTLED));
        RoleInstance followed = follow();
        events.await(e -> described(e).equals("sample 200"));

        relay.holdAndCut();
        writer.emit(NORMAL_AGAIN);
        writer.emit(new ProtocolEvent.Episode(100, 900, Set.of(Cause.MEMORY)));
        writer.emit(sample(1000, ThrottleState.NORMAL));
        relay.release();
        events.await(e -> described(e).equals("sample 1000"));

        assertThat(events.all().stream().map(EventStreamResumeTest::described)).containsExactly("ready",
                "throttle NORMAL->THROTTLED", "sample 200", "throttle THROTTLED->NORMAL", "episode 100", "sample 1000");
        assertThat(relay.connections()).isEqualTo(2);
        assertThat(followed.isAlive()).isTrue();
    }

    @Test
    void aBreakLongerThanTheInstanceKeepsGivesTheStateAndOneNoticeThatEventsMayBeMissing() throws Exception {
        ListAppender<ILoggingEvent> logged = CapturedLog.of(NetworkInstanceConnector.class, closing);
        writer.emit(new ProtocolEvent.Ready(4711, 7));
        writer.emit(THROTTLED);
        RoleInstance followed = follow();
        events.await(e -> described(e).equals("throttle NORMAL->THROTTLED"));

        relay.holdAndCut();
        writer.emit(NORMAL_AGAIN);
        for (int i = 1; i <= 2_000; i++) {
            writer.emit(sample(1000 + i, ThrottleState.NORMAL));
        }
        relay.release();
        events.await(e -> described(e).equals("sample 3000"));

        assertThat(events.all().stream().map(EventStreamResumeTest::described)).containsExactly("ready",
                "throttle NORMAL->THROTTLED", "throttle THROTTLED->NORMAL", "sample 3000");
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("may have been missed"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage()).contains("orders instance 0");
                });
        assertThat(followed.isAlive()).isTrue();
    }

    @Test
    void anInstanceThatRestartedDuringTheBreakHasExitedWithOneWarningAndNothingOfItsNewRunIsPassedOn() throws Exception {
        ListAppender<ILoggingEvent> logged = CapturedLog.of(NetworkInstanceConnector.class, closing);
        writer.emit(new ProtocolEvent.Ready(4711, 7));
        writer.emit(sample(200, ThrottleState.NORMAL));
        RoleInstance followed = follow();
        events.await(e -> described(e).equals("sample 200"));

        relay.holdAndCut();
        EventFeed before = feed;
        serve(new EventFeed());
        before.end();
        relay.upstream = server.address();
        writer.emit(new ProtocolEvent.Ready(4711, 8));
        writer.emit(sample(50, ThrottleState.NORMAL));
        relay.release();
        events.await(e -> e instanceof InstanceEvent.Exited);

        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("may have been missed"))
                .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("restarted"));
        assertThat(events.all()).as("the new run's ready and sample are not the old run's")
                .noneMatch(e -> described(e).equals("sample 50") || e instanceof InstanceEvent.Ready r && r.pid() == 8);
        assertThat(followed.isAlive()).isFalse();
    }

    /** Commands a test's instance acts on, each word counted as it comes. */
    private static final class Heard implements ProtocolHandler.Commands {
        final List<String> words = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Optional<String> suspend() {
            words.add("suspend");
            return Optional.empty();
        }

        @Override
        public Optional<String> resume() {
            words.add("resume");
            return Optional.empty();
        }

        @Override
        public Optional<String> stop() {
            words.add("stop");
            return Optional.empty();
        }
    }

    private HttpResponse<String> word(String word, String query) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/protocol/" + word + query);
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWordForAnotherRunIsRefusedAndOneForItsOwnRunOrForNoneIsTaken() throws Exception {
        // A process in the place of one that ended (a container restarted in its pod) gets the
        // words still on their way to the one before it: a stop among them would end it.
        Heard heard = new Heard();
        handler.ready(heard);

        HttpResponse<String> other = word("stop", "?run=a-run-that-ended");
        HttpResponse<String> own = word("suspend", "?run=" + feed.run());
        HttpResponse<String> none = word("resume", "");

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.body()).contains("another run");
        assertThat(own.statusCode()).isEqualTo(204);
        assertThat(none.statusCode()).as("a host of an earlier Sluice names no run").isEqualTo(204);
        assertThat(heard.words).containsExactly("suspend", "resume");
    }

    @Test
    void theStreamIsFollowedOnAVirtualThread() throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        boolean[] virtual = new boolean[1];
        writer.emit(new ProtocolEvent.Ready(4711, 7));
        RoleInstance followed = new NetworkInstanceConnector(QUICK).connect("orders", 0, relay.address(), TOKEN, event -> {
            virtual[0] = Thread.currentThread().isVirtual();
            seen.countDown();
        });
        closing.add(followed::kill);

        assertThat(seen.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(virtual[0]).as("the reader of the stream is a virtual thread").isTrue();
    }

    @Test
    void aFollowerThatResumesMustStillShowTheToken() throws Exception {
        writer.emit(new ProtocolEvent.Ready(4711, 7));
        writer.emit(sample(200, ThrottleState.NORMAL));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI events = URI.create("http://127.0.0.1:" + server.address().getPort() + "/protocol/events");
        HttpResponse<InputStream> first = http.send(HttpRequest.newBuilder(events).header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        first.body().close();
        String run = first.headers().firstValue(ProtocolHandler.RUN_HEADER).orElseThrow();
        URI resumed = URI.create(events + "?run=" + run + "&after=1");

        HttpResponse<String> without = http.send(HttpRequest.newBuilder(resumed).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<InputStream> with = http.send(HttpRequest.newBuilder(resumed).header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        with.body().close();

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.body()).doesNotContain("sample");
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.headers().firstValue(ProtocolHandler.RESUME_HEADER)).hasValue("resumed");
    }

    @Test
    void aResumeThatLacksItsNumberIsRefusedAndSaysWhatToGive() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI half = URI.create("http://127.0.0.1:" + server.address().getPort() + "/protocol/events?run=" + feed.run());

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(half).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("after");
    }

    /** What the host's listener was told, in order. */
    private static final class Events implements InstanceListener {
        private final List<InstanceEvent> all = new ArrayList<>();

        @Override
        public synchronized void onEvent(InstanceEvent event) {
            all.add(event);
            notifyAll();
        }

        synchronized List<InstanceEvent> all() {
            return List.copyOf(all);
        }

        synchronized void await(Predicate<InstanceEvent> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (all.stream().noneMatch(wanted)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("not seen in time; seen " + all);
                }
                wait(left);
            }
        }
    }

    /**
     * Passes connections on to the instance; {@link #holdAndCut} ends those open now and keeps new
     * ones waiting until {@link #release}, as a network that fails for a while.
     */
    private final class Relay implements AutoCloseable {
        private final ServerSocket listening = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile CountDownLatch passing = new CountDownLatch(0);
        private volatile InetSocketAddress upstream = server.address();
        private volatile int accepted;

        Relay() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!listening.isClosed()) {
                    try {
                        Socket client = listening.accept();
                        accepted++;
                        open.add(client);
                        Thread.ofVirtual().start(() -> pass(client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort());
        }

        int connections() {
            return accepted;
        }

        void holdAndCut() throws IOException {
            passing = new CountDownLatch(1);
            for (Socket s : open) {
                s.close();
            }
            open.clear();
        }

        void release() {
            passing.countDown();
        }

        private void pass(Socket client) {
            try (client; Socket instance = new Socket()) {
                if (!passing.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    return;
                }
                instance.connect(upstream);
                open.add(instance);
                Thread.ofVirtual().start(() -> copy(client, instance));
                copy(instance, client);
            } catch (IOException e) {
                // The connection was cut: what the test wants.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void copy(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went away; closing both ends the other copy.
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // Already closed.
                }
            }
        }

        @Override
        public void close() throws IOException {
            passing.countDown();
            listening.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
