package org.sluice.runtime.access;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the certificate a host makes for itself, with BouncyCastle; signing is the JDK's. Kept
 * apart from {@link HostCertificate} so that a host that already has its certificate loads no
 * BouncyCastle class at all ({@code docs/decisions/0013-certificates-with-bouncycastle.md}).
 */
final class SelfSignedCertificate {
    /** How long the certificate is valid. */
    static final int VALID_YEARS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    /** A client's clock may be a little behind the host's. */
    private static final Duration SKEW = Duration.ofHours(1);
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private SelfSignedCertificate() {
    }

    /**
     * A certificate for a TLS server on this machine, signed by its own key: CN=sluice host
     * HOSTNAME, for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and {@code hostname}, valid
     * {@value #VALID_YEARS} years from {@code now}, for server authentication only.
     */
    static X509Certificate make(KeyPair pair, String hostname, Instant now, SecureRandom random) throws GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "sluice host " + hostname).build();
        Date notBefore = Date.from(now.minus(SKEW));
        Date notAfter = Date.from(now.atOffset(ZoneOffset.UTC).plusYears(VALID_YEARS).toInstant());
        // Positive, well under the 20 bytes RFC 5280 allows, and unguessable.
        BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial, notBefore, notAfter, subject, pair.getPublic());

        List<GeneralName> names = new ArrayList<>(List.of(
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")));
        if (usableDnsName(hostname)) {
            names.add(new GeneralName(GeneralName.dNSName, hostname));
        }
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(publicKey)));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(pair.getPrivate())));
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot build the certificate: " + e.getMessage(), e);
        }
    }

    /** RFC 5280's first way: the SHA-1 of the public key's bits, with the JDK's own digest. */
    private static byte[] keyIdentifier(SubjectPublicKeyInfo publicKey) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(publicKey.getPublicKeyData().getBytes());
    }

    /** A name this machine is known by: a client on another machine may reach the host by it. */
    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.debug("This machine's name does not resolve: {}", e.getMessage());
        }
        for (String variable : List.of("HOSTNAME", "COMPUTERNAME")) {
            String name = System.getenv(variable);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        }
        return "localhost";
    }

    /**
     * Whether {@code hostname} goes among the certificate's names: a DNS name the JDK accepts in a
     * certificate (no underscore, say), and neither an address nor {@code localhost}, which are
     * there already.
     */
    static boolean usableDnsName(String hostname) {
        return hostname.length() <= 253 && DNS_NAME.matcher(hostname).matches() && !IPV4.matcher(hostname).matches()
                && !hostname.toLowerCase(Locale.ROOT).equals("localhost");
    }
}
