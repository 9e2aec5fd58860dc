package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.HeldDestination;

/**
 * SIGTERM to a real {@code sluice host} while a message is in flight, as systemd stops the host:
 * the message is delivered and its sender told so, a new message is refused with a time to come
 * back, and the host exits once the message is answered.
 */
@Timeout(120)
class GracefulStopEndToEndTest {
    @TempDir
    Path temp;

    private final HttpClient client = HttpClient.newHttpClient();
    private HeldDestination destination;
    private HostProcess host;

    @AfterEach
    void stop() throws InterruptedException {
        if (host != null) {
            host.close();
        }
        if (destination != null) {
            destination.close();
        }
    }

    private HttpRequest message(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port + "/services/orders/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void aMessageInFlightAtSigtermIsDeliveredAndItsSenderHearsSo() throws Exception {
        destination = new HeldDestination(4);
        Path definitions = temp.resolve("services.json");
        Files.writeString(definitions, "{\"services\":[{\"name\":\"orders\",\"units\":1,\"memoryMb\":96,"
                + "\"destination\":\"" + destination.url() + "\"}]}");
        host = new HostProcess(temp.resolve("data"), temp.resolve("host.err"), "--define", definitions.toString());
        host.await("orders: Create succeeded");

        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(message("{\"id\":1}"), HttpResponse.BodyHandlers.ofString());
        assertThat(destination.awaitReceived(1, 30, TimeUnit.SECONDS)).as("the message reached its destination").isTrue();

        host.signalTerm();
        host.await("Stopping the role instances");
        HttpResponse<String> refused = client.send(message("{\"id\":2}"), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(inFlight).as("the host waits for the message in flight").isNotDone();

        destination.release();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(host.exitStatus()).isEqualTo(143);
        host.await("Host stopped");
        assertThat(destination.received()).containsExactly("{\"id\":1}");
    }
}
