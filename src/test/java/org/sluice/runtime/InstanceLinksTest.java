package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The front door's kept connections to instances, and what it keeps per instance address. */
@Timeout(30)
class InstanceLinksTest {
    /** The door's own transport: epoll where it loads, NIO with -Dsluice.door.transport=nio. */
    private final DoorTransport transport = DoorTransport.choose();
    private final EventLoopGroup loops = transport.loops(1, new DefaultThreadFactory("instance-links-test", true));
    private final EventLoop loop = loops.next();
    private final InstanceLinks links = new InstanceLinks(transport, Duration.ofSeconds(5), Duration.ofSeconds(10));

    @AfterEach
    void close() {
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** The status of the answer to one message posted to {@code address}, from the loop as the door posts. */
    private int post(InetSocketAddress address) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        loop.execute(() -> links.post(loop, address, Unpooled.copiedBuffer("m", StandardCharsets.UTF_8), new InstanceLinks.Reply() {
            @Override
            public void answered(InstanceLinks.Answer answer) {
                answer.body().release();
                status.complete(answer.status());
            }

            @Override
            public void failed(IOException cause) {
                status.completeExceptionally(cause);
            }
        }));
        return status.get(10, TimeUnit.SECONDS);
    }

    /** The addresses the loop keeps anything for, read on the loop, after whatever it was doing. */
    private Set<InetSocketAddress> kept() throws Exception {
        return loop.submit(() -> links.addressesOf(loop)).get(10, TimeUnit.SECONDS);
    }

    /** Stands in for an instance on one connection: answers each message, closing after {@code answers} of them. */
    private static Thread instance(ServerSocket server, int answers) {
        return standIn(server, answers, true);
    }

    /**
     * Stands in for an instance on one connection: answers its first {@code answers} messages, the last
     * of them with {@code Connection: close} when {@code closes}, else takes the next message without a
     * word; then waits until the door closes the connection.
     */
    private static Thread standIn(ServerSocket server, int answers, boolean closes) {
        return Thread.ofVirtual().start(() -> {
            try (Socket connection = server.accept()) {
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream();
                for (int i = 1; i <= answers; i++) {
                    readHead(in);
                    in.readNBytes(1);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + (closes && i == answers ? "Connection: close\r\n" : "") + "\r\nok")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                if (!closes) {
                    readHead(in);
                    in.readNBytes(1);
                }
                in.read();
            } catch (IOException e) {
                // The test is over.
            }
        });
    }

    @Test
    void anAddressIsForgottenWhenItsLastConnectionCloses() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            instance(server, 2);

            assertThat(post(address)).isEqualTo(200);
            assertThat(kept()).containsExactly(address);
            // The kept connection carries the second message; the instance closes it after its answer.
            assertThat(post(address)).isEqualTo(200);

            assertThat(kept()).isEmpty();
        }
    }

    @Test
    void forgettingAnAddressClosesItsIdleConnectionsAndDropsItsEntry() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            Thread stand = instance(server, 5);
            assertThat(post(address)).isEqualTo(200);

            links.forget(address);

            assertThat(kept()).isEmpty();
            // The instance sees its connection closed by the door.
            stand.join(Duration.ofSeconds(10));
            assertThat(stand.isAlive()).isFalse();
        }
    }

    /** What posting one message with {@code on} to {@code address} came to: its status, or the failure's message. */
    private String outcome(InstanceLinks on, InetSocketAddress address) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        loop.execute(() -> on.post(loop, address, Unpooled.copiedBuffer("m", StandardCharsets.UTF_8), new InstanceLinks.Reply() {
            @Override
            public void answered(InstanceLinks.Answer answer) {
                answer.body().release();
                outcome.complete(String.valueOf(answer.status()));
            }

            @Override
            public void failed(IOException cause) {
                outcome.complete(cause.getMessage());
            }
        }));
        return outcome.get(10, TimeUnit.SECONDS);
    }

    /** Stands in for an instance that answers its first {@code answers} messages on one connection and then takes the next without a word. */
    private static Thread silentAfter(ServerSocket server, int answers) {
        return standIn(server, answers, false);
    }

    @Test
    void aMessageNotAnsweredWithinTheReadTimeoutFails() throws Exception {
        InstanceLinks quick = new InstanceLinks(transport, Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            silentAfter(server, 0);
            long postedAt = System.nanoTime();

            assertThat(outcome(quick, address)).isEqualTo("no answer within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - postedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void eachMessageOnAKeptConnectionHasTheWholeReadTimeout() throws Exception {
        InstanceLinks quick = new InstanceLinks(transport, Duration.ofSeconds(5), Duration.ofSeconds(1));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            silentAfter(server, 1);
            assertThat(outcome(quick, address)).isEqualTo("200");
            long postedAt = System.nanoTime();

            // The second message goes on the kept connection; its time counts from when it was sent, not from the
            // first: the first's deadline, still waiting, comes before the second's by the time of the first's answer.
            assertThat(outcome(quick, address)).isEqualTo("no answer within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - postedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(loop.submit(() -> quick.addressesOf(loop)).get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aMessageGoesOutAsAPostWithItsHostAndLength() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            CompletableFuture<String> seen = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket connection = server.accept()) {
                    InputStream in = connection.getInputStream();
                    for (int i = 0; i < 2; i++) {
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            head.append((char) in.read());
                        }
                        String body = new String(in.readNBytes(1), StandardCharsets.US_ASCII);
                        if (i == 1) {
                            seen.complete(head + body);
                        }
                        connection.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    in.read();
                } catch (IOException e) {
                    seen.completeExceptionally(e);
                }
            });

            assertThat(post(address)).isEqualTo(200);
            assertThat(post(address)).isEqualTo(200);

            // The second message, on the kept connection, goes out as the first did.
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("POST /messages HTTP/1.1\r\nhost: 127.0.0.1:" + address.getPort()
                    + "\r\ncontent-length: 1\r\n\r\nm");
        }
    }

    /** Stands in for an instance that takes one message and writes {@code answer} back, closing the connection after it. */
    private static void answering(ServerSocket server, String answer) {
        Thread.ofVirtual().start(() -> {
            try (Socket connection = server.accept()) {
                InputStream in = connection.getInputStream();
                readHead(in);
                in.readNBytes(1);
                connection.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                connection.getOutputStream().flush();
            } catch (IOException e) {
                // The test is over.
            }
        });
    }

    /** The answer to one message: its status, Content-Type and body; or the failure's message. */
    private String answerOf(InetSocketAddress address) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        loop.execute(() -> links.post(loop, address, Unpooled.copiedBuffer("m", StandardCharsets.UTF_8), new InstanceLinks.Reply() {
            @Override
            public void answered(InstanceLinks.Answer answer) {
                outcome.complete(answer.status() + " " + answer.contentType() + " " + answer.body().toString(StandardCharsets.US_ASCII));
                answer.body().release();
            }

            @Override
            public void failed(IOException cause) {
                outcome.complete("failed: " + cause.getMessage());
            }
        }));
        return outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerInChunksIsPassedOnWhole() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            answering(server, "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\nok\r\n3\r\n!!!\r\n0\r\n\r\n");

            assertThat(answerOf(address)).isEqualTo("201 text/plain ok!!!");
        }
    }

    @Test
    void anAnswerCutShortFails() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            answering(server, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");

            assertThat(answerOf(address)).isEqualTo("failed: Channel closed while still aggregating message");
        }
    }

    @Test
    void anAnswerOverTheLimitFails() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            answering(server, "HTTP/1.1 200 OK\r\nContent-Length: " + (InstanceLinks.MAX_ANSWER_BYTES + 1) + "\r\n\r\nabc");

            assertThat(answerOf(address)).startsWith("failed: Response entity too large: ");
        }
    }

    @Test
    void anAnswerInChunksOverTheLimitFails() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            String chunk = "x".repeat(64 * 1024);
            StringBuilder answer = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int sent = 0; sent <= InstanceLinks.MAX_ANSWER_BYTES; sent += chunk.length()) {
                answer.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            answering(server, answer.append("0\r\n\r\n").toString());

            assertThat(answerOf(address)).startsWith("failed: Response entity too large: ");
        }
    }

    private static void readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed in the head: " + head);
            }
            head.append((char) b);
        }
    }
}
