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
 * @param keyNotGiven why the keychain did not give the key it keeps for this connection, when it
 *                    did not: the key is then empty, the keychain keeps its entry, and the operator
 *                    enters the key again (Enter key…)
 */
public record RememberedConnection(String name, URI address, String issuer, String fingerprint, Optional<String> key,
                                   Optional<String> keyNotGiven) {
    public RememberedConnection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyNotGiven, "keyNotGiven");
        if (key.isPresent() && keyNotGiven.isPresent()) {
            throw new IllegalArgumentException("A connection has its key or says why the keychain did not give it, not both");
        }
    }

    /** A connection whose key, when it has one, was read back. */
    public RememberedConnection(String name, URI address, String issuer, String fingerprint, Optional<String> key) {
        this(name, address, issuer, fingerprint, key, Optional.empty());
    }

    /** The same connection with {@code key} remembered, or with no key when it is empty. */
    public RememberedConnection withKey(Optional<String> newKey) {
        return new RememberedConnection(name, address, issuer, fingerprint, newKey, Optional.empty());
    }

    /** The same connection, its key kept in the keychain but not given back, for {@code why}. */
    public RememberedConnection keyNotGiven(String why) {
        return new RememberedConnection(name, address, issuer, fingerprint, Optional.empty(), Optional.of(why));
    }
}
