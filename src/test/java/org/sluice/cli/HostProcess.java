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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice host} as a real process on a data folder, with the lines it prints: what an
 * operator runs on a server. Its front door and, unless the test gives {@code --manage}, its
 * management listener take free ports on loopback.
 */
final class HostProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Sluice host on http://127\\.0\\.0\\.1:(\\d+)/services/");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    final Process process;
    final int port;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Every line read so far: waiting for one line does not lose another that came first. */
    private final List<String> history = new ArrayList<>();

    /**
     * Starts a host on {@code data} and waits until it says it is ready.
     *
     * @param errors where its standard error goes
     * @param extra  more arguments of {@code sluice host}
     */
    HostProcess(Path data, Path errors, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.language=en", "-Duser.country=US",
                "-cp", System.getProperty("java.class.path"), SluiceMain.class.getName(),
                "host", "--port", "0", "--data", data.toString()));
        if (!List.of(extra).contains("--manage")) {
            command.addAll(List.of("--manage", "0"));
        }
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
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

    /** Sends a message to {@code service} through the front door; returns the status. */
    int post(String service, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/services/" + service + "/messages"))
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

    /**
     * SIGTERM, as systemd stops a service; waits for the host to exit. Through the process handle:
     * {@link Process#destroy()} would also close the pipe, losing what the host prints as it stops.
     */
    int terminate() throws InterruptedException {
        signalTerm();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the host exits on SIGTERM").isTrue();
        return process.exitValue();
    }

    /** Sends SIGTERM and returns at once. */
    void signalTerm() {
        process.toHandle().destroy();
    }

    /** Waits for the host to exit; returns its status. */
    int exitStatus() throws InterruptedException {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the host exits").isTrue();
        return process.exitValue();
    }

    /** Kills whatever is left: the host and its role instances. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
