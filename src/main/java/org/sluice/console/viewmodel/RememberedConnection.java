package org.sluice.console.viewmodel;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection to a remote host that the console keeps between runs.
 *
 * @param name        what the operator calls the host; its services go by {@code name/service}
 * @param address     its management API, {@code https://HOST:PORT}
 * @param issuer      the issuer the console signs in as
 * @param fingerprint the SHA-256 fingerprint of the certificate the operator accepted
 * @param key         the issuer's key, only when the operator asked for it to be remembered
 */
public record RememberedConnection(String name, URI address, String issuer, String fingerprint, Optional<String> key) {
    public RememberedConnection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(key, "key");
    }

    /** The same connection with {@code key} remembered, or with no key when it is empty. */
    public RememberedConnection withKey(Optional<String> newKey) {
        return new RememberedConnection(name, address, issuer, fingerprint, newKey);
    }
}
