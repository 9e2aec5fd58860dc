package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A networked instance's protocol on the endpoint's loops: a follower that does not read, and commands refused on the loop. */
@Timeout(60)
class EventStreamFollowerTest {
    private final EventFeed feed = new EventFeed();
    private MessageEndpoint endpoint;

    @AfterEach
    void close() {
        feed.end();
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void aFollowerThatDoesNotReadIsCutOffInsteadOfHavingItsLinesBufferedWithoutLimit() throws Exception {
        endpoint = MessageEndpoint.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        endpoint.serveProtocol(new ProtocolHandler("token", feed));
        String reason = "x".repeat(2000);
        int published = 10_000;
        try (Socket follower = new Socket()) {
            follower.setReceiveBufferSize(4096);
            follower.connect(endpoint.address());
            follower.getOutputStream().write("GET /protocol/events HTTP/1.1\r\nHost: instance\r\nAuthorization: Bearer token\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = follower.getInputStream();
            follower.setSoTimeout(20_000);
            assertThat(new String(in.readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");

            // About 20 MB of lines while the follower reads nothing, in batches the loop keeps up with.
            for (int i = 0; i < published; i++) {
                feed.publish(new ProtocolEvent.Problem(reason + i));
                if (i % 100 == 99) {
                    endpoint.settle();
                }
            }

            long read = 0;
            byte[] scrap = new byte[64 * 1024];
            int n;
            while ((n = in.read(scrap)) > 0) {
                read += n;
            }
            assertThat(n).as("the stream ended: the follower was cut off").isEqualTo(-1);
            assertThat(read).as("bytes the follower got of the %d lines", published).isLessThan(published * 2000L / 2);
        }
    }

    @Test
    void aCommandBeforeReadyIsAnsweredConflictAndOneWithoutTheTokenUnauthorized() throws Exception {
        endpoint = MessageEndpoint.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        endpoint.serveProtocol(new ProtocolHandler("token", feed));
        try (Socket host = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            host.setSoTimeout(10_000);
            host.getOutputStream().write(("POST /protocol/suspend HTTP/1.1\r\nHost: instance\r\nAuthorization: Bearer token\r\n"
                    + "Content-Length: 0\r\n\r\n"
                    + "POST /protocol/suspend HTTP/1.1\r\nHost: instance\r\nAuthorization: Bearer other\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answers = new String(host.getInputStream().readNBytes(1), StandardCharsets.US_ASCII);
            byte[] rest = new byte[4096];
            StringBuilder text = new StringBuilder(answers);
            while (!text.toString().contains("Bearer TOKEN")) {
                int n = host.getInputStream().read(rest);
                assertThat(n).isPositive();
                text.append(new String(rest, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(text.toString()).startsWith("HTTP/1.1 409 ")
                    .contains("the instance is not ready yet; send suspend once it has said it is ready")
                    .contains("HTTP/1.1 401 ").containsIgnoringCase("www-authenticate: Bearer");
        }
    }
}
