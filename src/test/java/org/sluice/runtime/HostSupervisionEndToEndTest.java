package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;

/**
 * A role instance killed with SIGKILL, as the operating system's out-of-memory killer or an
 * operator would: the host starts it again on its own, and the service serves on all its units.
 */
@Timeout(120)
class HostSupervisionEndToEndTest {
    @TempDir
    Path temp;

    private RealHost real;

    /** Ready events of instance 1 of "orders", with the process id each reported. */
    private final BlockingQueue<InstanceEvent.Ready> readyOfSecond = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        if (real != null) {
            real.close();
        }
    }

    @Test
    void aKilledInstanceIsStartedAgainAndTheServiceServesOnAllUnits() throws Exception {
        real = new RealHost(temp, new HostTest.RecordingListener() {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (service.equals("orders") && instance.index() == 1 && event instanceof InstanceEvent.Ready ready) {
                    readyOfSecond.add(ready);
                }
            }
        });
        ServiceDefinition orders = new ServiceDefinition("orders", 2, 1, 128, Validation.JSON, null, null,
                "dir:" + temp.resolve("outbox"));
        assertThat(real.host.create(orders, "test").completion().get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED);
        InstanceEvent.Ready first = readyOfSecond.poll(30, TimeUnit.SECONDS);
        assertThat(first).isNotNull();

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

        InstanceEvent.Ready again = readyOfSecond.poll(60, TimeUnit.SECONDS);
        assertThat(again).as("instance 1 ready again").isNotNull();
        assertThat(again.pid()).isNotEqualTo(first.pid());
        ServiceView service = real.host.service("orders").orElseThrow();
        assertThat(service.state()).isEqualTo(ServiceState.ACTIVE);
        assertThat(service.instances()).extracting(InstanceView::status).containsOnly(InstanceStatus.RUNNING);
        HttpClient client = HttpClient.newHttpClient();
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(real.door.endpoint("orders")))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"order\":" + i + "}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            answeredBy.add(answer.body().replaceAll(".*\"instance\":(\\d+).*", "$1"));
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("0", "1");
    }
}
