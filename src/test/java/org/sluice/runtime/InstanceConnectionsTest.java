package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The front door's connections to role instances, against a scripted instance on a raw socket:
 * what goes over the wire and what comes back, connection by connection.
 */
@Timeout(20)
class InstanceConnectionsTest {
    private final InstanceConnections connections = new InstanceConnections(Duration.ofSeconds(2), Duration.ofSeconds(2));
    private ScriptedInstance instance;

    @AfterEach
    void close() throws IOException {
        connections.close();
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void postsTheMessageAndBringsBackStatusBodyAndTheHeadersTheDoorPassesOn() throws Exception {
        instance = new ScriptedInstance((request, n) -> answer(503, "Server is busy. Please try again.",
                "Retry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\n"));

        InstanceConnections.Answer answer = connections.post(instance.port(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("Server is busy. Please try again.");
        assertThat(answer.retryAfter()).contains("1");
        assertThat(answer.contentType()).contains("text/plain; charset=utf-8");
        Request seen = instance.requests.take();
        assertThat(seen.line).isEqualTo("POST /messages HTTP/1.1");
        assertThat(seen.body).isEqualTo("{\"a\":1}");
    }

    @Test
    void messagesInTurnShareOneConnection() throws Exception {
        instance = new ScriptedInstance((request, n) -> answer(200, "ok " + n, ""));

        for (int i = 0; i < 5; i++) {
            assertThat(new String(connections.post(instance.port(), ("m" + i).getBytes(StandardCharsets.UTF_8)).body(),
                    StandardCharsets.UTF_8)).isEqualTo("ok " + i);
        }

        assertThat(instance.accepted.get()).isEqualTo(1);
    }

    @Test
    void aKeptConnectionTheInstanceClosedGivesWayToANewOneAndTheMessageGetsThrough() throws Exception {
        // The instance answers the first message, then closes that connection, as a restarted
        // instance's port or a server dropping idle connections would.
        instance = new ScriptedInstance((request, n) -> answer(200, "ok " + n, ""));
        instance.closeAfterEachAnswer = true;
        connections.post(instance.port(), "first".getBytes(StandardCharsets.UTF_8));

        InstanceConnections.Answer second = connections.post(instance.port(), "second".getBytes(StandardCharsets.UTF_8));

        assertThat(second.status()).isEqualTo(200);
        assertThat(instance.accepted.get()).isEqualTo(2);
        assertThat(instance.bodies).containsExactly("first", "second");
    }

    @Test
    void readsAChunkedAnswerAndAnAnswerClosedByTheInstance() throws Exception {
        instance = new ScriptedInstance((request, n) -> n == 0
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                : "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nnot JSON");

        assertThat(new String(connections.post(instance.port(), "a".getBytes(StandardCharsets.UTF_8)).body(), StandardCharsets.UTF_8))
                .isEqualTo("hello world");
        InstanceConnections.Answer closed = connections.post(instance.port(), "b".getBytes(StandardCharsets.UTF_8));
        assertThat(closed.status()).isEqualTo(400);
        assertThat(new String(closed.body(), StandardCharsets.UTF_8)).isEqualTo("not JSON");
    }

    @Test
    void anInstanceThatDoesNotAnswerInTimeIsAFailureNotARetry() throws Exception {
        instance = new ScriptedInstance((request, n) -> null);

        assertThatThrownBy(() -> connections.post(instance.port(), "x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(instance.bodies).containsExactly("x");
    }

    @Test
    void aPortNobodyListensOnIsAFailure() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        assertThatThrownBy(() -> connections.post(port, "x".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }

    private static String answer(int status, String body, String headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " X\r\n" + headers + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    private record Request(String line, String body) {
    }

    /** A role instance stand-in that reads requests with a Content-Length and answers from a script. */
    private static final class ScriptedInstance implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();
        final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        final List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean closeAfterEachAnswer;
        private final BiFunction<Request, Integer, String> script;

        ScriptedInstance(BiFunction<Request, Integer, String> script) throws IOException {
            this.script = script;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String line = readLine(in);
                    if (line == null) {
                        return;
                    }
                    int length = 0;
                    for (String header; !(header = readLine(in)).isEmpty(); ) {
                        if (header.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(header.substring(15).trim());
                        }
                    }
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    Request request = new Request(line, body);
                    bodies.add(body);
                    requests.add(request);
                    String answer = script.apply(request, served.getAndIncrement());
                    if (answer == null) {
                        // Never answers: hold the connection until the client gives up.
                        in.read();
                        return;
                    }
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (closeAfterEachAnswer || answer.contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The client went away.
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    return line.isEmpty() ? null : line.toString();
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
