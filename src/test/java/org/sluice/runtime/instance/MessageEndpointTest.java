package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.lifecycle.ServiceDefinition.Validation;

/**
 * The endpoint of an instance with one core, a destination that holds each message until the test
 * lets it go, and memory the test sets: while messages are in process, a throttled instance answers
 * 503 with the exact body and Retry-After, and a suspended one 409.
 */
@Timeout(30)
class MessageEndpointTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private volatile double memory = 40;
    private final InstanceMonitor monitor = new InstanceMonitor(clock, bytes -> memory, () -> 1,
            new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream())));
    private final InstanceGate gate = new InstanceGate();
    private final List<String> deliveredBy = new CopyOnWriteArrayList<>();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch letGo = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MessageEndpoint endpoint;

    @AfterEach
    void tearDown() {
        letGo.countDown();
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private void open() throws Exception {
        Destination held = (id, message) -> {
            deliveredBy.add(Thread.currentThread().getName());
            arrived.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryException("interrupted", e);
            }
        };
        MessagePipeline pipeline = MessagePipeline.create(Validation.JSON, Optional.empty(), held);
        endpoint = MessageEndpoint.open(new MessageHandler(0, gate, monitor, pipeline,
                new DeliveryProblems(clock, new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream())))), 1);
    }

    private CompletableFuture<HttpResponse<String>> post() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":1}", StandardCharsets.UTF_8)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private void throttle() {
        memory = 70;
        now.addAndGet(200);
        monitor.sample();
        assertThat(monitor.isThrottled()).isTrue();
    }

    @Test
    void aThrottledInstanceAnswersBusyWhileAMessageIsInProcess() throws Exception {
        open();
        CompletableFuture<HttpResponse<String>> admitted = post();
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        throttle();

        HttpResponse<String> refused = post().get(10, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("Server is busy. Please try again.");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(admitted).isNotDone();
        letGo.countDown();
        HttpResponse<String> delivered = admitted.get(10, TimeUnit.SECONDS);
        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(delivered.body()).startsWith("{\"messageId\":\"").endsWith("\",\"instance\":0}");
        assertThat(deliveredBy).singleElement().asString().startsWith("instance-http-");
    }

    @Test
    void aThrottledInstanceAnswersBusyWhileEveryWorkerThreadIsTaken() throws Exception {
        // More followers of the event stream than the endpoint has worker threads for one core
        // (250): a refusal must not wait for a thread that is never freed.
        endpoint = MessageEndpoint.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        endpoint.serve(new MessageHandler(0, gate, monitor, MessagePipeline.create(Validation.JSON, Optional.empty(), (id, m) -> { }),
                new DeliveryProblems(clock, new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream())))));
        endpoint.serveProtocol(new ProtocolHandler("token", new EventFeed()));
        List<Socket> followers = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket follower = new Socket(InetAddress.getLoopbackAddress(), endpoint.port());
                followers.add(follower);
                follower.getOutputStream().write(("GET /protocol/events HTTP/1.1\r\nHost: instance\r\n"
                        + "Authorization: Bearer token\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            throttle();

            HttpResponse<String> refused = post().get(10, TimeUnit.SECONDS);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("Server is busy. Please try again.");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            for (Socket follower : followers) {
                follower.setSoTimeout(10_000);
                String status = new String(follower.getInputStream().readNBytes(15), StandardCharsets.US_ASCII);
                assertThat(status).as("each follower's stream begins").isEqualTo("HTTP/1.1 200 OK");
            }
        } finally {
            for (Socket follower : followers) {
                follower.close();
            }
        }
    }

    @Test
    void aSuspendedInstanceAnswersConflictWhileAMessageIsInProcess() throws Exception {
        open();
        CompletableFuture<HttpResponse<String>> admitted = post();
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        gate.suspend();

        HttpResponse<String> refused = post().get(10, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).isEqualTo("the instance is suspended");
        assertThat(admitted).isNotDone();
    }

    @Test
    void aMessageIsDeliveredAndAnsweredByAnEndpointThread() throws Exception {
        open();
        letGo.countDown();
        HttpResponse<String> answer = post().get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(deliveredBy).singleElement().asString().startsWith("instance-http-");
        assertThat(monitor.awaitIdle(10_000)).isTrue();
    }

    @Test
    void aRequestFromAWebPageIsRefusedAndNothingIsDelivered() throws Exception {
        open();
        // A page in a browser can post to any loopback port without asking; browsers say where
        // such a request comes from in Origin, and no program that sends messages does.
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/messages"))
                .header("Origin", "https://pages.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":1}", StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("refused: requests from web pages are not taken; send messages from a program");
        assertThat(deliveredBy).isEmpty();
    }

    private static String answerOf(Socket socket) throws Exception {
        // Reads one answer: its head, then as many bytes as its Content-Length says.
        java.io.InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the answer ended in its head: " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
    }

    @Test
    void aRefusedMessageOfMegabytesIsReadAndDroppedAndItsConnectionServesTheNextRequest() throws Exception {
        open();
        CompletableFuture<HttpResponse<String>> admitted = post();
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        throttle();
        byte[] large = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(large, (byte) ' ');

        try (Socket sender = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            sender.setSoTimeout(10_000);
            OutputStream out = sender.getOutputStream();
            out.write(("POST /messages HTTP/1.1\r\nHost: instance\r\nContent-Length: " + large.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(large);
            out.flush();

            String refused = answerOf(sender);
            assertThat(refused).startsWith("HTTP/1.1 503 ").containsIgnoringCase("retry-after: 1")
                    .endsWith("\r\n\r\nServer is busy. Please try again.");

            out.write("GET /other HTTP/1.1\r\nHost: instance\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(answerOf(sender)).startsWith("HTTP/1.1 404 ").endsWith("not found: only POST /messages");
        }
        assertThat(admitted).isNotDone();
    }

    @Test
    void aRequestGivingBothContentLengthAndChunkedIsRefusedAndItsConnectionClosed() throws Exception {
        open();
        try (Socket sender = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            sender.setSoTimeout(10_000);
            sender.getOutputStream().write(("POST /messages HTTP/1.1\r\nHost: instance\r\nContent-Length: 3\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nb\r\n{\"order\":1}\r\n0\r\n\r\n"
                    + "POST /messages HTTP/1.1\r\nHost: instance\r\nContent-Length: 11\r\n\r\n{\"order\":2}")
                    .getBytes(StandardCharsets.US_ASCII));
            sender.getOutputStream().flush();

            String answers = new String(sender.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answers).startsWith("HTTP/1.1 400 ").contains("both Content-Length and Transfer-Encoding");
            assertThat(answers.split("HTTP/1.1 400 ", -1)).as("one answer, then the connection closed").hasSize(2);
            assertThat(answers).doesNotContain("HTTP/1.1 200");
        }
        assertThat(deliveredBy).isEmpty();
    }

    @Test
    void pipelinedRequestsAreAnsweredInTurnOnTheirConnection() throws Exception {
        open();
        gate.suspend();
        try (Socket sender = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            sender.setSoTimeout(10_000);
            String request = "POST /messages HTTP/1.1\r\nHost: instance\r\nContent-Length: 11\r\n\r\n{\"order\":1}";
            sender.getOutputStream().write((request + "GET /messages HTTP/1.1\r\nHost: instance\r\n\r\n" + request)
                    .getBytes(StandardCharsets.US_ASCII));
            sender.getOutputStream().flush();

            assertThat(answerOf(sender)).startsWith("HTTP/1.1 409 ").endsWith("the instance is suspended");
            assertThat(answerOf(sender)).startsWith("HTTP/1.1 405 ").containsIgnoringCase("allow: POST");
            assertThat(answerOf(sender)).startsWith("HTTP/1.1 409 ");
        }
        assertThat(deliveredBy).isEmpty();
    }

    @Test
    void aMessageThatDoesNotArriveWholeInTimeHasItsConnectionClosedAndIsNoLongerInProcess() throws Exception {
        // The tests' JVM gives a request 5 s to arrive whole (pom.xml); an instance, 30 s.
        open();
        letGo.countDown();
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            stalled.getOutputStream().write(("POST /messages HTTP/1.1\r\nHost: instance\r\nContent-Length: 1000\r\n\r\nabc")
                    .getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            stalled.setSoTimeout(20_000);

            assertThat(post().get(10, TimeUnit.SECONDS).statusCode()).as("another sender meanwhile").isEqualTo(200);
            assertThat(stalled.getInputStream().read()).as("the stalled connection is closed").isEqualTo(-1);
        }
        assertThat(monitor.awaitIdle(10_000)).as("the stalled message is no longer counted in process").isTrue();
    }

    @Test
    void aRequestThatIsNotHttpIsAnsweredBadRequest() throws Exception {
        open();
        try (Socket sender = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            sender.setSoTimeout(10_000);
            sender.getOutputStream().write("HELLO THERE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            sender.getOutputStream().flush();

            assertThat(answerOf(sender)).startsWith("HTTP/1.1 400 ");
        }
    }
}
