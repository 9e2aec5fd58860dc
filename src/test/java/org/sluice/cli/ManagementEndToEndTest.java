package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.HostManagement;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.api.ServerSentEvents;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.Outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code sluice host} as a real process, administered from outside it over HTTPS the way a
 * script or a remote console does: the connection file, the keys, operations and their outcomes,
 * refusals, a key rolled while the host runs, plain HTTP and junk on the port, and SIGTERM.
 */
@Timeout(180)
class ManagementEndToEndTest {
    private static final Pattern MANAGE = Pattern.compile("Management API on (https://127\\.0\\.0\\.1:\\d+) \\(certificate SHA-256 ([0-9A-F:]+)\\)");

    @TempDir
    Path temp;

    private HostProcess host;

    @AfterEach
    void stop() throws InterruptedException {
        if (host != null) {
            host.close();
        }
    }

    private Path data() {
        return temp.resolve("data");
    }

    @Test
    void aHeadlessHostIsAdministeredOverHttpsWithTheKeysItMade() throws Exception {
        host = new HostProcess(data(), temp.resolve("host.err"));
        Matcher manage = MANAGE.matcher(host.await(MANAGE.pattern()));
        assertThat(manage.find()).isTrue();
        URI url = URI.create(manage.group(1));
        String fingerprint = manage.group(2);

        JsonNode connection = ApiJson.MAPPER.readTree(data().resolve(HostManagement.CONNECTION_FILE).toFile());
        assertThat(connection.path("url").asText()).isEqualTo(url.toString());
        assertThat(connection.path("fingerprint").asText()).isEqualTo(fingerprint);
        JsonNode keys = ApiJson.MAPPER.readTree(data().resolve("keys.json").toFile());
        for (String file : new String[] {HostManagement.CONNECTION_FILE, "keys.json"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data().resolve(file)))).as(file).isEqualTo("rw-------");
        }
        String primary = keys.path("primary").asText();
        String secondary = keys.path("secondary").asText();
        assertThat(Files.readString(data().resolve("sluice.db"), StandardCharsets.ISO_8859_1)).doesNotContain(primary, secondary);

        ManagementClient owner = new ManagementClient(url, "owner", primary, fingerprint);
        BlockingQueue<JsonNode> ended = endedOperations(owner);

        ObjectNode definition = ApiJson.MAPPER.createObjectNode();
        definition.put("name", "orders");
        definition.put("memoryMb", 96);
        definition.put("destination", "dir:" + temp.resolve("outbox"));
        ManagementClient.Answer created = owner.post("/services", definition);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(202);
        JsonNode outcome = endOf(ended, created.body().path("requestId").asText());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("Succeeded");
        assertThat(outcome.path("issuer").asText()).isEqualTo("owner");
        assertThat(host.post("orders", "{\"id\":1}")).as("the new service takes messages").isEqualTo(200);

        ManagementClient.Answer refused = owner.post("/services/orders/resume", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error").asText()).isEqualTo("Operation not allowed");
        assertThat(refused.body().path("state").asText()).isEqualTo("Active");

        ManagementClient.Answer stopped = owner.post("/services/orders/stop", null);
        assertThat(endOf(ended, stopped.body().path("requestId").asText()).path("status").asText()).isEqualTo("Succeeded");
        assertThat(owner.get("/services/orders").body().path("state").asText()).isEqualTo("Stopped");

        // A script on the host's machine: sluice ctl needs the data folder and nothing else.
        CommandLineRun listed = CommandLineRun.run("ctl", "--data", data().toString(), "list");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("orders  Stopped");
        CommandLineRun started = CommandLineRun.run("ctl", "--data", data().toString(), "start", "orders", "--wait");
        assertThat(started.status()).as(started.err()).isZero();
        assertThat(started.out()).startsWith("orders: Start succeeded");
        assertThat(host.post("orders", "{\"id\":2}")).as("started again through ctl, it takes messages").isEqualTo(200);

        // http:// typed by mistake: a JSON 400 that names the https:// URL, then the host goes on serving.
        try (Socket plain = new Socket(url.getHost(), url.getPort())) {
            plain.setSoTimeout(30_000);
            plain.getOutputStream().write(("GET /api/v1/services HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            JsonNode error = ApiJson.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(error.path("url").asText()).isEqualTo(url + "/api/v1/services");
            assertThat(error.path("error").asText()).contains("HTTPS only", url + "/api/v1/services");
        }
        // Junk that is neither TLS nor HTTP: the connection closes unanswered, the host keeps serving.
        try (Socket junk = new Socket(url.getHost(), url.getPort())) {
            junk.setSoTimeout(30_000);
            junk.getOutputStream().write(new byte[] {0, 1, 2, 3, (byte) 0xff, '\r', '\n', '\r', '\n'});
            junk.getOutputStream().flush();
            assertThat(new String(junk.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/");
        }
        assertThat(owner.get("/health").status()).isEqualTo(200);

        // The primary key is rolled by another process while the host runs.
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status = SluiceMain.run(new String[] {"keys", "regenerate", "--primary", "--data", data().toString()},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(printed, true, StandardCharsets.UTF_8),
                new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), () -> { });
        assertThat(status).isZero();
        String rolled = ApiJson.MAPPER.readTree(data().resolve("keys.json").toFile()).path("primary").asText();
        assertThat(rolled).isNotEqualTo(primary);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(rolled);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int oldKey = owner.get("/services").status();
        while (oldKey == 200 && System.nanoTime() < deadline) {
            oldKey = owner.get("/services").status();
        }
        assertThat(oldKey).as("the rolled key stops working within seconds").isEqualTo(401);
        assertThat(new ManagementClient(url, "owner", rolled, fingerprint).get("/services").status()).isEqualTo(200);
        assertThat(new ManagementClient(url, "owner", secondary, fingerprint).get("/services").status())
                .as("the other key keeps working").isEqualTo(200);

        // 128 + SIGTERM, the status of a JVM stopped by the signal after its shutdown hooks ran.
        assertThat(host.terminate()).isEqualTo(143);
        host.await("Host stopped");
    }

    @Test
    void aRemoteFleetFollowsTheHostAcrossARestartAndResynchronises() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String at = "127.0.0.1:" + port;
        Path definitions = temp.resolve("services.json");
        Files.writeString(definitions, "{\"services\":[{\"name\":\"orders\",\"memoryMb\":96,\"destination\":\"dir:"
                + temp.resolve("outbox") + "\"}]}");
        host = new HostProcess(data(), temp.resolve("host-1.err"), "--manage", at, "--define", definitions.toString());
        Matcher manage = MANAGE.matcher(host.await(MANAGE.pattern()));
        assertThat(manage.find()).isTrue();
        host.await("orders: Create succeeded");
        String key = ApiJson.MAPPER.readTree(data().resolve("keys.json").toFile()).path("primary").asText();
        RemoteFleet remote = RemoteFleet.connect("server", new ManagementClient(URI.create(manage.group(1)), "owner", key,
                manage.group(2)), new RemoteFleet.Settings(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(20),
                System::currentTimeMillis));
        try {
            BlockingQueue<RemoteFleet.State> states = new LinkedBlockingQueue<>();
            remote.onConnection(c -> states.add(c.state()));
            assertThat(remote.snapshot().services()).extracting(s -> s.state().chartName()).containsExactly("Active");

            assertThat(host.terminate()).isEqualTo(143);
            awaitState(states, RemoteFleet.State.RECONNECTING);
            // While the host is down its services are shown as last heard.
            assertThat(remote.snapshot().services()).extracting(s -> s.name()).containsExactly("orders");

            host = new HostProcess(data(), temp.resolve("host-2.err"), "--manage", at);
            host.await("orders: instance 0 ready");
            awaitState(states, RemoteFleet.State.CONNECTED);
            assertThat(remote.perform("orders", Operation.STOP).completion().get(60, TimeUnit.SECONDS).outcome())
                    .as("commands reach the host that came back").isEqualTo(Outcome.SUCCEEDED);
            assertThat(remote.snapshot().services()).extracting(s -> s.state().chartName()).containsExactly("Stopped");
        } finally {
            remote.close();
        }
    }

    private static void awaitState(BlockingQueue<RemoteFleet.State> states, RemoteFleet.State wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (states.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) == wanted) {
                return;
            }
        }
        throw new AssertionError("the remote fleet never became " + wanted);
    }

    @Test
    void aKeysFileThatCannotBeUsedStopsTheHostNamingTheFile() throws Exception {
        Path keys = temp.resolve("keys-from-secret.json");
        Files.writeString(keys, "{\"issuer\":\"owner\",\"primary\":\"short\"}");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = SluiceMain.run(new String[] {"host", "--port", "0", "--manage", "127.0.0.1:0", "--keys-file", keys.toString(),
                        "--data", data().toString()},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintWriter(errors, true, StandardCharsets.UTF_8), () -> { });

        assertThat(status).isEqualTo(HostCommand.CANNOT_START);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains(keys.toString(), "--keys-file", "openssl rand -base64 32")
                .doesNotContain("Choose another address");
    }

    @Test
    void aListenerBeyondLoopbackIsOpenedOnlyWhenSaidSoAndThenSaysWhereItListens() throws Exception {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = SluiceMain.run(new String[] {"host", "--port", "0", "--manage", "0.0.0.0:0", "--data", data().toString()},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintWriter(errors, true, StandardCharsets.UTF_8), () -> { });
        assertThat(status).isEqualTo(HostCommand.CANNOT_START);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("0.0.0.0:0 is reachable from other machines", "--manage-exposed");

        host = new HostProcess(data(), temp.resolve("host.err"), "--manage", "0.0.0.0:0", "--manage-exposed");
        String line = host.await("It listens on 0\\.0\\.0\\.0:\\d+, reachable from other machines");
        Matcher manage = MANAGE.matcher(host.await(MANAGE.pattern()));
        assertThat(manage.find()).isTrue();
        assertThat(line).contains(":" + URI.create(manage.group(1)).getPort() + ",");
        assertThat(new ManagementClient(URI.create(manage.group(1)), "owner", "x", manage.group(2)).get("/health").status()).isEqualTo(200);
    }

    private static BlockingQueue<JsonNode> endedOperations(ManagementClient client) throws Exception {
        HttpResponse<InputStream> stream = client.events();
        assertThat(stream.statusCode()).isEqualTo(200);
        BlockingQueue<JsonNode> ended = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = stream.body()) {
                ServerSentEvents.read(in, (name, text) -> {
                    if (name.equals("operation")) {
                        JsonNode record = ApiJson.MAPPER.readTree(text).path("record");
                        if (!record.path("status").asText().equals("Running")) {
                            ended.add(record);
                        }
                    }
                });
            } catch (IOException e) {
                // The host went away at the end of the test.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return ended;
    }

    private static JsonNode endOf(BlockingQueue<JsonNode> ended, String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode record = ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (record != null && record.path("requestId").asText().equals(requestId)) {
                return record;
            }
        }
        throw new AssertionError("operation " + requestId + " did not end");
    }
}
