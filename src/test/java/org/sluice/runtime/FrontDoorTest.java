package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

@Timeout(30)
class FrontDoorTest {
    private static final String BUSY = "Server is busy. Please try again.";
    private final FakeLauncher launcher = new FakeLauncher();
    private final Host host = new Host(launcher, new InMemoryJournal(), InstantSource.system(),
            new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer instance;
    private FrontDoor door;

    @BeforeEach
    void open() throws Exception {
        instance = startInstance(0);
        launcher.fixedPort = instance.getAddress().getPort();
        host.create(new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/o"), "t")
                .completion().get(10, TimeUnit.SECONDS);
        door = FrontDoor.open(host, 0);
    }

    /** Stands in for a role instance: "busy" is refused as a throttled instance refuses it. */
    private static HttpServer startInstance(int port) throws IOException {
        HttpServer instance = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        instance.createContext("/messages", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer;
            if (body.equals("busy")) {
                answer = BUSY.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Retry-After", "1");
                exchange.sendResponseHeaders(503, answer.length);
            } else {
                answer = ("{\"messageId\":\"m1\",\"instance\":0,\"echo\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        instance.start();
        return instance;
    }

    @AfterEach
    void close() {
        door.close();
        host.close();
        instance.stop(0);
    }

    private HttpResponse<String> post(String service, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(door.endpoint(service)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsAMessageToAnInstanceAndPassesItsAnswerBack() throws Exception {
        HttpResponse<String> response = post("orders", "hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"echo\":\"hello\"");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void theDoorLogsWhichTransportItUsesAndWhy() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        ListAppender<ILoggingEvent> logged = CapturedLog.of(FrontDoor.class, closing);
        try (FrontDoor another = FrontDoor.open(host, 0)) {
            boolean toldNio = DoorTransport.NIO.equals(System.getProperty(DoorTransport.PROPERTY));
            assertThat(another.transport().name()).isEqualTo(toldNio || !Epoll.isAvailable() ? "nio" : "epoll");
            assertThat(another.transport().why()).isNotBlank();
            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith(
                            "Front door transport: " + another.transport().name() + " (" + another.transport().why() + "), "));
        } finally {
            for (AutoCloseable c : closing) {
                c.close();
            }
        }
    }

    @Test
    void onLinuxOnX64OrArmTheDoorRunsOnEpollUnlessToldOtherwise() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"));
        assumeTrue(arch.equals("amd64") || arch.equals("aarch64"));
        assumeFalse(DoorTransport.NIO.equals(System.getProperty(DoorTransport.PROPERTY)));

        // The native library of this processor is on the class path and loads.
        assertThat(door.transport().name()).isEqualTo("epoll");
        assertThat(door.transport().why()).isEqualTo("the native transport loaded");
    }

    @Test
    void thePropertyKeepsTheDoorOnNioAndMessagesStillGoThrough() throws Exception {
        withTransport("nio", () -> {
            try (FrontDoor onNio = FrontDoor.open(host, 0)) {
                assertThat(onNio.transport().name()).isEqualTo("nio");
                assertThat(onNio.transport().why()).isEqualTo("sluice.door.transport=nio");
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(onNio.endpoint("orders")))
                        .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"echo\":\"hello\"");
            }
        });
    }

    @Test
    void theDoorsCodecsWriteIntoDirectBuffersUnlessToldHeap() {
        assumeFalse("heap".equals(System.getProperty(DoorTransport.BUFFERS)));

        // Handed to the socket as they are, not copied into a direct buffer first.
        io.netty.buffer.ByteBuf written = DoorTransport.allocator().buffer(256);
        try {
            assertThat(written.isDirect()).isTrue();
            assertThat(DoorTransport.buffers()).isEqualTo("direct");
        } finally {
            written.release();
        }
    }

    @Test
    void aTransportThatIsNeitherEpollNorNioIsNioAndSaysSo() throws Exception {
        withTransport("io_uring", () -> {
            DoorTransport transport = DoorTransport.choose();
            assertThat(transport.name()).isEqualTo("nio");
            assertThat(transport.why()).isEqualTo("sluice.door.transport=io_uring is neither epoll nor nio");
        });
    }

    /** What a test does while the door's transport property is set. */
    private interface WithProperty {
        void run() throws Exception;
    }

    /** Runs {@code body} with the door's transport property set to {@code value}, then puts it back as it was. */
    private static void withTransport(String value, WithProperty body) throws Exception {
        withProperty(DoorTransport.PROPERTY, value, body);
    }

    /** Runs {@code body} with the system property {@code name} set to {@code value}, then puts it back as it was. */
    private static void withProperty(String name, String value, WithProperty body) throws Exception {
        String before = System.getProperty(name);
        System.setProperty(name, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    @Test
    void thePropertyForTheNumberOfLoopsIsHeldToAndMessagesStillGoThrough() throws Exception {
        int other = Runtime.getRuntime().availableProcessors() == 1 ? 2 : 1;
        withProperty(FrontDoor.LOOPS, Integer.toString(other), () -> {
            try (FrontDoor door = FrontDoor.open(host, 0)) {
                assertThat(door.loopCount()).isEqualTo(other);
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(door.endpoint("orders")))
                        .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"echo\":\"hello\"");
            }
        });
    }

    @Test
    void aNumberOfLoopsThatIsNotAPositiveNumberIsOnePerProcessor() throws Exception {
        withProperty(FrontDoor.LOOPS, "none", () -> {
            try (FrontDoor door = FrontDoor.open(host, 0)) {
                assertThat(door.loopCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
            }
        });
        withProperty(FrontDoor.LOOPS, "0", () -> {
            try (FrontDoor door = FrontDoor.open(host, 0)) {
                assertThat(door.loopCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
            }
        });
    }

    @Test
    void aDoorOpenedOnAnotherAddressTakesMessagesThereAndNamesThatAddressInItsEndpoints() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (FrontDoor elsewhere = FrontDoor.open(host, new InetSocketAddress(other, 0))) {
            assertThat(elsewhere.endpoint("orders")).startsWith("http://127.0.0.2:" + elsewhere.port() + "/");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(elsewhere.endpoint("orders")))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"echo\":\"hello\"");
        }
    }

    @Test
    void aDoorOnEveryAddressNamesLoopbackInItsEndpoints() throws Exception {
        try (FrontDoor everywhere = FrontDoor.open(host, new InetSocketAddress(0))) {
            assertThat(everywhere.endpoint("orders")).startsWith("http://127.0.0.1:" + everywhere.port() + "/");
        }
    }

    @Test
    void passesABusyRefusalBackExactlyWithItsRetryAfter() throws Exception {
        HttpResponse<String> response = post("orders", "busy");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(BUSY);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }

    @Test
    void aMessageAfterTheInstanceRestartedOnItsPortReachesIt() throws Exception {
        assertThat(post("orders", "before").statusCode()).isEqualTo(200);
        int port = instance.getAddress().getPort();
        instance.stop(0);   // closes the connection the door kept
        instance = startInstance(port);

        HttpResponse<String> after = post("orders", "after");

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("\"echo\":\"after\"");
    }

    @Test
    void anUnknownServiceIs404() throws Exception {
        HttpResponse<String> response = post("nope", "x");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("nope");
    }

    @Test
    void aLargeMessageToAnUnknownOrInactiveServiceGetsItsAnswerNotAReset() throws Exception {
        String large = "x".repeat(3 * 1024 * 1024);
        for (int i = 0; i < 5; i++) {
            assertThat(post("nope", large).statusCode()).isEqualTo(404);
        }
        host.perform("orders", Operation.SUSPEND, "t").completion().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            assertThat(post("orders", large).statusCode()).isEqualTo(409);
        }
    }

    @Test
    void aSuspendedServiceIs409() throws Exception {
        host.perform("orders", Operation.SUSPEND, "t").completion().get(10, TimeUnit.SECONDS);
        HttpResponse<String> response = post("orders", "x");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("Suspended");
    }

    @Test
    void aMessageOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = post("orders", "x".repeat(FrontDoor.MAX_MESSAGE_BYTES + 1));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void theLimitTheFleetStatesIsTheDoors() {
        // The console bounds the size of its test traffic by what the fleet says; a door that took
        // less would refuse sizes the console offers.
        assertThat(org.sluice.fleet.Fleet.MAX_MESSAGE_BYTES).isEqualTo(FrontDoor.MAX_MESSAGE_BYTES);
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(door.endpoint("orders"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void anInstanceThatDoesNotAnswerIs502() throws Exception {
        instance.stop(0);
        HttpResponse<String> response = post("orders", "x");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("did not answer");
    }

    @Test
    void anAnswerThatIsNotHttpIs502NotAStatusOfNettysOwn() throws Exception {
        try (java.net.ServerSocket garbled = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket connection = garbled.accept()) {
                    readHead(connection.getInputStream());
                    connection.getOutputStream().write("not an answer at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                    connection.getInputStream().read();   // until the door lets go
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            launcher.fixedPort = garbled.getLocalPort();
            host.create(new ServiceDefinition("garbled", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/g"), "t")
                    .completion().get(10, TimeUnit.SECONDS);

            HttpResponse<String> response = post("garbled", "x");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("Role instance 0 of 'garbled' did not answer");
        }
    }

    @Test
    void bytesAnInstanceSendsBetweenAnswersAreNeverTakenForTheNextAnswer() throws Exception {
        CountDownLatch strayOut = new CountDownLatch(1);
        // The answer, then, unasked, the head of another one, on the connection the door keeps.
        assertTheSecondMessageGetsItsOwnAnswer(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("HTTP/1.1 299 Stray\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            strayOut.countDown();
        }, () -> assertThat(strayOut.await(10, TimeUnit.SECONDS)).isTrue());
    }

    @Test
    void halfAHeaderThatCameInTheSameReadAsAnAnswerIsNeverReadWithTheNextAnswer() throws Exception {
        // The answer and, in the same write, the start of a head no message asked for.
        assertTheSecondMessageGetsItsOwnAnswer(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 299 St".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }, () -> { });
    }

    /** Writes an instance's answer to the first message, with whatever else the test has it send. */
    private interface FirstAnswer {
        void write(OutputStream out) throws IOException;
    }

    /** What the test waits for between the first message's answer and the second message. */
    private interface Between {
        void run() throws Exception;
    }

    /**
     * A stand-in instance answers a first message with {@code firstAnswer} (an answer and bytes no
     * message asked for), then a second one with "second", on whatever connection the door sends it.
     */
    private void assertTheSecondMessageGetsItsOwnAnswer(FirstAnswer firstAnswer, Between between) throws Exception {
        try (java.net.ServerSocket chatty = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket first = chatty.accept()) {
                    java.io.InputStream in = first.getInputStream();
                    readHead(in);
                    in.readNBytes(5);   // "first"
                    firstAnswer.write(first.getOutputStream());
                    // Whatever connection the next message comes on, it is answered as it should be.
                    Thread.ofVirtual().start(() -> {
                        try (java.net.Socket next = chatty.accept()) {
                            answerSecond(next);
                            next.getInputStream().read();
                        } catch (IOException e) {
                            // The test is over and the stand-in's socket closed.
                        }
                    });
                    answerSecond(first);
                    in.read();
                } catch (IOException e) {
                    // The test is over and the stand-in's socket closed.
                }
            });
            launcher.fixedPort = chatty.getLocalPort();
            host.create(new ServiceDefinition("chatty", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/c"), "t")
                    .completion().get(10, TimeUnit.SECONDS);
            assertThat(post("chatty", "first").body()).isEqualTo("ok");
            between.run();

            HttpResponse<String> second = post("chatty", "second");

            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("second");
        }
    }

    @Test
    void theDoorLetsGoOfAnInstancesAddressOnceTheInstanceExits() throws Exception {
        HttpServer other = startInstance(0);
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), other.getAddress().getPort());
            launcher.fixedPort = address.getPort();
            host.create(new ServiceDefinition("billing", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/b"), "t")
                    .completion().get(10, TimeUnit.SECONDS);
            assertThat(post("billing", "x").statusCode()).isEqualTo(200);
            assertThat(door.keptAddresses()).contains(address);
            // Heard after the door, which listens from its opening: by then the door has let go.
            CountDownLatch exited = new CountDownLatch(1);
            host.addListener(new HostListener() {
                @Override
                public void serviceChanged(ServiceView service) {
                }

                @Override
                public void serviceRemoved(String name) {
                }

                @Override
                public void operationProgress(org.sluice.lifecycle.OperationRecord record) {
                }

                @Override
                public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                    if (service.equals("billing") && event instanceof InstanceEvent.Exited) {
                        exited.countDown();
                    }
                }
            });

            host.perform("billing", Operation.STOP, "t").completion().get(10, TimeUnit.SECONDS);

            assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(door.keptAddresses()).doesNotContain(address);
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aRequestFromAWebPageIsRefusedBeforeItReachesAnInstance() throws Exception {
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(door.endpoint("orders")))
                .header("Origin", "http://localhost:3000")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("Requests from web pages are refused; send messages from a program, not a browser");
        assertThat(refused.body()).doesNotContain("echo");
    }

    @Test
    void aStalledUploadIsCutOffWhileOtherSendersAreServed() throws Exception {
        // The tests' JVM reads a request for at most 5 s (pom.xml); a host, for 30 s.
        try (java.net.Socket stalled = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), door.port())) {
            stalled.getOutputStream().write(("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\n"
                    + "Content-Length: 1000\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            stalled.setSoTimeout(20_000);

            assertThat(post("orders", "meanwhile").statusCode()).isEqualTo(200);
            long start = System.nanoTime();
            int read = stalled.getInputStream().read();

            assertThat(read).as("the door closed the stalled connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aMessageOfExactlyTheLimitIsForwardedWhole() throws Exception {
        String largest = "x".repeat(FrontDoor.MAX_MESSAGE_BYTES - 1) + "y";

        HttpResponse<String> response = post("orders", largest);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"echo\":\"" + largest + "\"");
    }

    @Test
    void anUnknownNameIsNotEchoedBackWhenItCannotBeAServicesName() throws Exception {
        String huge = "x".repeat(60_000);
        HttpResponse<String> unknown = post(huge, "{}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("No such service: a service's name is 1 to 63 lower-case letters, digits or hyphens");
        assertThat(post("billing", "{}").body()).isEqualTo("No service named 'billing'");
    }

    @Test
    void forwardsToTheAddressTheInstanceTakesMessagesAtNotOnlyToItsPortOnLoopback() throws Exception {
        // An instance that runs elsewhere: 127.0.0.2 stands in for its pod, where 127.0.0.1 has nothing on that port.
        HttpServer remote = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 50);
        remote.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"messageId\":\"m2\",\"instance\":0,\"at\":\"remote\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        remote.start();
        try {
            launcher.fixedAddress = remote.getAddress();
            host.create(new ServiceDefinition("billing", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/b"), "t")
                    .completion().get(10, TimeUnit.SECONDS);

            HttpResponse<String> response = post("billing", "hello");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"at\":\"remote\"");
        } finally {
            remote.stop(0);
        }
    }

    /** Sends {@code request} as it is on a connection of its own and returns all the door answers until it closes the connection. */
    private String raw(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), door.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredEachInTheOrderTheyCame() throws Exception {
        String first = "POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 5\r\n\r\nfirst";
        String second = "POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 6\r\n\r\nsecond";
        String third = "POST /services/nope/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";

        String answers = raw(first + second + third);

        assertThat(answers.split("HTTP/1.1 ", -1)).hasSize(4);
        assertThat(answers.indexOf("\"echo\":\"first\"")).isGreaterThan(0)
                .isLessThan(answers.indexOf("\"echo\":\"second\""));
        assertThat(answers.indexOf("\"echo\":\"second\"")).isLessThan(answers.indexOf("HTTP/1.1 404"));
        assertThat(answers).endsWith("No service named 'nope'");
    }

    @Test
    void aMalformedRequestIs400AndItsConnectionIsClosed() throws Exception {
        String answer = raw("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: x\r\n\r\nhello");

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer).contains("not a well-formed HTTP/1.1 request");
    }

    @Test
    void aHugeHeaderIsRefusedAndItsConnectionIsClosed() throws Exception {
        String answer = raw("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nX-Filler: " + "x".repeat(200_000)
                + "\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(answer).startsWith("HTTP/1.1 431 ");
        assertThat(answer).doesNotContain("echo");
    }

    @Test
    void aRequestLineOver64KiBIs414AndItsConnectionIsClosed() throws Exception {
        String answer = raw("POST /services/" + "x".repeat(70_000) + "/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(answer).startsWith("HTTP/1.1 414 ");
        assertThat(answer).doesNotContain("xxxx");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        StringBuilder request = new StringBuilder("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n");
        String chunk = "x".repeat(64 * 1024);
        for (int sent = 0; sent <= FrontDoor.MAX_MESSAGE_BYTES; sent += chunk.length()) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");

        String answer = raw(request.toString());

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(answer).endsWith("A message may be at most " + FrontDoor.MAX_MESSAGE_BYTES + " bytes");
    }

    @Test
    void aRequestGivingBothContentLengthAndChunkedIsRefusedAndNothingAfterItOnItsConnectionIsRead() throws Exception {
        // Read by its Content-Length, the first request's body would be "5\r\nh", and what follows it another request:
        // the door must not answer the two framings differently from something in front of it.
        String answer = raw("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + "POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 6\r\n\r\nsecond");

        assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close")
                .contains("both Content-Length and Transfer-Encoding");
        assertThat(answer).as("one answer, then the connection closed")
                .endsWith("Transfer-Encoding); messages go to POST /services/{name}/messages").doesNotContain("HTTP/1.1 200");
        assertThat(answer).doesNotContain("echo");
    }

    @Test
    void aPortThatIsTakenIsSaidToBeInUse() throws Exception {
        java.net.InetSocketAddress at = new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), door.port());
        assertThatThrownBy(() -> FrontDoor.open(host, at))
                .isInstanceOf(java.net.BindException.class)
                .hasMessage("The front door cannot listen on 127.0.0.1:" + door.port() + ": another program uses that port");
    }

    @Test
    void aHeadRequestIsAnsweredWithItsHeadAlone() throws Exception {
        String answer = raw("HEAD /services/orders/messages HTTP/1.1\r\nHost: door\r\n\r\n"
                + "POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");

        assertThat(answer).startsWith("HTTP/1.1 405 ");
        String afterHead = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(afterHead).as("no body after the HEAD answer's head").startsWith("HTTP/1.1 200 ").contains("\"echo\":\"hello\"");
    }

    @Test
    void aHeadRequestThatExpectsContinueIsStillAnsweredWithItsHeadAlone() throws Exception {
        // A 100 Continue answers no request: it must not take the HEAD's place in the codec's order.
        String answer = raw("HEAD /services/orders/messages HTTP/1.1\r\nHost: door\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"
                + "POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");

        String afterContinue = answer.startsWith("HTTP/1.1 100 ") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : answer;
        assertThat(afterContinue).startsWith("HTTP/1.1 405 ");
        assertThat(afterContinue.substring(afterContinue.indexOf("\r\n\r\n") + 4)).as("no body after the HEAD answer's head")
                .startsWith("HTTP/1.1 200 ").contains("\"echo\":\"hello\"");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsForwardedWhole() throws Exception {
        String answer = raw("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(answer).contains("\"echo\":\"hello\"");
    }

    @Test
    void aPathOutsideTheDoorsIs404WithTheWayToSendAMessage() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(door.endpoint("orders").replace("/services/orders/messages", "/other")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("Not found; messages go to POST /services/{name}/messages");
    }

    @Test
    void aSenderIsAnsweredOnTheConnectionItKeepsOpen() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), door.port())) {
            socket.setSoTimeout(10_000);
            java.io.InputStream in = socket.getInputStream();
            for (String body : new String[] {"one", "two", "three"}) {
                socket.getOutputStream().write(("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: " + body.length()
                        + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200 ");
                int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *([0-9]+).*", "$1"));
                assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8)).contains("\"echo\":\"" + body + "\"");
            }
        }
    }

    @Test
    void connectionsOverTheDoorsLimitAreClosedAtOnceWhileThoseWithinAreServed() throws Exception {
        try (FrontDoor small = FrontDoor.open(host, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2);
             java.net.Socket first = new java.net.Socket(InetAddress.getLoopbackAddress(), small.port());
             java.net.Socket second = new java.net.Socket(InetAddress.getLoopbackAddress(), small.port());
             java.net.Socket third = new java.net.Socket(InetAddress.getLoopbackAddress(), small.port())) {
            third.setSoTimeout(10_000);
            assertThat(third.getInputStream().read()).as("the third connection is closed unanswered").isEqualTo(-1);

            first.setSoTimeout(10_000);
            first.getOutputStream().write("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: 2\r\n\r\nhi"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(first.getInputStream())).startsWith("HTTP/1.1 200 ");
        }
    }

    private static void answerSecond(java.net.Socket connection) throws IOException {
        readHead(connection.getInputStream());
        connection.getInputStream().readNBytes(6);   // "second"
        connection.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond".getBytes(StandardCharsets.US_ASCII));
        connection.getOutputStream().flush();
    }

    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed in the answer's head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
