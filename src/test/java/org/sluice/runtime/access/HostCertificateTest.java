package org.sluice.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

@Timeout(60)
class HostCertificateTest {
    @TempDir
    Path data;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theHostsOwnCertificateIsMadeOnceOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        HostCertificate first = HostCertificate.loadOrCreate(data);

        Path folder = data.resolve("tls");
        assertThat(permissions(folder)).isEqualTo("rwx------");
        assertThat(permissions(folder.resolve("host.key"))).isEqualTo("rw-------");
        assertThat(permissions(folder.resolve("host.crt"))).isEqualTo("rw-------");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("host.key", "host.crt");
        }
        assertThat(Files.readString(folder.resolve("host.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        byte[] key = Files.readAllBytes(folder.resolve("host.key"));

        HostCertificate again = HostCertificate.loadOrCreate(data);
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(Files.readAllBytes(folder.resolve("host.key"))).isEqualTo(key);

        // A client may trust the file itself.
        try (var in = Files.newInputStream(folder.resolve("host.crt"))) {
            X509Certificate file = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            assertThat(HostCertificate.fingerprint(file)).isEqualTo(first.fingerprint());
        }
    }

    @Test
    void theCertificateIsAnEcP256ServerCertificateForThisMachineValidTenYears() throws Exception {
        X509Certificate certificate = HostCertificate.loadOrCreate(data).certificate();

        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=sluice host " + SelfSignedCertificate.hostname());
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

        List<String> names = certificate.getSubjectAlternativeNames().stream().map(name -> name.get(0) + " " + name.get(1)).toList();
        assertThat(names).contains("2 localhost", "7 127.0.0.1", "7 0:0:0:0:0:0:0:1");
        if (SelfSignedCertificate.usableDnsName(SelfSignedCertificate.hostname())) {
            assertThat(names).contains("2 " + SelfSignedCertificate.hostname());
        }

        Instant now = Instant.now();
        certificate.checkValidity();
        assertThat(certificate.getNotBefore().toInstant()).isBefore(now);
        Instant tenYears = now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant();
        assertThat(Duration.between(certificate.getNotAfter().toInstant(), tenYears).abs()).isLessThan(Duration.ofMinutes(5));
    }

    @Test
    void namesTheJdkWouldRefuseInACertificateAreLeftOut() {
        assertThat(SelfSignedCertificate.usableDnsName("build-01.example.org")).isTrue();
        assertThat(SelfSignedCertificate.usableDnsName("my_host")).isFalse();
        assertThat(SelfSignedCertificate.usableDnsName("-dash")).isFalse();
        assertThat(SelfSignedCertificate.usableDnsName("10.0.0.7")).isFalse();
        assertThat(SelfSignedCertificate.usableDnsName("LOCALHOST")).isFalse();
    }

    @Test
    void aClientThatTrustsExactlyThisCertificateCompletesAHandshakeAndOneThatTrustsAnotherDoesNot() throws Exception {
        HostCertificate certificate = HostCertificate.loadOrCreate(data);
        HostCertificate stranger = HostCertificate.loadOrCreate(data.resolve("other"));

        assertThat(handshake(certificate, certificate.certificate())).isEqualTo(certificate.fingerprint());
        assertThatThrownBy(() -> handshake(certificate, stranger.certificate())).isInstanceOf(SSLHandshakeException.class);
    }

    /**
     * Serves HTTPS with {@code served} on 127.0.0.1 and asks it for a page with a client that
     * trusts {@code trusted} alone and checks the host name; returns the fingerprint of the
     * certificate the server presented.
     */
    private static String handshake(HostCertificate served, X509Certificate trusted) throws Exception {
        return handshake(served, trusted, "TLSv1.3", "TLSv1.2");
    }

    private static String handshake(HostCertificate served, X509Certificate trusted, String... protocols) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(served.sslContext()));
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(protocols);
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(trusted)).sslParameters(parameters).build()) {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            SSLSession session = response.sslSession().orElseThrow();
            assertThat(session.getProtocol()).isIn((Object[]) protocols);
            return HostCertificate.fingerprint((X509Certificate) session.getPeerCertificates()[0]);
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("host", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void clientsOfTls12AreServedAndOlderOnesAreNot() throws Exception {
        HostCertificate certificate = HostCertificate.loadOrCreate(data);

        assertThat(handshake(certificate, certificate.certificate(), "TLSv1.2")).isEqualTo(certificate.fingerprint());
        assertThatThrownBy(() -> handshake(certificate, certificate.certificate(), "TLSv1.1")).isInstanceOf(IOException.class);
    }

    @Test
    void theServerContextOffersOnlyTls13And12() {
        SSLContext context = HostCertificate.loadOrCreate(data).sslContext();
        var engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        assertThat(engine.getEnabledProtocols()).isNotEmpty().allSatisfy(p -> assertThat(p).isIn("TLSv1.3", "TLSv1.2"));
        assertThat(context.getDefaultSSLParameters().getProtocols()).allSatisfy(p -> assertThat(p).isIn("TLSv1.3", "TLSv1.2"));
    }

    @Test
    void fingerprintsAreUppercaseHexPairsJoinedWithColons() {
        String fingerprint = HostCertificate.loadOrCreate(data).fingerprint();
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    /** A keystore as an operator makes one with the JDK's keytool: an RSA key, for 127.0.0.1. */
    private Path keytoolKeystore(String password) throws Exception {
        Path keystore = data.resolve("operator.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password,
                "-alias", "api", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30", "-dname", "CN=api.example.org",
                "-ext", "san=dns:api.example.org,ip:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(data.resolve("keytool.log").toFile()).start();
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(Files.readString(data.resolve("keytool.log"))).isZero();
        return keystore;
    }

    @Test
    void theOperatorsOwnKeystoreIsServedWithItsPassword() throws Exception {
        Path keystore = keytoolKeystore("operator-secret");
        // Written by hand, with the line break an editor or echo leaves.
        Path password = Files.writeString(data.resolve("operator.password"), "operator-secret\r\n");

        HostCertificate operators = HostCertificate.fromPkcs12(keystore, password);

        assertThat(operators.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=api.example.org");
        assertThat(operators.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(handshake(operators, operators.certificate())).isEqualTo(operators.fingerprint());
    }

    @Test
    void anOperatorsKeystoreWithTheWrongPasswordIsRefusedNamingBothFiles() throws Exception {
        Path keystore = keytoolKeystore("operator-secret");
        Path wrong = Files.writeString(data.resolve("wrong.password"), "not-the-password\n");

        assertThatThrownBy(() -> HostCertificate.fromPkcs12(keystore, wrong)).isInstanceOf(HostAccessException.class)
                .hasMessage("The password in " + wrong + " does not open the keystore " + keystore);
    }

    @Test
    void missingFilesAnEmptyPasswordAndAKeystoreWithoutAKeyAreRefusedClearly() throws Exception {
        Path password = Files.writeString(data.resolve("p.txt"), "secret\n");
        Path missing = data.resolve("nowhere.p12");
        assertThatThrownBy(() -> HostCertificate.fromPkcs12(missing, password))
                .hasMessage("The keystore " + missing + " does not exist");

        HostCertificate made = HostCertificate.loadOrCreate(data);
        KeyStore onlyACertificate = KeyStore.getInstance("PKCS12");
        onlyACertificate.load(null, null);
        onlyACertificate.setCertificateEntry("ca", made.certificate());
        Path trustStore = data.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            onlyACertificate.store(out, "secret".toCharArray());
        }
        assertThatThrownBy(() -> HostCertificate.fromPkcs12(trustStore, data.resolve("none.txt")))
                .hasMessage("The password file " + data.resolve("none.txt") + " does not exist");
        Path empty = Files.writeString(data.resolve("empty.txt"), "\n");
        assertThatThrownBy(() -> HostCertificate.fromPkcs12(trustStore, empty)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> HostCertificate.fromPkcs12(trustStore, password)).isInstanceOf(HostAccessException.class)
                .hasMessageStartingWith("The keystore " + trustStore + " has no private key");

        Path notAKeystore = data.resolve("tls/host.crt");
        assertThatThrownBy(() -> HostCertificate.fromPkcs12(notAKeystore, password)).isInstanceOf(HostAccessException.class)
                .hasMessageContaining("cannot be read as PKCS#12");
    }

    @Test
    void aDamagedKeyOfTheHostsOwnIsRefusedWithTheWayToStartAfresh() throws Exception {
        HostCertificate.loadOrCreate(data);
        Files.writeString(data.resolve("tls/host.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> HostCertificate.loadOrCreate(data)).isInstanceOf(HostAccessException.class)
                .hasMessageContaining("The key " + data.resolve("tls/host.key") + " cannot be read")
                .hasMessageContaining("Move " + data.resolve("tls") + " aside");
    }

    @Test
    void aCertificateHalfMadeIsMadeAgain() throws Exception {
        HostCertificate first = HostCertificate.loadOrCreate(data);
        // A crash between the key and the certificate leaves the key alone.
        Files.delete(data.resolve("tls/host.crt"));

        HostCertificate again = HostCertificate.loadOrCreate(data);
        assertThat(again.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(HostCertificate.loadOrCreate(data).fingerprint()).isEqualTo(again.fingerprint());
    }
}
