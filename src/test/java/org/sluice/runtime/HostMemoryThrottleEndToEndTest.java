package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.store.Store;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/**
 * Memory throttling through the host with a real role-instance JVM: large messages held at a slow
 * destination fill the instance's heap until it refuses messages as busy, and once the destination
 * lets them go the instance recovers and the episode is in the journal.
 */
@Timeout(60)
class HostMemoryThrottleEndToEndTest {
    private static final String BUSY = "Server is busy. Please try again.";
    private static final String SERVICE = "bulky";
    /** The instance's heap. 2 MiB messages: each step is about 3 % of it. */
    private static final int MEMORY_MB = 64;
    private static final int MESSAGE_BYTES = 2 * 1024 * 1024;
    /** Well past 70 % of the heap; the instance throttles long before. */
    private static final int MOST_MESSAGES = 30;

    @TempDir
    Path temp;

    private final HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    private final InstanceEventLog events = new InstanceEventLog(SERVICE);
    private RealHost real;
    private Store journal;
    private Host host;
    private FrontDoor door;
    private HeldDestination destination;

    @BeforeEach
    void open() throws IOException {
        destination = new HeldDestination(64);
        real = new RealHost(temp, events);
        journal = real.journal;
        host = real.host;
        door = real.door;
    }

    @AfterEach
    void close() {
        destination.release();
        real.close();
        destination.close();
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create(door.endpoint(SERVICE))).timeout(Duration.ofSeconds(50))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Each sample as messages in process and memory in use, for a failure message. */
    private List<String> samples() {
        return events.all(InstanceEvent.Sampled.class).stream()
                .map(s -> s.sample().concurrent() + " @ " + Math.round(s.sample().memoryPercent()) + " %").toList();
    }

    private static boolean throttledBy(InstanceEventLog.Entry entry, Cause cause) {
        return entry.event() instanceof InstanceEvent.Throttle t && t.transition().state() == ThrottleState.THROTTLED
                && t.transition().causes().contains(cause);
    }

    @Test
    void largeMessagesHeldInProcessThrottleTheInstanceOnMemoryUntilTheyAreDelivered() throws Exception {
        ServiceDefinition bulky = new ServiceDefinition(SERVICE, 1, 1, MEMORY_MB, Validation.NONE, null, null, destination.url());
        assertThat(host.create(bulky, "test").completion().get(40, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED);
        String message = "x".repeat(MESSAGE_BYTES);

        // One message at a time, each held at the destination and seen by a sample before the next,
        // so the heap fills in steps the sampler sees and never faster than it can throttle.
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        Optional<InstanceEventLog.Entry> throttled = Optional.empty();
        List<HttpResponse<String>> refused = new ArrayList<>();
        while (throttled.isEmpty() && held.size() < MOST_MESSAGES) {
            int mark = events.mark();
            CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request(message), HttpResponse.BodyHandlers.ofString());
            int inProcess = held.size() + 1;
            // Held at the destination, or answered at once: refused because a sample throttled meanwhile.
            CompletableFuture.anyOf(destination.whenReceived(inProcess), answer).get(20, TimeUnit.SECONDS);
            if (answer.isDone()) {
                refused.add(answer.join());
                throttled = events.await(0, e -> throttledBy(e, Cause.MEMORY), 5, TimeUnit.SECONDS);
                break;
            }
            held.add(answer);
            assertThat(events.await(mark, e -> e.event() instanceof InstanceEvent.Sampled s
                    && s.sample().concurrent() >= inProcess, 20, TimeUnit.SECONDS)).as("a sample sees message %d", inProcess).isPresent();
            throttled = events.await(0, e -> throttledBy(e, Cause.MEMORY), 0, TimeUnit.MILLISECONDS);
        }
        assertThat(throttled).as("throttled on memory with at most %d messages of %d bytes in process; samples: %s",
                MOST_MESSAGES, MESSAGE_BYTES, samples()).isPresent();

        while (refused.size() < 3) {
            refused.add(client.send(request(message), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.body()).isEqualTo(BUSY);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        });

        int beforeRelease = events.mark();
        destination.release();
        for (CompletableFuture<HttpResponse<String>> answer : held) {
            assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        Optional<InstanceEventLog.Entry> recovered = events.await(beforeRelease, e -> e.event() instanceof InstanceEvent.Throttle t
                && t.transition().state() == ThrottleState.NORMAL, 20, TimeUnit.SECONDS);
        assertThat(recovered).as("memory falls to 60 %% once the messages are delivered; samples: %s", samples()).isPresent();
        assertThat(client.send(request(message), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        assertThat(events.await(beforeRelease, e -> e.event() instanceof InstanceEvent.EpisodeEnded, 10, TimeUnit.SECONDS)).isPresent();
        List<InstanceEpisode> episodes = journal.episodes(SERVICE, 0, Long.MAX_VALUE);
        assertThat(episodes).singleElement().satisfies(e -> {
            assertThat(e.instance()).isZero();
            assertThat(e.episode().causes()).containsExactly(Cause.MEMORY);
            assertThat(e.episode().durationMs()).isPresent();
            assertThat(e.episode().durationMs().getAsLong()).isPositive();
        });
        ThrottleTransition entered = ((InstanceEvent.Throttle) throttled.get().event()).transition();
        assertThat(entered.entersThrottled()).isTrue();
        assertThat(episodes.get(0).episode().startMs()).isEqualTo(entered.timeMs());
    }
}
