package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sluice.lifecycle.ServiceDefinition.Validation;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;

/**
 * The instance's handler reading a message body as it arrives: the room it sets aside follows the
 * bytes that came, a body over the limit is refused, and the largest is delivered whole.
 */
@Timeout(60)
class MessageHandlerTest {
    private final InstantSource clock = () -> Instant.ofEpochMilli(1_000);
    private final ProtocolWriter quiet = new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream()));
    private final InstanceMonitor monitor = new InstanceMonitor(clock, bytes -> 40, () -> 1, quiet);
    private final List<byte[]> delivered = new CopyOnWriteArrayList<>();
    private final MessageEndpoint endpoint;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    MessageHandlerTest() throws Exception {
        MessageHandler handler = new MessageHandler(0, new InstanceGate(), monitor,
                MessagePipeline.create(Validation.NONE, Optional.empty(), (id, message) -> delivered.add(message)),
                new DeliveryProblems(clock, quiet));
        endpoint = MessageEndpoint.open(handler, 1);
    }

    @AfterEach
    void close() {
        endpoint.close();
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/messages"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSlowBodyIsGivenRoomOnlyForTheBytesThatArrived() throws Exception {
        // A sender that has sent three bytes must cost three bytes and a little, not the 4 MiB its
        // Content-Length promises, nor the 16 KiB that readNBytes sets aside before the first byte.
        InstanceConnection connection = new InstanceConnection(endpoint, Duration.ofSeconds(30));
        EmbeddedChannel channel = new EmbeddedChannel(connection.arrival(), new HttpServerCodec(), new FlowControlHandler(), connection);
        try {
            channel.writeInbound(Unpooled.copiedBuffer("POST /messages HTTP/1.1\r\nHost: instance\r\nContent-Length: "
                    + MessageHandler.MAX_MESSAGE_BYTES + "\r\n\r\n", StandardCharsets.ISO_8859_1));
            channel.writeInbound(Unpooled.copiedBuffer("abc", StandardCharsets.ISO_8859_1));

            assertThat(connection.room()).as("bytes the instance made room for, of which 3 have arrived").isBetween(3, 1024);
            for (int i = 0; i < 10; i++) {
                channel.writeInbound(Unpooled.copiedBuffer("x".repeat(1000), StandardCharsets.ISO_8859_1));
            }
            assertThat(connection.room()).as("bytes the instance made room for, of which 10,003 have arrived").isBetween(10_003, 2 * 10_003);
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(monitor.awaitIdle(10_000)).as("the message of a sender that went is no longer in process").isTrue();
    }

    @Test
    void aBodyOverTheLimitIsAnsweredTooLargeAndNotDelivered() throws Exception {
        HttpResponse<String> answer = post(new byte[MessageHandler.MAX_MESSAGE_BYTES + 1]);

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).isEqualTo("the message is over the limit of 4194304 bytes (4 MiB)");
        assertThat(delivered).isEmpty();
        assertThat(monitor.awaitIdle(10_000)).isTrue();
    }

    @Test
    void theLargestBodyIsDeliveredWhole() throws Exception {
        byte[] largest = new byte[MessageHandler.MAX_MESSAGE_BYTES];
        java.util.Arrays.fill(largest, (byte) 'x');
        largest[largest.length - 1] = 'y';

        HttpResponse<String> answer = post(largest);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(delivered).singleElement().isEqualTo(largest);
    }
}
