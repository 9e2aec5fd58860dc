package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.instance.DirectoryPullSource;
import org.sluice.runtime.store.Store;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

/**
 * A directory pull source through the host with two real role instances sharing one inbox: while
 * both are throttled by posted messages they leave the inbox alone, and once the load ends every
 * file is delivered exactly once.
 */
@Timeout(60)
class HostPullSourceEndToEndTest {
    private static final String SERVICE = "pull";
    private static final int UNITS = 2;
    /** 100 in process throttle a one-core instance; the rest are refused or slip in. */
    private static final int POSTED = 240;
    private static final int FILES = 12;

    @TempDir
    Path temp;

    private final HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
    private final InstanceEventLog events = new InstanceEventLog(SERVICE);
    private RealHost real;
    private Store journal;
    private Host host;
    private FrontDoor door;
    private HeldDestination destination;

    @BeforeEach
    void open() throws IOException {
        destination = new HeldDestination(400);
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

    private static boolean throttledBy(InstanceEventLog.Entry entry, int instance, Cause cause) {
        return entry.instance() == instance && entry.event() instanceof InstanceEvent.Throttle t
                && t.transition().state() == ThrottleState.THROTTLED && t.transition().causes().contains(cause);
    }

    private static List<String> messageFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void throttledInstancesLeaveTheInboxAloneAndAfterTheLoadEveryFileIsDeliveredOnce() throws Exception {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        ServiceDefinition pull = new ServiceDefinition(SERVICE, UNITS, 1, 128, Validation.NONE, null, "dir:" + inbox, destination.url());
        assertThat(host.create(pull, "test").completion().get(40, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED);

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < POSTED; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(door.endpoint(SERVICE))).timeout(Duration.ofSeconds(50))
                    .POST(HttpRequest.BodyPublishers.ofString("posted-" + i)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int instance = 0; instance < UNITS; instance++) {
            int index = instance;
            assertThat(events.await(0, e -> throttledBy(e, index, Cause.CONCURRENCY), 30, TimeUnit.SECONDS))
                    .as("instance %d throttled by messages in process", index).isPresent();
        }

        // Each file is written under a name the source ignores, then renamed into place.
        for (int i = 0; i < FILES; i++) {
            String name = String.format("file-%02d", i);
            Path part = Files.writeString(inbox.resolve(name + ".part"), name);
            Files.move(part, inbox.resolve(name + ".msg"), StandardCopyOption.ATOMIC_MOVE);
        }
        // Five samples of each instance after the files are in place: a second, five polls' worth.
        int filesPlaced = events.mark();
        for (int instance = 0; instance < UNITS; instance++) {
            int index = instance;
            int[] seen = {0};
            assertThat(events.await(filesPlaced, e -> e.instance() == index && e.event() instanceof InstanceEvent.Sampled
                    && ++seen[0] == 5, 10, TimeUnit.SECONDS)).as("instance %d sampled five times", index).isPresent();
        }
        assertThat(events.entries()).as("no instance recovered while the destination held its messages")
                .noneMatch(e -> e.event() instanceof InstanceEvent.Throttle t && t.transition().state() == ThrottleState.NORMAL);
        assertThat(messageFiles(inbox)).hasSize(FILES).allSatisfy(name -> assertThat(name).endsWith(".msg"));
        for (int instance = 0; instance < UNITS; instance++) {
            assertThat(messageFiles(DirectoryPullSource.claimFolder(inbox, SERVICE, instance))).isEmpty();
        }
        assertThat(destination.received()).noneMatch(body -> body.startsWith("file-"));

        destination.release();
        List<HttpResponse<String>> all = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            all.add(answer.get(30, TimeUnit.SECONDS));
        }
        assertThat(all).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 503));
        long delivered = all.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(all.stream().filter(r -> r.statusCode() == 503).count()).as("the burst was refused in part").isPositive();
        assertThat(destination.awaitReceived((int) delivered + FILES, 30, TimeUnit.SECONDS))
                .as("every posted message and every file reaches the destination").isTrue();

        // A stop waits for the pull loops to finish, so every claimed file has been deleted by then.
        assertThat(host.perform(SERVICE, Operation.STOP, "test").completion().get(30, TimeUnit.SECONDS).outcome())
                .isEqualTo(Outcome.SUCCEEDED);
        Map<String, Long> receipts = destination.received().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> expectedFiles = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            expectedFiles.add(String.format("file-%02d", i));
        }
        assertThat(receipts.keySet().stream().filter(b -> b.startsWith("file-")).sorted().toList()).isEqualTo(expectedFiles);
        assertThat(receipts).allSatisfy((body, count) -> assertThat(count).as("receipts of %s", body).isEqualTo(1));
        assertThat(receipts.keySet().stream().filter(b -> b.startsWith("posted-")).count()).isEqualTo(delivered);
        assertThat(messageFiles(inbox)).isEmpty();
        assertThat(messageFiles(inbox.resolve(DirectoryPullSource.ERROR_FOLDER))).isEmpty();
        for (int instance = 0; instance < UNITS; instance++) {
            assertThat(messageFiles(DirectoryPullSource.claimFolder(inbox, SERVICE, instance))).isEmpty();
        }
    }
}
