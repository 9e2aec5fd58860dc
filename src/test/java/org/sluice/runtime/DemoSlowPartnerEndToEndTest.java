package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.traffic.HttpSender;
import org.sluice.fleet.traffic.LoadBody;
import org.sluice.fleet.traffic.SteadyTraffic;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.ThrottleState;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The demonstration services include one whose destination is slow, so that test traffic at the
 * console's default rate makes its instance throttle, with real role-instance JVMs and nothing set
 * up by hand.
 */
@Timeout(120)
class DemoSlowPartnerEndToEndTest {
    @TempDir
    Path temp;

    @Test
    void testTrafficAtTheConsolesDefaultRateThrottlesTheDemoServiceWithTheSlowDestination() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (LocalHost local = LocalHost.open(temp.resolve("data"), 0)) {
            // The demonstration's slow-partner alone: its four companions would start four more JVMs
            // at once, and on a loaded machine an instance can then miss its 30 s to become ready.
            ServiceDefinition slow = local.slowDemoService();
            assertThat(slow.destination()).isEqualTo("door:" + FrontDoor.SLOW_PARTNER_PATH);
            OperationRecord created = local.define(List.of(slow), "test").accepted().get(0).completion().get(90, TimeUnit.SECONDS);
            assertThat(created.outcome()).as("%s", created).isEqualTo(Outcome.SUCCEEDED);
            assertThat(local.host().service(LocalHost.SLOW_DEMO)).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(ServiceState.ACTIVE));

            // The console's default: 200 messages a second of 1 KiB, at most 256 in flight.
            SteadyTraffic traffic = new SteadyTraffic(200, 256, new HttpSender(URI.create(local.door().endpoint(LocalHost.SLOW_DEMO)),
                    new LoadBody(1024), scheduler), scheduler, System::nanoTime);
            traffic.start();
            try {
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> local.host().service(LocalHost.SLOW_DEMO).orElseThrow()
                        .instances().stream().anyMatch(i -> i.throttle() == ThrottleState.THROTTLED));
                // While throttled, the instance refuses messages as busy, and the traffic counts them so.
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> traffic.counts().busy() > 0);
            } finally {
                traffic.stop();
            }
            assertThat(traffic.counts().addsUp()).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theDemoServiceStillReachesTheSlowPartnerWhenALaterRunsDoorHasAnotherPort() throws Exception {
        Path data = temp.resolve("data");
        int first;
        try (LocalHost local = LocalHost.open(data, 0)) {
            first = local.door().port();
            OperationRecord created = local.define(List.of(local.slowDemoService()), "test").accepted().get(0)
                    .completion().get(90, TimeUnit.SECONDS);
            assertThat(created.outcome()).as("%s", created).isEqualTo(Outcome.SUCCEEDED);
        }
        // The first run's port is taken when the host comes back, as 7070 may be.
        try (ServerSocket taken = new ServerSocket(first, 50, InetAddress.getLoopbackAddress());
             LocalHost local = LocalHost.open(data, 0)) {
            assertThat(local.door().port()).isNotEqualTo(first);
            WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> local.host().service(LocalHost.SLOW_DEMO).orElseThrow()
                    .instances().stream().anyMatch(i -> i.status() == InstanceStatus.RUNNING));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(local.door().endpoint(LocalHost.SLOW_DEMO)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"order\":1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("delivered to the slow partner: %s", answer.body()).isEqualTo(200);
        }
    }
}
