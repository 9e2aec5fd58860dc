package org.sluice.runtime.store;

import java.util.Objects;

/**
 * The hash of one key of a management API issuer, as the store keeps it. The key itself is never
 * stored.
 *
 * @param issuer    the issuer's name, such as {@code owner}
 * @param slot      which of its keys: {@code primary} or {@code secondary}
 * @param hash      the SHA-256 of the key's UTF-8 bytes, as 64 lowercase hex digits
 * @param changedMs when the key was made, epoch milliseconds
 */
public record StoredKeyHash(String issuer, String slot, String hash, long changedMs) {

    public StoredKeyHash {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(hash, "hash");
    }
}
