package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;

/** What one connection to the front door holds while its request arrives. */
class DoorConnectionTest {
    private final DoorConnection connection = new DoorConnection(null, Duration.ofSeconds(30));
    private final EmbeddedChannel channel = new EmbeddedChannel(connection.arrival(), new HttpServerCodec(), new FlowControlHandler(), connection);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void arrive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aStalledUploadIsGivenRoomOnlyForTheBytesThatArrived() {
        // Headers promising 4 MiB, then three bytes and nothing: 1,000 such senders must not hold
        // 4 MiB each, nor 16 KiB each (docs/perf.md, J6).
        arrive("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: " + FrontDoor.MAX_MESSAGE_BYTES + "\r\n\r\n");
        arrive("abc");

        assertThat(connection.room()).as("bytes set aside for a body of which 3 have come").isBetween(3, 1024);
    }

    @Test
    void theRoomForABodyGrowsWithTheBytesThatCome() {
        arrive("POST /services/orders/messages HTTP/1.1\r\nHost: door\r\nContent-Length: " + FrontDoor.MAX_MESSAGE_BYTES + "\r\n\r\n");
        String piece = "x".repeat(1000);
        for (int i = 0; i < 10; i++) {
            arrive(piece);
        }

        assertThat(connection.room()).as("bytes set aside for a body of which 10,000 have come").isBetween(10_000, 2 * 10_000);
    }
}
