package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.ServiceDefinition.Validation;

@Timeout(20)
class PullLoopTest {
    @TempDir
    Path temp;

    private Path inbox;
    private Path outbox;
    private double memory;
    private final StringWriter printed = new StringWriter();
    private final ProtocolWriter out = new ProtocolWriter(new PrintWriter(printed));
    private final InstanceGate gate = new InstanceGate();
    private InstanceMonitor monitor;

    @BeforeEach
    void setUp() throws Exception {
        inbox = Files.createDirectories(temp.resolve("inbox"));
        outbox = temp.resolve("outbox");
        monitor = new InstanceMonitor(() -> Instant.ofEpochMilli(1_000), bytes -> memory, () -> 1, out);
    }

    private PullLoop loop(int index) throws Exception {
        DirectoryPullSource source = new DirectoryPullSource(inbox, DirectoryPullSource.claimFolder(inbox, "orders", index));
        MessagePipeline pipeline = MessagePipeline.create(Validation.XML, Optional.empty(), new DirectoryDestination(outbox));
        return new PullLoop(source, gate, monitor, pipeline, out);
    }

    private List<String> names(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void deliversAndDeletesGoodFilesAndSetsBadOnesAsideWithTheReason() throws Exception {
        Files.writeString(inbox.resolve("a.xml"), "<a/>");
        Files.writeString(inbox.resolve("b.xml"), "<b");
        assertThat(loop(0).pollOnce()).isEqualTo(2);

        assertThat(names(inbox)).isEmpty();
        assertThat(names(outbox)).hasSize(1);
        assertThat(Files.readString(outbox.resolve(names(outbox).get(0)))).isEqualTo("<a/>");
        Path error = inbox.resolve("error");
        assertThat(names(error)).containsExactly("b.xml", "b.xml.reason.txt");
        assertThat(Files.readString(error.resolve("b.xml.reason.txt"))).startsWith("not well-formed XML");
        assertThat(printed.toString()).contains("{\"event\":\"problem\",\"message\":\"b.xml moved to error: not well-formed XML");
    }

    @Test
    void skipsHiddenAndTemporaryFilesAndTheErrorFolder() throws Exception {
        Files.writeString(inbox.resolve(".hidden.xml"), "<a/>");
        Files.writeString(inbox.resolve("c.xml.tmp"), "<a/>");
        Files.writeString(inbox.resolve("d.xml.part"), "<a/>");
        Files.writeString(Files.createDirectories(inbox.resolve("error")).resolve("old.xml"), "<a/>");
        assertThat(loop(0).pollOnce()).isZero();
        assertThat(names(outbox)).isEmpty();
    }

    @Test
    void neitherPollsNorClaimsWhileThrottledOrSuspended() throws Exception {
        Files.writeString(inbox.resolve("a.xml"), "<a/>");
        PullLoop loop = loop(0);
        memory = 80;
        monitor.sample();
        assertThat(monitor.isThrottled()).isTrue();
        assertThat(loop.pollOnce()).isZero();
        assertThat(names(inbox)).containsExactly("a.xml");
        assertThat(names(DirectoryPullSource.claimFolder(inbox, "orders", 0))).isEmpty();

        memory = 50;
        monitor.sample();
        gate.suspend();
        assertThat(loop.pollOnce()).isZero();
        assertThat(names(inbox)).containsExactly("a.xml");

        gate.resume();
        assertThat(loop.pollOnce()).isEqualTo(1);
        assertThat(names(inbox)).isEmpty();
        assertThat(names(outbox)).hasSize(1);
    }

    @Test
    void twoInstancesPollingOneInboxProcessEachFileOnce() throws Exception {
        int files = 200;
        for (int i = 0; i < files; i++) {
            Files.writeString(inbox.resolve(String.format("m%03d.xml", i)), "<m n='" + i + "'/>");
        }
        PullLoop first = loop(0);
        PullLoop second = loop(1);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (PullLoop loop : List.of(first, second)) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                int total = 0;
                int n;
                while ((n = loop.pollOnce()) > 0) {
                    total += n;
                }
                return total;
            }));
        }
        start.countDown();
        int processed = 0;
        for (CompletableFuture<Integer> run : runs) {
            processed += run.get(15, TimeUnit.SECONDS);
        }
        assertThat(processed).isEqualTo(files);
        List<String> delivered = new ArrayList<>();
        for (String name : names(outbox)) {
            delivered.add(Files.readString(outbox.resolve(name)));
        }
        assertThat(delivered).hasSize(files).doesNotHaveDuplicates();
        assertThat(Set.copyOf(delivered)).contains("<m n='0'/>", "<m n='199'/>");
        assertThat(names(inbox)).isEmpty();
    }

    @Test
    void filesLeftClaimedByAnEndedInstanceGoBackToTheInbox() throws Exception {
        Path claimed = Files.createDirectories(DirectoryPullSource.claimFolder(inbox, "orders", 3));
        Files.writeString(claimed.resolve("left.xml"), "<a/>");
        new DirectoryPullSource(inbox, claimed).returnLeftovers();
        assertThat(names(inbox)).containsExactly("left.xml");
        assertThat(names(claimed)).isEmpty();
    }
}
