package org.sluice.runtime.access;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.runtime.instance.OwnerOnly;

/**
 * The key and certificate the management API is served with over HTTPS. On its first start a host
 * makes its own: an EC P-256 key and a self-signed certificate valid for ten years, for
 * {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the machine's name, kept in {@code DATA/tls/}
 * so that clients that trust it go on trusting it across restarts. An operator may give a PKCS#12
 * keystore of their own instead ({@link #fromPkcs12}).
 *
 * <p>Clients of a self-signed certificate check it by its {@linkplain #fingerprint() SHA-256
 * fingerprint}, which the host prints when it starts, or trust {@code DATA/tls/host.crt} itself
 * ({@code curl --cacert}). See {@code docs/decisions/0013-certificates-with-bouncycastle.md}.
 */
public final class HostCertificate {
    /** The folder in the data folder that holds the host's own key and certificate. */
    public static final String FOLDER = "tls";
    /** The host's own private key in {@link #FOLDER}: PKCS#8 in PEM, readable by the owner alone. */
    public static final String KEY_FILE = "host.key";
    /** The host's own certificate in {@link #FOLDER}, in PEM. */
    public static final String CERTIFICATE_FILE = "host.crt";

    private static final Logger LOG = LoggerFactory.getLogger(HostCertificate.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_LABEL = "PRIVATE KEY";
    private static final String CERTIFICATE_LABEL = "CERTIFICATE";

    private final X509Certificate[] chain;
    private final SSLContext sslContext;

    private HostCertificate(PrivateKey key, X509Certificate[] chain) {
        this.chain = chain.clone();
        this.sslContext = serverContext(key, this.chain);
    }

    /**
     * The host's own certificate in {@code DATA/tls/}, made there on the first call. The folder is
     * {@code rwx------} and its files {@code rw-------}.
     *
     * @throws HostAccessException when the files cannot be written, or those there cannot be read
     */
    public static HostCertificate loadOrCreate(Path data) {
        Path folder = data.resolve(FOLDER);
        Path keyFile = folder.resolve(KEY_FILE);
        Path certificateFile = folder.resolve(CERTIFICATE_FILE);
        try {
            OwnerOnly.createDirectories(folder);
            OwnerOnly.check(folder);
            OwnerOnly.restrict(keyFile);
            OwnerOnly.restrict(certificateFile);
        } catch (IOException e) {
            throw new HostAccessException("Cannot prepare " + folder + " for the host's certificate: " + e.getMessage(), e);
        }
        // The certificate is written last, so where it exists its key does too.
        if (Files.exists(certificateFile)) {
            try {
                return readPem(keyFile, certificateFile);
            } catch (HostAccessException e) {
                throw new HostAccessException(e.getMessage() + ". Move " + folder + " aside and the host makes a new certificate "
                        + "(clients that trust the old one must then be given the new one's fingerprint)", e.getCause());
            }
        }
        return create(keyFile, certificateFile);
    }

    /**
     * The operator's own key and certificate ({@code --tls-keystore FILE --tls-password-file FILE}):
     * the first private key in the PKCS#12 {@code keystore} with its certificate chain, opened with
     * the first line of {@code passwordFile}, which must also be the key's password.
     *
     * @throws HostAccessException naming the file when either is missing, the password does not
     *                             open the keystore, or the keystore holds no private key
     */
    public static HostCertificate fromPkcs12(Path keystore, Path passwordFile) {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(passwordFile, "passwordFile");
        if (!Files.isRegularFile(keystore)) {
            throw new HostAccessException("The keystore " + keystore + " does not exist");
        }
        char[] password = readPassword(passwordFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new HostAccessException("The password in " + passwordFile + " does not open the keystore " + keystore);
                }
                throw new HostAccessException("The keystore " + keystore + " cannot be read as PKCS#12: " + e.getMessage(), e);
            }
            return firstKey(store, keystore, password);
        } catch (GeneralSecurityException e) {
            throw new HostAccessException("The keystore " + keystore + " cannot be read as PKCS#12: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * A server context with this key, the same on every call. It offers TLS 1.3 and 1.2: the JDK
     * disables every older version in its {@code java.security}.
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The certificate the server presents: the host's own, or the first of the operator's chain. */
    public X509Certificate certificate() {
        return chain[0];
    }

    /** The SHA-256 of {@link #certificate()}, as {@link #fingerprint(X509Certificate)} writes it. */
    public String fingerprint() {
        return fingerprint(chain[0]);
    }

    /**
     * The SHA-256 of the certificate's DER encoding as uppercase hex pairs joined with {@code :}
     * ({@code 3A:9F:…}, 95 characters), as {@code keytool -list} and {@code openssl x509
     * -fingerprint -sha256} print it.
     */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate cannot be encoded: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The fingerprint only: nothing of the key in logs. */
    @Override
    public String toString() {
        return "HostCertificate[" + fingerprint() + "]";
    }

    // The host's own

    private static HostCertificate create(Path keyFile, Path certificateFile) {
        String hostname = SelfSignedCertificate.hostname();
        KeyPair pair;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            pair = generator.generateKeyPair();
            certificate = SelfSignedCertificate.make(pair, hostname, Instant.now(), RANDOM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a certificate with this Java runtime: " + e.getMessage(), e);
        }
        try {
            OwnerOnly.replace(keyFile, pem(KEY_LABEL, pair.getPrivate().getEncoded()));
            OwnerOnly.replace(certificateFile, pem(CERTIFICATE_LABEL, certificate.getEncoded()));
        } catch (IOException | CertificateEncodingException e) {
            throw new HostAccessException("Cannot write the host's certificate to " + certificateFile.getParent() + ": " + e.getMessage(), e);
        }
        HostCertificate made = new HostCertificate(pair.getPrivate(), new X509Certificate[] {certificate});
        LOG.info("Made the host's certificate ({}) in {}, SHA-256 fingerprint {}", certificate.getSubjectX500Principal().getName(),
                certificateFile, made.fingerprint());
        return made;
    }

    /**
     * PEM as OpenSSL writes it. The host's own key is kept unencrypted, protected by the file's
     * permissions: a password for it would have to sit in a file beside it, and only cost time.
     */
    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static HostCertificate readPem(Path keyFile, Path certificateFile) {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new HostAccessException("The certificate " + certificateFile + " cannot be read: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(keyFile)) {
            throw new HostAccessException("The key of the certificate " + certificateFile + " is missing: " + keyFile);
        }
        PrivateKey key;
        try {
            byte[] der = unpem(Files.readString(keyFile, StandardCharsets.US_ASCII), KEY_LABEL);
            key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new HostAccessException("The key " + keyFile + " cannot be read: " + e.getMessage(), e);
        }
        warnWhenOutOfDate(certificate, certificateFile);
        return new HostCertificate(key, new X509Certificate[] {certificate});
    }

    /** The bytes between the BEGIN and END lines of {@code label}. */
    private static byte[] unpem(String text, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + begin + " … " + end + " in it");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    // The operator's own

    private static char[] readPassword(Path passwordFile) {
        if (!Files.isRegularFile(passwordFile)) {
            throw new HostAccessException("The password file " + passwordFile + " does not exist");
        }
        String text;
        try {
            text = Files.readString(passwordFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HostAccessException("Cannot read the password file " + passwordFile + ": " + e.getMessage(), e);
        }
        // The first line: a file written with echo or an editor ends with a line break that is not part of the password.
        String line = text.lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw new HostAccessException("The password file " + passwordFile + " is empty; its first line must be the keystore's password");
        }
        return line.toCharArray();
    }

    private static HostCertificate firstKey(KeyStore store, Path keystore, char[] password) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (!store.isKeyEntry(alias)) {
                continue;
            }
            Key key;
            try {
                key = store.getKey(alias, password);
            } catch (UnrecoverableKeyException e) {
                throw new HostAccessException("The private key " + alias + " in " + keystore
                        + " has a password other than the keystore's; give it the keystore's password", e);
            }
            Certificate[] chain = store.getCertificateChain(alias);
            if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0
                    && Arrays.stream(chain).allMatch(X509Certificate.class::isInstance)) {
                X509Certificate[] x509 = Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
                warnWhenOutOfDate(x509[0], keystore);
                return new HostCertificate(privateKey, x509);
            }
        }
        throw new HostAccessException("The keystore " + keystore + " has no private key with its certificate; the server needs both"
                + " (openssl pkcs12 -export -inkey KEY -in CERT makes such a keystore)");
    }

    private static void warnWhenOutOfDate(X509Certificate certificate, Path file) {
        Date now = new Date();
        if (now.after(certificate.getNotAfter())) {
            LOG.warn("The certificate in {} expired on {}; clients will refuse it", file, certificate.getNotAfter().toInstant());
        } else if (now.before(certificate.getNotBefore())) {
            LOG.warn("The certificate in {} is not valid before {}; clients will refuse it until then", file,
                    certificate.getNotBefore().toInstant());
        }
    }

    // Serving

    private static SSLContext serverContext(PrivateKey key, X509Certificate[] chain) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new OneKeyManager(key, chain)}, null, RANDOM);
            return context;
        } catch (GeneralSecurityException e) {
            throw new HostAccessException("Cannot serve TLS with the certificate " + fingerprint(chain[0]) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands the TLS engine the one key. A key store in between would encrypt the key only for the
     * key manager to decrypt it again, which costs a noticeable part of a start.
     */
    private static final class OneKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "host";

        private final PrivateKey key;
        private final X509Certificate[] chain;

        OneKeyManager(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        /**
         * Whether the key serves {@code keyType}: its algorithm ({@code EC}, {@code RSA}), with the
         * signature of obsolete suites after an underscore ({@code EC_RSA}) left aside.
         */
        private String aliasFor(String keyType) {
            if (keyType == null) {
                return null;
            }
            int underscore = keyType.indexOf('_');
            String algorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
            return algorithm.equals(chain[0].getPublicKey().getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return aliasFor(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return aliasFor(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }

        // A server only: it never authenticates as a client.

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return null;
        }
    }
}
