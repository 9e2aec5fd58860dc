package org.sluice.fleet.api;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts one host's certificate, named by its SHA-256 fingerprint, and nothing else. A host's
 * certificate is its own, signed by no authority, so a client learns its fingerprint once (the
 * host prints it; the console shows it and asks) and from then on refuses any other: a changed
 * certificate is either a new host or someone in between, and the operator decides which.
 *
 * <p>With no fingerprint pinned it trusts whatever the host presents and remembers it, which is
 * how a first contact reads the fingerprint to show.
 */
public final class PinnedCertificate extends X509ExtendedTrustManager {
    private final Optional<String> pinned;
    private final AtomicReference<String> presented = new AtomicReference<>();

    private PinnedCertificate(Optional<String> pinned) {
        this.pinned = pinned.map(PinnedCertificate::normalise);
    }

    /** Trusts only the certificate with this fingerprint. */
    public static PinnedCertificate pinned(String fingerprint) {
        return new PinnedCertificate(Optional.of(fingerprint));
    }

    /** Trusts any certificate once, to learn its fingerprint. */
    public static PinnedCertificate firstContact() {
        return new PinnedCertificate(Optional.empty());
    }

    /** The fingerprint of the certificate the host presented, once it has. */
    public Optional<String> presented() {
        return Optional.ofNullable(presented.get());
    }

    /** A TLS context for clients that trusts as this does. */
    public SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java has no TLS", e);
        }
    }

    /** The SHA-256 fingerprint of a certificate, as uppercase hex pairs joined by colons. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("Cannot take the fingerprint of a certificate", e);
        }
    }

    private static String normalise(String fingerprint) {
        return fingerprint.strip().replace(" ", "").toUpperCase(Locale.ROOT);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("The host presented no certificate");
        }
        String actual = fingerprint(chain[0]);
        presented.set(actual);
        if (pinned.isPresent() && !pinned.get().equals(actual)) {
            throw new CertificateChangedException(pinned.get(), actual);
        }
    }

    /** The host presented a certificate other than the pinned one. */
    public static final class CertificateChangedException extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String expected;
        private final String actual;

        CertificateChangedException(String expected, String actual) {
            super("The host's certificate changed: it was " + expected + " and is now " + actual
                    + ". If the host was set up anew, accept the new one; otherwise someone may be in between");
            this.expected = expected;
            this.actual = actual;
        }

        public String expected() {
            return expected;
        }

        public String actual() {
            return actual;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("This side is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("This side is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("This side is a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
