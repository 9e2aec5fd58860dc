package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sluice load} against an HTTP server on the loopback interface. */
@Timeout(30)
class LoadCommandTest {
    private static final String BUSY_TEXT = "Server is busy. Please try again.";

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger mostInProgress = new AtomicInteger();
    private final ConcurrentLinkedQueue<Integer> bodySizes = new ConcurrentLinkedQueue<>();

    /** Answers request n (from 1) with the status the plan gives it. */
    private interface Plan {
        int statusFor(int n);
    }

    private String serve(Plan plan) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newFixedThreadPool(16);
        server.setExecutor(serverThreads);
        server.createContext("/messages", exchange -> answer(exchange, plan));
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/messages";
    }

    private void answer(HttpExchange exchange, Plan plan) throws IOException {
        mostInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try (exchange; InputStream body = exchange.getRequestBody()) {
            bodySizes.add(body.readAllBytes().length);
            int status = plan.statusFor(requests.incrementAndGet());
            byte[] text = (status == 503 ? BUSY_TEXT : status == 200 ? "{\"messageId\":\"m\",\"instance\":0}" : "no")
                    .getBytes(StandardCharsets.UTF_8);
            if (status == 503) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            exchange.sendResponseHeaders(status, text.length);
            exchange.getResponseBody().write(text);
        } finally {
            inProgress.decrementAndGet();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    /** The summary lines as label → value. */
    private static Map<String, String> summary(CommandLineRun run) {
        Map<String, String> lines = new LinkedHashMap<>();
        run.out().lines().forEach(line -> {
            int colon = line.indexOf(": ");
            lines.put(line.substring(0, colon), line.substring(colon + 2));
        });
        return lines;
    }

    @Test
    void countsOkBusyAndOtherErrors() throws IOException {
        String url = serve(n -> n <= 5 ? 503 : n <= 8 ? 400 : 200);
        CommandLineRun run = CommandLineRun.run("load", "--url", url, "--rate", "400", "--concurrency", "4",
                "--size", "200", "--duration", "0.1");
        assertThat(run.status()).as(run.err()).isZero();
        Map<String, String> summary = summary(run);
        assertThat(summary).containsEntry("sent", "40").containsEntry("ok", "32").containsEntry("busy", "5")
                .containsEntry("errors", "3").containsEntry("retries", "0").containsEntry("first error", "HTTP 400");
        assertThat(List.copyOf(summary.keySet())).containsExactly("sent", "ok", "busy", "errors", "retries",
                "latency p50", "latency p99", "first error");
        assertThat(summary.get("latency p50")).matches("\\d+\\.\\d ms");
        assertThat(summary.get("latency p99")).matches("\\d+\\.\\d ms");
        assertThat(requests.get()).isEqualTo(40);
        assertThat(mostInProgress.get()).isBetween(1, 4);
        assertThat(bodySizes).hasSize(40).containsOnly(200);
    }

    @Test
    void retryTurnsBusyIntoOkAfterRetryAfter() throws IOException {
        String url = serve(n -> n <= 5 ? 503 : 200);
        CommandLineRun run = CommandLineRun.run("load", "--url", url, "--rate", "200", "--concurrency", "8",
                "--size", "64", "--duration", "0.05", "--retry");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(summary(run)).containsEntry("sent", "10").containsEntry("ok", "10").containsEntry("busy", "0")
                .containsEntry("errors", "0").containsEntry("retries", "5").doesNotContainKey("first error");
        assertThat(requests.get()).isEqualTo(15);
    }

    @Test
    void withoutRetryBusyStaysBusy() throws IOException {
        String url = serve(n -> 503);
        CommandLineRun run = CommandLineRun.run("load", "--url", url, "--rate", "100", "--concurrency", "2",
                "--size", "64", "--duration", "0.05");
        assertThat(summary(run)).containsEntry("sent", "5").containsEntry("ok", "0").containsEntry("busy", "5")
                .containsEntry("retries", "0");
    }

    @Test
    void anUnreachableUrlIsCountedAsErrorsNotBadArguments() throws IOException {
        String url = serve(n -> 200);
        server.stop(0);
        CommandLineRun run = CommandLineRun.run("load", "--url", url, "--rate", "100", "--concurrency", "2",
                "--size", "64", "--duration", "0.05");
        assertThat(run.status()).isZero();
        Map<String, String> summary = summary(run);
        assertThat(summary).containsEntry("sent", "5").containsEntry("ok", "0").containsEntry("errors", "5")
                .containsEntry("latency", "no request was answered");
        assertThat(summary.get("first error")).startsWith("ConnectException");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero rate         | --rate=0        | --rate must be over 0, was 0.0",
        "negative rate     | --rate=-5       | --rate must be over 0, was -5.0",
        "no concurrency    | --concurrency=0 | --concurrency must be at least 1, was 0",
        "tiny body         | --size=10       | --size must be from 64 to 67108864 bytes, was 10",
        "zero duration     | --duration=0    | --duration must be over 0 and at most one day, was 0.0",
        "not http          | --url=ftp://h/x | --url must be an http:// or https:// URL with a host, was ftp://h/x",
        "not a url         | --url=::nope    | --url must be an http:// or https:// URL with a host, was ::nope",
    })
    void badArgumentsExitWithTwoAndSaySo(String problem, String override, String message) {
        Map<String, String> args = new LinkedHashMap<>(Map.of("--url", "http://127.0.0.1:9/", "--rate", "10",
                "--concurrency", "1", "--size", "64", "--duration", "0.1"));
        String[] parts = override.split("=", 2);
        args.put(parts[0], parts[1]);
        String[] argv = args.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey() + "=" + e.getValue()))
                .toArray(String[]::new);
        String[] command = new String[argv.length + 1];
        command[0] = "load";
        System.arraycopy(argv, 0, command, 1, argv.length);
        CommandLineRun run = CommandLineRun.run(command);
        assertThat(run.status()).as(problem).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo(message);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingOptionOrANonNumberIsAUsageError() {
        CommandLineRun missing = CommandLineRun.run("load", "--url", "http://127.0.0.1:9/");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("--rate");
        CommandLineRun notANumber = CommandLineRun.run("load", "--url", "http://127.0.0.1:9/", "--rate", "fast",
                "--concurrency", "1", "--size", "64", "--duration", "1");
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err()).contains("fast");
    }
}
