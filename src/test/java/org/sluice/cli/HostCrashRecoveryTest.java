package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredService;

/**
 * The host as a real process, killed with SIGKILL and started again on the same data folder:
 * every service keeps its state, running services run again, and an operation that was under way
 * lands in its failure state with the log saying it was interrupted.
 */
@Timeout(180)
class HostCrashRecoveryTest {
    private static final Pattern READY = Pattern.compile("Sluice host on http://127\\.0\\.0\\.1:(\\d+)/services/");

    @TempDir
    Path temp;

    private final List<Process> hosts = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void killEverything() throws InterruptedException {
        for (Process host : hosts) {
            List<ProcessHandle> children = host.descendants().toList();
            host.destroyForcibly();
            host.waitFor(10, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A host process and the lines it prints. */
    private final class RunningHost {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        /** Every line read so far: waiting for one line does not lose another that came first. */
        final List<String> history = new ArrayList<>();
        final int port;

        RunningHost(String... extra) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Duser.language=en", "-Duser.country=US",
                    "-cp", System.getProperty("java.class.path"), SluiceMain.class.getName(),
                    "host", "--port", "0", "--data", temp.resolve("data").toString()));
            command.addAll(List.of(extra));
            process = new ProcessBuilder(command).redirectError(temp.resolve("host-" + hosts.size() + ".err").toFile()).start();
            hosts.add(process);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output closed: " + e + ")");
                }
            });
            reader.setDaemon(true);
            reader.start();
            Matcher ready = READY.matcher(await(READY.pattern()));
            assertThat(ready.find()).isTrue();
            port = Integer.parseInt(ready.group(1));
        }

        /** Waits for a line matching {@code regex}; fails if the host exits or prints none in time. */
        String await(String regex) throws InterruptedException {
            Pattern pattern = Pattern.compile(regex);
            for (String line : history) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    break;
                }
                history.add(line);
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            throw new AssertionError("no line matching " + regex + " among " + history);
        }

        int post(String service, String body) throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/services/" + service + "/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /** SIGKILL: no shutdown hook runs. Waits until the role instances noticed and exited too. */
        void killHard() throws InterruptedException {
            List<ProcessHandle> instances = process.descendants().toList();
            process.destroyForcibly();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle instance : instances) {
                assertThat(instance.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join())
                        .as("role instance %d exits once its host is gone", instance.pid()).isNotNull();
                assertThat(instance.isAlive()).isFalse();
            }
        }
    }

    @Test
    void afterKillNineEveryServiceIsWhereItWasAndInterruptedOperationsFail() throws Exception {
        Path outbox = temp.resolve("outbox");
        Path definitions = temp.resolve("services.json");
        Files.writeString(definitions, "{\"services\":[{\"name\":\"orders\",\"units\":2,\"memoryMb\":128,"
                + "\"destination\":\"dir:" + outbox + "\"}]}");
        Path more = temp.resolve("more.json");
        Files.writeString(more, "{\"services\":[{\"name\":\"billing\",\"memoryMb\":128,\"destination\":\"dir:" + outbox + "\"}]}");

        RunningHost first = new RunningHost("--define", definitions.toString());
        first.await("orders: Create succeeded");
        assertThat(first.post("orders", "before the crash")).isEqualTo(200);
        first.killHard();

        // Started again: orders runs again. A Create is accepted and the host is killed while it runs.
        RunningHost second = new RunningHost("--define", more.toString());
        second.await("billing: Create accepted");
        second.killHard();

        RunningHost third = new RunningHost();
        third.await("orders: instance 0 ready");
        third.await("orders: instance 1 ready");
        assertThat(third.post("orders", "after the crash")).isEqualTo(200);
        assertThat(third.post("billing", "x")).as("billing never became Active").isEqualTo(409);

        try (Store store = Store.open(temp.resolve("data"))) {
            assertThat(store.loadServices()).extracting(StoredService::name, StoredService::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("billing", ServiceState.CREATE_FAILED),
                            org.assertj.core.groups.Tuple.tuple("orders", ServiceState.ACTIVE));
            List<OperationRecord> billing = store.operations(OperationQuery.all(100).forService("billing"));
            assertThat(billing).singleElement().satisfies(r -> {
                assertThat(r.operation()).isEqualTo(Operation.CREATE);
                assertThat(r.outcome()).isEqualTo(Outcome.INTERRUPTED);
                assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("interrupted").doesNotContain("Exception"));
            });
            assertThat(store.runningOperations()).isEmpty();
        }
        try (var files = Files.list(outbox)) {
            assertThat(files.filter(f -> f.toString().endsWith(".msg")).count()).isEqualTo(2);
        }
    }
}
