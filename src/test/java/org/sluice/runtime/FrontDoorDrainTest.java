package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

import com.sun.net.httpserver.HttpServer;

/**
 * A host that stops takes no new message but lets those it forwarded be answered; one whose
 * instance does not answer in time is ended with its instance before its sender is told, so that
 * it cannot be delivered after the sender heard it failed.
 */
@Timeout(30)
class FrontDoorDrainTest {
    private final FakeLauncher launcher = new FakeLauncher();
    private final Host host = new Host(launcher, new InMemoryJournal(), InstantSource.system(),
            new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    // HTTP/1.1 only: the default client holds further requests to a host while its first one waits to upgrade to HTTP/2.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);
    /** How many bytes the stand-in instance answers; 0 for its usual short answer. */
    private volatile int answerBytes;
    private final CountDownLatch answered = new CountDownLatch(1);
    private HttpServer instance;
    private FrontDoor door;

    @BeforeEach
    void open() throws Exception {
        // Stands in for a role instance whose destination holds each message until the test lets go.
        instance = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        instance.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrived.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] delivered = answerBytes > 0 ? new byte[answerBytes]
                    : "{\"messageId\":\"m1\",\"instance\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, delivered.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(delivered);
            }
            answered.countDown();
        });
        instance.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        instance.start();
        launcher.fixedPort = instance.getAddress().getPort();
        host.create(new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/o"), "t")
                .completion().get(10, TimeUnit.SECONDS);
        door = FrontDoor.open(host, 0);
    }

    @AfterEach
    void close() {
        answer.countDown();
        door.close();
        host.close();
        instance.stop(0);
    }

    private CompletableFuture<HttpResponse<String>> post() {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(door.endpoint("orders")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMessageInFlightIsAnsweredAndANewOneIsRefusedWhileTheDoorDrains() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = post();
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Set<java.net.InetSocketAddress>> ended = new AtomicReference<>();
        CompletableFuture<Void> closing = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            door.close(Duration.ofSeconds(20), ended::set);
            closing.complete(null);
        });
        while (!door.closing()) {
            Thread.onSpinWait();
        }

        HttpResponse<String> refused = post().get(10, TimeUnit.SECONDS);
        answer.countDown();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("The host is stopping; send the message again once it is back");
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        closing.get(10, TimeUnit.SECONDS);
        assertThat(ended.get()).as("no instance had to be ended").isNull();
    }

    @Test
    void aMessageNotAnsweredInTimeEndsItsInstanceBeforeItsSenderIsTold() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = post();
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Set<java.net.InetSocketAddress>> ended = new AtomicReference<>();
        CompletableFuture<HttpResponse<String>> told = new CompletableFuture<>();
        inFlight.whenComplete((response, failure) -> {
            // What the door had done by the time the sender heard anything.
            assertThat(ended.get()).as("instance ended before the sender was told").isNotNull();
            told.complete(response);
        });

        door.close(Duration.ofMillis(300), addresses -> {
            ended.set(addresses);
            instance.stop(0);   // the instance's process ends: nothing of it can deliver any more
        });

        assertThat(ended.get()).extracting(java.net.InetSocketAddress::getPort).containsExactly(instance.getAddress().getPort());
        assertThat(told.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
    }

    @Test
    void anAnswerItsSenderDoesNotReadDoesNotHoldTheDrainNorEndItsInstance() throws Exception {
        // An answer far larger than the socket buffers take: the sender's never reading it leaves its write pending.
        answerBytes = FrontDoor.MAX_MESSAGE_BYTES;
        answer.countDown();
        try (java.net.Socket sender = postWithoutReading(door)) {
            assertThat(answered.await(10, TimeUnit.SECONDS)).as("the instance answered in full").isTrue();
            AtomicReference<Set<java.net.InetSocketAddress>> ended = new AtomicReference<>();

            // The instance has answered; what is left is the sender's to read, not the instance's to do.
            door.close(Duration.ofSeconds(3), ended::set);

            assertThat(ended.get()).as("no instance ended for an answer it gave").isNull();
        }
    }

    @Test
    void aSenderThatNeverReadsItsAnswerLosesItsConnectionOnceTheRequestTimeIsOverSoItCannotHoldTheDoor() throws Exception {
        // A door that takes one connection at a time: a sender holding it would shut every other out.
        FrontDoor narrow = FrontDoor.open(host, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        answerBytes = FrontDoor.MAX_MESSAGE_BYTES;
        answer.countDown();
        try (narrow; java.net.Socket sender = postWithoutReading(narrow)) {
            assertThat(answered.await(10, TimeUnit.SECONDS)).as("the instance answered in full").isTrue();
            answerBytes = 0;

            // Until the door gives up on the answer nobody reads, another sender's connection is closed at once.
            HttpRequest next = HttpRequest.newBuilder(URI.create(narrow.endpoint("orders")))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            org.testfx.util.WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
                try {
                    return client.send(next, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException closedAtOnce) {
                    return false;
                }
            });
        }
    }

    /**
     * Posts a message to {@code to} from a sender with a small receive buffer that never reads:
     * an answer far larger than the socket buffers take leaves the door's write pending.
     */
    private static java.net.Socket postWithoutReading(FrontDoor to) throws java.io.IOException {
        java.net.Socket sender = new java.net.Socket();
        sender.setReceiveBufferSize(4096);
        sender.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), to.port()));
        sender.getOutputStream().write(("POST /services/orders/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII));
        sender.getOutputStream().flush();
        return sender;
    }
}
