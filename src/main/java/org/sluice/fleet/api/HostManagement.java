package org.sluice.fleet.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.runtime.LocalHost;
import org.sluice.runtime.access.HostCertificate;
import org.sluice.runtime.access.HostKeys;
import org.sluice.runtime.instance.OwnerOnly;
import org.sluice.runtime.metrics.HostMetrics;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The management listener of a host run by {@code sluice host}: its certificate, its issuer keys,
 * the HTTPS server, and the connection file ({@value #CONNECTION_FILE} in the data folder) that
 * tells a client on the same machine where the listener is and which certificate it has.
 */
public final class HostManagement implements AutoCloseable {
    /** The connection file, owner-only, in the data folder. */
    public static final String CONNECTION_FILE = "manage.json";
    /** The default address: loopback only. */
    public static final int DEFAULT_PORT = 7071;

    /**
     * How to open the listener.
     *
     * @param address      where to listen
     * @param exposed      whether an address other than loopback is meant
     * @param keystore     the operator's own PKCS#12 certificate, instead of the host's self-signed one
     * @param passwordFile the file holding the keystore's password
     * @param keysFile     the issuer's keys as the operator gives them ({@link HostKeys#fromFile}),
     *                     instead of the ones the host makes in its data folder
     */
    public record Options(InetSocketAddress address, boolean exposed, Optional<Path> keystore, Optional<Path> passwordFile,
                          Optional<Path> keysFile) {
        /** Loopback on the default port, with the host's own certificate and keys. */
        public static Options defaults() {
            return new Options(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT), false,
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** An address other than loopback was asked for without saying it is meant. */
    public static final class ExposureRefusedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ExposureRefusedException(InetSocketAddress address) {
            super("The management listener stays on loopback unless told otherwise: " + address.getHostString()
                    + " is reachable from other machines. Add --manage-exposed if that is what you mean");
        }
    }

    private final ManagementServer server;
    private final HostCertificate certificate;
    private final String url;
    private final InetSocketAddress address;
    private final Runnable stopCounting;

    private HostManagement(ManagementServer server, HostCertificate certificate, String url, InetSocketAddress address,
                           Runnable stopCounting) {
        this.server = server;
        this.stopCounting = stopCounting;
        this.certificate = certificate;
        this.url = url;
        this.address = address;
    }

    /**
     * Opens the listener of {@code local}: makes the certificate and the keys on first start,
     * starts the server and writes the connection file.
     *
     * @throws ExposureRefusedException when the address is not loopback and {@code exposed} is not set
     */
    public static HostManagement open(LocalHost local, Options options, String version) throws IOException {
        InetSocketAddress address = options.address();
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("The management address " + address.getHostString() + " is not known to this machine");
        }
        if (!options.exposed() && !address.getAddress().isLoopbackAddress()) {
            throw new ExposureRefusedException(address);
        }
        Path data = local.data();
        HostCertificate certificate = options.keystore().isPresent()
                ? HostCertificate.fromPkcs12(options.keystore().get(), options.passwordFile().orElseThrow(
                        () -> new IllegalArgumentException("--tls-keystore needs --tls-password-file with the keystore's password")))
                : HostCertificate.loadOrCreate(data);
        HostKeys keys = options.keysFile().isPresent()
                ? HostKeys.fromFile(options.keysFile().get(), data, local.store())
                : HostKeys.openOrCreate(data, local.store());
        HostMetrics metrics = HostMetrics.of(local.host(), InstantSource.system());
        Map<String, Fleet> fleets = new ConcurrentHashMap<>();
        ManagementServer server;
        try {
            server = ManagementServer.start(address, certificate.sslContext(), keys::accepts,
                    issuer -> fleets.computeIfAbsent(issuer, i -> new LocalFleet(local.host(), local.door(), i, () -> { })),
                    version, ManagementServer.Settings.defaults(), metrics::write);
        } catch (IOException | RuntimeException e) {
            local.host().removeListener(metrics);
            throw e;
        }
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        String url = "https://" + host + ":" + server.port();
        try {
            ObjectNode connection = ApiJson.MAPPER.createObjectNode();
            connection.put("url", url);
            connection.put("fingerprint", certificate.fingerprint());
            connection.put("issuer", HostKeys.ISSUER);
            connection.put("keys", options.keysFile().orElse(data.resolve(HostKeys.FILE_NAME)).toString());
            OwnerOnly.write(data.resolve(CONNECTION_FILE),
                    ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(connection).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            server.close();
            local.host().removeListener(metrics);
            throw e;
        }
        return new HostManagement(server, certificate, url, new InetSocketAddress(address.getAddress(), server.port()),
                () -> local.host().removeListener(metrics));
    }

    /** Where the listener answers, e.g. {@code https://127.0.0.1:7071}. */
    public String url() {
        return url;
    }

    /** Whether it listens beyond loopback, where other machines reach it. */
    public boolean exposed() {
        return !address.getAddress().isLoopbackAddress();
    }

    /** The address it listens on, e.g. {@code 0.0.0.0:7071}. */
    public String listening() {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The SHA-256 fingerprint of the certificate it presents. */
    public String fingerprint() {
        return certificate.fingerprint();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        stopCounting.run();
    }
}
