package org.sluice.fleet.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.access.HostCertificate;

/**
 * A host in this process, with stand-in instances, behind a real HTTPS management listener: what a
 * remote client talks to, in tests. The listener can be closed and opened again on the same
 * port, with another certificate, or with the key changed, as a host that restarts would be.
 */
public final class ManagedHost implements AutoCloseable {
    public static final String KEY = "the-key";

    public final FakeLauncher launcher;
    public final Host host;
    public final AtomicReference<String> validKey = new AtomicReference<>(KEY);
    private final Map<String, Fleet> fleets = new ConcurrentHashMap<>();
    private final FrontDoor door;
    private HostCertificate certificate;
    private ManagementServer server;
    private int port;

    /** Opens the host, makes a certificate in {@code data} and starts the listener on a free port. */
    public ManagedHost(Path data) throws Exception {
        this(data, new FakeLauncher(), new InMemoryJournal(), Duration.ofSeconds(1));
    }

    /**
     * As {@link #ManagedHost(Path)}, over {@code journal} and {@code launcher}, with {@code restartPause}
     * before a try again: a host that restarted, whose {@link Host#open()} is left to the test.
     */
    public ManagedHost(Path data, FakeLauncher launcher, InMemoryJournal journal, Duration restartPause) throws Exception {
        this.launcher = launcher;
        host = new Host(launcher, journal, InstantSource.system(), new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1),
                restartPause));
        door = FrontDoor.open(host, 0);
        certificate = HostCertificate.loadOrCreate(data);
        server = serve(0, certificate);
        port = server.port();
    }

    private ManagementServer serve(int at, HostCertificate tls) throws Exception {
        return ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), tls.sslContext(),
                (issuer, key) -> key.equals(validKey.get()), this::fleet, "test", ManagementServer.Settings.defaults());
    }

    /** The host's fleet as the operation log names {@code issuer}; for acting on the host directly. */
    public Fleet fleet(String issuer) {
        return fleets.computeIfAbsent(issuer, i -> new LocalFleet(host, door, i, () -> { }));
    }

    public FrontDoor door() {
        return door;
    }

    public String fingerprint() {
        return certificate.fingerprint();
    }

    public URI url() {
        return URI.create("https://127.0.0.1:" + port);
    }

    /** A client that signs in as owner with the current key. */
    public ManagementClient client() {
        return new ManagementClient(url(), "owner", KEY, fingerprint());
    }

    /** Closes the listener, as a host that stops. */
    public void stopListening() {
        server.close();
    }

    /** Opens the listener again on the same port, with {@code tls} (the same certificate or another). */
    public void listenAgain(HostCertificate tls) throws Exception {
        server = serve(port, tls);
    }

    public HostCertificate certificate() {
        return certificate;
    }

    @Override
    public void close() {
        server.close();
        door.close();
        host.close();
    }
}
