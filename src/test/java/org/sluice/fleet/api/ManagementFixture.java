package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.access.HostCertificate;
import org.sluice.runtime.metrics.HostMetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An in-process host whose role instances are stand-ins, its front door, and a real HTTPS
 * management listener over it, with a client signed in as {@code owner}. The waits before
 * answering repeated failed sign-ins are recorded in {@link #pauses} instead of being made.
 */
final class ManagementFixture implements AutoCloseable {
    static final String KEY = "primary-key-for-tests";
    static final String OTHER_KEY = "secondary-key-for-tests";
    private static final Duration OPERATION_END = Duration.ofSeconds(10);

    final FakeLauncher launcher = new FakeLauncher();
    final Host host;
    final FrontDoor door;
    final HostCertificate certificate;
    final HostMetrics metrics;
    final List<Long> pauses = new CopyOnWriteArrayList<>();
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();
    private final BlockingQueue<OperationRecord> ended = new LinkedBlockingQueue<>();
    private final Map<String, OperationRecord> seen = new ConcurrentHashMap<>();
    private ManagementServer server;
    private ManagementClient client;

    /** A host that waits 5 s for an instance to be ready and 1 s for one to stop, and a listener with the default limits. */
    ManagementFixture(Path data) throws Exception {
        this(data, new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)), ManagementServer.Settings.defaults());
    }

    /** @param settings the listener's settings; its waits are replaced by recording them in {@link #pauses} */
    ManagementFixture(Path data, Host.Settings hostSettings, ManagementServer.Settings settings) throws Exception {
        host = new Host(launcher, new InMemoryJournal(), InstantSource.system(), hostSettings);
        door = FrontDoor.open(host, 0);
        metrics = HostMetrics.of(host, InstantSource.system());
        certificate = HostCertificate.loadOrCreate(data);
        server = start(settings.withPause(pauses::add));
        client = client(KEY);
        fleet("test").subscribe(event -> {
            if (event instanceof FleetEvent.OperationProgress progress && progress.record().outcome() != Outcome.RUNNING) {
                ended.add(progress.record());
            }
        });
    }

    /** Opens another listener over the same host, with the fixture's issuer and keys. */
    ManagementServer start(ManagementServer.Settings settings) throws Exception {
        return start(0, settings);
    }

    /** Opens another listener over the same host on {@code port} (0: any free one), serving the host's metrics too. */
    ManagementServer start(int port, ManagementServer.Settings settings) throws Exception {
        return ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), certificate.sslContext(),
                (issuer, key) -> issuer.equals("owner") && (key.equals(KEY) || key.equals(OTHER_KEY)),
                this::fleet, "test-version", settings, metrics::write);
    }

    /** Closes the listener and puts {@code other} in its place; {@link #client()} then speaks to it. */
    void replace(ManagementServer other) {
        server.close();
        server = other;
        client = client(KEY);
    }

    ManagementServer server() {
        return server;
    }

    /** Signed in as {@code owner} with its primary key. */
    ManagementClient client() {
        return client;
    }

    /** Signed in as {@code owner} with {@code key}, right or wrong. */
    ManagementClient client(String key) {
        return new ManagementClient(base(), "owner", key, certificate.fingerprint());
    }

    URI base() {
        return URI.create("https://127.0.0.1:" + server.port());
    }

    /** The fleet that acts for {@code issuer}, the same one each time. */
    Fleet fleet(String issuer) {
        return fleets.computeIfAbsent(issuer, i -> new LocalFleet(host, door, i, () -> { }));
    }

    /** A definition of two units that writes to a folder under /tmp. */
    static ObjectNode definition(String name) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("name", name);
        node.put("units", 2);
        node.put("destination", "dir:/tmp/" + name + "-out");
        return node;
    }

    /** Waits for the operation to end, whoever asked for it. */
    OperationRecord endOf(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + OPERATION_END.toNanos();
        while (System.nanoTime() < deadline) {
            if (seen.containsKey(requestId)) {
                return seen.get(requestId);
            }
            OperationRecord record = ended.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (record != null) {
                seen.put(record.requestId(), record);
            }
        }
        throw new AssertionError("operation " + requestId + " did not end");
    }

    /** Creates {@code name} through the API and waits until it is Active; its request id. */
    String created(String name) throws Exception {
        ManagementClient.Answer answer = client.post("/services", definition(name));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        String id = answer.body().path("requestId").asText();
        assertThat(endOf(id).outcome()).isEqualTo(Outcome.SUCCEEDED);
        return id;
    }

    @Override
    public void close() {
        server.close();
        door.close();
        host.close();
    }
}
