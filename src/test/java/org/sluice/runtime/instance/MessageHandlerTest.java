package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.ServiceDefinition.Validation;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

/**
 * The instance's handler reading a message body as it arrives, through an exchange whose body
 * remembers how far ahead of the received bytes the handler made room.
 */
class MessageHandlerTest {
    private final InstantSource clock = () -> Instant.ofEpochMilli(1_000);
    private final ProtocolWriter quiet = new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream()));
    private final InstanceMonitor monitor = new InstanceMonitor(clock, bytes -> 40, () -> 1, quiet);
    private final List<byte[]> delivered = new CopyOnWriteArrayList<>();
    private final MessageHandler handler;

    MessageHandlerTest() throws Exception {
        handler = new MessageHandler(0, new InstanceGate(), monitor,
                MessagePipeline.create(Validation.NONE, Optional.empty(), (id, message) -> delivered.add(message)),
                new DeliveryProblems(clock, quiet));
    }

    @Test
    void aSlowBodyIsGivenRoomOnlyForTheBytesThatArrived() throws Exception {
        // A sender that has sent three bytes must cost three bytes and a little, not the 16 KiB
        // that readNBytes sets aside before the first byte.
        ArrivingBody body = new ArrivingBody("abc".getBytes(StandardCharsets.US_ASCII));
        Exchange exchange = new Exchange(body);

        handler.handle(exchange);

        assertThat(exchange.status).isEqualTo(200);
        assertThat(delivered).singleElement().isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(body.mostRoomAhead()).as("bytes the instance made room for beyond those that had arrived").isLessThanOrEqualTo(1024);
    }

    @Test
    void aBodyOverTheLimitIsAnsweredTooLargeAndNotDelivered() throws Exception {
        ArrivingBody body = new ArrivingBody(new byte[MessageHandler.MAX_MESSAGE_BYTES + 1]);
        Exchange exchange = new Exchange(body);

        handler.handle(exchange);

        assertThat(exchange.status).isEqualTo(413);
        assertThat(exchange.answer()).isEqualTo("the message is over the limit of 4194304 bytes (4 MiB)");
        assertThat(delivered).isEmpty();
        assertThat(body.mostRoomAhead()).as("bytes the instance made room for beyond those that had arrived").isLessThanOrEqualTo(1024);
        assertThat(monitor.awaitIdle(10_000)).isTrue();
    }

    @Test
    void theLargestBodyIsDeliveredWhole() throws Exception {
        byte[] largest = new byte[MessageHandler.MAX_MESSAGE_BYTES];
        java.util.Arrays.fill(largest, (byte) 'x');
        largest[largest.length - 1] = 'y';
        Exchange exchange = new Exchange(new ArrivingBody(largest));

        handler.handle(exchange);

        assertThat(exchange.status).isEqualTo(200);
        assertThat(delivered).singleElement().isEqualTo(largest);
    }

    /** A POST to /messages with the given body; keeps the status and the answer. */
    private static final class Exchange extends HttpExchange {
        private final InputStream body;
        private final Headers requestHeaders = new Headers();
        private final Headers responseHeaders = new Headers();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;

        Exchange(InputStream body) {
            this.body = body;
        }

        String answer() {
            return out.toString(StandardCharsets.UTF_8);
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return URI.create("/messages");
        }

        @Override
        public String getRequestMethod() {
            return "POST";
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {
        }

        @Override
        public InputStream getRequestBody() {
            return body;
        }

        @Override
        public OutputStream getResponseBody() {
            return out;
        }

        @Override
        public void sendResponseHeaders(int code, long length) {
            status = code;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return InetSocketAddress.createUnresolved("sender", 1);
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return InetSocketAddress.createUnresolved("instance", 2);
        }

        @Override
        public String getProtocol() {
            return "HTTP/1.1";
        }

        @Override
        public Object getAttribute(String name) {
            return null;
        }

        @Override
        public void setAttribute(String name, Object value) {
        }

        @Override
        public void setStreams(InputStream in, OutputStream out) {
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }
}
