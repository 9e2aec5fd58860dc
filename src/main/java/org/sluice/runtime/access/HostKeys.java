package org.sluice.runtime.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.runtime.instance.OwnerOnly;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredKeyHash;
import org.sluice.runtime.store.StoreException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The keys of the management API. The host has one issuer, {@value #ISSUER}, with two keys, so
 * that clients can move from one to the other while the first is rolled. The keys are in the clear
 * only in {@code DATA/keys.json}, which only the host's owner can read; the database keeps their
 * SHA-256 hashes, and those are what a request is checked against.
 *
 * <p>A key rolled by another process ({@code sluice keys regenerate} while the host runs) is seen
 * here within {@link #REFRESH_MS}: the hashes are read again from the database when the ones in
 * memory are older than that.
 *
 * <p>{@link #accepts} is safe to call from many threads at once.
 */
public final class HostKeys {
    /** The issuer the host makes on its first start. */
    public static final String ISSUER = "owner";
    /** The file in the data folder that holds the keys in the clear. */
    public static final String FILE_NAME = "keys.json";

    /** How old the hashes in memory may be before they are read again. */
    static final long REFRESH_MS = 1_000;
    /** Bytes of randomness in a key: 256 bits. */
    static final int KEY_BYTES = 32;
    /** The shortest key the host takes from the operator: 256 bits in base64, as the keys it makes. */
    static final int MIN_GIVEN_KEY_CHARS = 43;

    private static final Logger LOG = LoggerFactory.getLogger(HostKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    /** Milliseconds that only go forward, for the age of the hashes in memory. */
    private static final LongSupplier MONOTONIC_MS = () -> System.nanoTime() / 1_000_000;

    /** One of an issuer's two keys. */
    public enum Slot {
        PRIMARY, SECONDARY;

        /** The slot's name in the database and in {@code keys.json}. */
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        Slot other() {
            return this == PRIMARY ? SECONDARY : PRIMARY;
        }
    }

    /**
     * An issuer's keys, as {@code keys.json} has them. A key is {@code null} only where
     * {@code keys.json} was lost and that slot has not been rolled since: the database knows its
     * hash, nobody knows the key.
     */
    public record Keys(String issuer, String primary, String secondary) {

        public Keys {
            Objects.requireNonNull(issuer, "issuer");
        }

        /** The key in {@code slot}, or {@code null} when it is not known. */
        public String key(Slot slot) {
            return slot == Slot.PRIMARY ? primary : secondary;
        }

        Keys with(Slot slot, String key) {
            return slot == Slot.PRIMARY ? new Keys(issuer, key, secondary) : new Keys(issuer, primary, key);
        }

        /** Names the issuer only: keys have no place in logs. */
        @Override
        public String toString() {
            return "Keys[issuer=" + issuer + "]";
        }
    }

    /** The hashes in memory, by issuer, and when they were read. */
    private record Snapshot(Map<String, List<byte[]>> hashes, long readMs) {
    }

    private final Store store;
    private final LongSupplier clock;
    private final Object refreshing = new Object();
    private volatile Snapshot snapshot;
    /** Whether the last read of the hashes failed; guarded by {@link #refreshing}. */
    private boolean failing;

    private HostKeys(Store store, LongSupplier clock, Snapshot snapshot) {
        this.store = store;
        this.clock = clock;
        this.snapshot = snapshot;
    }

    /**
     * The keys of the host whose data folder is {@code data} and whose database is {@code store}.
     * On the host's first start (the database has no key of {@value #ISSUER}) it makes the issuer's
     * two keys, writes them to {@code DATA/keys.json} and their hashes to the database. Later it
     * only reads the hashes; {@code keys.json} may then be missing.
     *
     * @throws HostAccessException when {@code keys.json} cannot be written
     * @throws StoreException      when the database cannot be read or written
     */
    public static HostKeys openOrCreate(Path data, Store store) {
        return openOrCreate(data, store, MONOTONIC_MS);
    }

    /** As {@link #openOrCreate(Path, Store)}, with the clock that ages the hashes in memory. */
    static HostKeys openOrCreate(Path data, Store store, LongSupplier clock) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Path file = data.resolve(FILE_NAME);
        if (hashesOf(store.keyHashes(), ISSUER).isEmpty()) {
            Keys keys = new Keys(ISSUER, newKey(), newKey());
            // The file first: a key the database accepts is then always one the owner can read.
            try {
                OwnerOnly.createDirectories(data);
                OwnerOnly.replace(file, json(keys));
            } catch (IOException e) {
                throw new HostAccessException("Cannot write the management keys to " + file + ": " + e.getMessage(), e);
            }
            long now = System.currentTimeMillis();
            store.saveKeyHashes(List.of(stored(Slot.PRIMARY, keys.primary(), now), stored(Slot.SECONDARY, keys.secondary(), now)));
            LOG.info("Made the management keys of the issuer {} in {}", ISSUER, file);
        } else {
            try {
                // Loosened by hand, perhaps; the keys are the owner's alone.
                OwnerOnly.restrict(file);
            } catch (IOException e) {
                LOG.warn("Cannot make {} readable by its owner alone: {}", file, e.getMessage());
            }
        }
        return new HostKeys(store, clock, read(store, clock.getAsLong()));
    }

    /**
     * The keys of {@value #ISSUER} as the operator gives them in {@code file} (in a cluster, a
     * Secret mounted as a file), in the shape of {@code keys.json}: their hashes replace the ones in
     * the database, at every start, so that changing the file and restarting the host rolls them.
     * The data folder {@code data}'s {@code keys.json}, whose keys no longer work then, is removed.
     *
     * @throws HostAccessException when the file cannot be read, is not the keys' shape, names
     *                             another issuer, or holds a key shorter than {@value #MIN_GIVEN_KEY_CHARS} characters
     * @throws StoreException      when the database cannot be written
     */
    public static HostKeys fromFile(Path file, Path data, Store store) {
        return fromFile(file, data, store, MONOTONIC_MS);
    }

    /** As {@link #fromFile(Path, Path, Store)}, with the clock that ages the hashes in memory. */
    static HostKeys fromFile(Path file, Path data, Store store, LongSupplier clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(store, "store");
        Keys keys = readFile(file, "Write it as {\"issuer\":\"" + ISSUER + "\",\"primary\":…,\"secondary\":…}.");
        if (!ISSUER.equals(keys.issuer())) {
            throw new HostAccessException("The keys in " + file + " are for the issuer " + keys.issuer()
                    + "; the host has one issuer, " + ISSUER + ". Write \"issuer\":\"" + ISSUER + "\" in it.");
        }
        for (Slot slot : Slot.values()) {
            String key = keys.key(slot);
            if (key == null || key.length() < MIN_GIVEN_KEY_CHARS) {
                throw new HostAccessException("The " + slot.id() + " key in " + file + " is missing or shorter than "
                        + MIN_GIVEN_KEY_CHARS + " characters (256 random bits in base64). Make one with: openssl rand -base64 32");
            }
        }
        long now = System.currentTimeMillis();
        store.saveKeyHashes(List.of(stored(Slot.PRIMARY, keys.primary(), now), stored(Slot.SECONDARY, keys.secondary(), now)));
        Path stale = data.resolve(FILE_NAME);
        try {
            if (Files.deleteIfExists(stale)) {
                LOG.info("Removed {}: the management keys now come from {}", stale, file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot remove {}, whose keys no longer work (they come from {}): {}", stale, file, e.getMessage());
        }
        LOG.info("The management keys of the issuer {} come from {}", ISSUER, file);
        return new HostKeys(store, clock, read(store, clock.getAsLong()));
    }

    /**
     * Whether {@code key} is one of {@code issuer}'s two keys. The key's hash is compared with both
     * slots' hashes in constant time, whichever matches. When the database cannot be read, no key
     * is accepted until it can.
     */
    public boolean accepts(String issuer, String key) {
        if (issuer == null || key == null) {
            return false;
        }
        byte[] presented = sha256(key);
        boolean accepted = false;
        for (byte[] hash : current().hashes().getOrDefault(issuer, List.of())) {
            // No early exit: the time taken says nothing about which slot, if any, matched.
            accepted |= MessageDigest.isEqual(hash, presented);
        }
        return accepted;
    }

    /** The hashes in memory, read again first when they are {@link #REFRESH_MS} old. */
    private Snapshot current() {
        Snapshot known = snapshot;
        if (fresh(known, clock.getAsLong())) {
            return known;
        }
        synchronized (refreshing) {
            known = snapshot;
            long now = clock.getAsLong();
            if (fresh(known, now)) {
                // Another thread read them while this one waited.
                return known;
            }
            Snapshot read;
            try {
                read = read(store, now);
                if (failing) {
                    LOG.info("The management keys can be read again");
                    failing = false;
                }
            } catch (StoreException | IllegalStateException e) {
                // Refuse everyone rather than accept a key that may have been rolled; try again in a while.
                if (!failing) {
                    LOG.warn("Cannot read the management keys; every request is refused until they can be read: {}", e.getMessage());
                    failing = true;
                }
                read = new Snapshot(Map.of(), now);
            }
            snapshot = read;
            return read;
        }
    }

    private static boolean fresh(Snapshot snapshot, long now) {
        long age = now - snapshot.readMs();
        return age >= 0 && age < REFRESH_MS;
    }

    private static Snapshot read(Store store, long now) {
        Map<String, List<byte[]>> hashes = new HashMap<>();
        for (StoredKeyHash stored : store.keyHashes()) {
            hashes.computeIfAbsent(stored.issuer(), issuer -> new ArrayList<>()).add(HEX.parseHex(stored.hash()));
        }
        hashes.replaceAll((issuer, list) -> List.copyOf(list));
        return new Snapshot(Map.copyOf(hashes), now);
    }

    /**
     * The keys in {@code DATA/keys.json}.
     *
     * @throws NoKeysException     when there is no such file: no host has run on this folder yet
     * @throws HostAccessException when it cannot be read
     */
    public static Keys show(Path data) {
        Path file = data.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new NoKeysException(data, file + " is missing");
        }
        return readFile(file, ROLL_BOTH);
    }

    /**
     * Makes a new key for {@code slot} of {@value #ISSUER}, writes its hash to the database and
     * rewrites {@code DATA/keys.json} with it; the other slot is left as it was. The old key stops
     * working as soon as a running host reads the hashes again, within {@link #REFRESH_MS}.
     *
     * <p>Meant to run beside the host: it opens the database as a second connection, which waits
     * for the host's writes, and does not take the data folder's lock.
     *
     * @return the issuer's keys after the change
     * @throws NoKeysException     when no host has made keys in {@code data} yet
     * @throws HostAccessException when {@code keys.json} cannot be read or written
     * @throws StoreException      when the database cannot be opened, read or written
     */
    public static Keys regenerate(Path data, Slot slot) {
        Objects.requireNonNull(slot, "slot");
        Path database = data.resolve(Store.FILE_NAME);
        // Store.open would make a database where there is none; a folder without one has no keys.
        if (!Files.isRegularFile(database)) {
            throw new NoKeysException(data, database + " is missing");
        }
        Path file = data.resolve(FILE_NAME);
        try (Store store = Store.open(data)) {
            List<StoredKeyHash> stored = hashesOf(store.keyHashes(), ISSUER);
            if (stored.isEmpty()) {
                throw new NoKeysException(data, database + " holds none");
            }
            Keys before = readIfUsable(file);
            // keys.json shows the other key only if it is still the one the database accepts.
            Slot other = slot.other();
            String otherKey = before.key(other);
            if (otherKey != null && !holds(stored, other, otherKey)) {
                LOG.warn("The {} key in {} is not the one the database holds; it is left out", other.id(), file);
                otherKey = null;
            }
            Keys after = new Keys(ISSUER, null, null).with(other, otherKey).with(slot, newKey());
            // The new file is written before the database, and moved into place after it: a failure
            // on the way leaves both as they were, and a key the database accepts is one the owner can read.
            Path written;
            try {
                written = OwnerOnly.writeBeside(file, json(after));
            } catch (IOException e) {
                throw new HostAccessException("Cannot write the management keys to " + file + ": " + e.getMessage(), e);
            }
            try {
                store.saveKeyHashes(List.of(stored(slot, after.key(slot), System.currentTimeMillis())));
            } catch (RuntimeException e) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
                throw e;
            }
            try {
                OwnerOnly.moveInto(written, file);
            } catch (IOException e) {
                throw new HostAccessException("The new " + slot.id() + " key is in the database, but " + file
                        + " cannot be written (" + e.getMessage() + "); regenerate it again once " + file + " can be written", e);
            }
            // The command that asked prints the outcome; a log line would say it twice.
            LOG.debug("Rolled the {} key of the issuer {} in {}", slot.id(), ISSUER, data);
            return after;
        }
    }

    // Plumbing

    private static List<StoredKeyHash> hashesOf(List<StoredKeyHash> all, String issuer) {
        return all.stream().filter(stored -> stored.issuer().equals(issuer)).toList();
    }

    private static boolean holds(List<StoredKeyHash> stored, Slot slot, String key) {
        String hash = hex(key);
        return stored.stream().anyMatch(s -> s.slot().equals(slot.id()) && s.hash().equals(hash));
    }

    private static StoredKeyHash stored(Slot slot, String key, long nowMs) {
        return new StoredKeyHash(ISSUER, slot.id(), hex(key), nowMs);
    }

    /** A new key: 256 random bits, URL-safe base64 without padding (43 characters). */
    static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The hash of {@code key} as the database keeps it: 64 lowercase hex digits. */
    static String hex(String key) {
        return HEX.formatHex(sha256(key));
    }

    private static byte[] json(Keys keys) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("issuer", keys.issuer());
        fields.put("primary", keys.primary());
        fields.put("secondary", keys.secondary());
        try {
            return (JSON.writeValueAsString(fields) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Three strings always make JSON", e);
        }
    }

    /**
     * The keys in {@code file} for a roll of one of them: none known when the file is missing or
     * cannot be read, since the roll writes it again anyway.
     */
    private static Keys readIfUsable(Path file) {
        if (!Files.exists(file)) {
            return new Keys(ISSUER, null, null);
        }
        try {
            return readFile(file, ROLL_BOTH);
        } catch (HostAccessException e) {
            LOG.warn("{} cannot be read, so it is written again with the new key only: {}", file, e.getMessage());
            return new Keys(ISSUER, null, null);
        }
    }

    /** The way out of a keys.json the host wrote that cannot be read. */
    private static final String ROLL_BOTH = "Roll both keys (sluice keys regenerate --primary, then --secondary) to write it again.";

    private static Keys readFile(Path file, String wayOut) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            // Only where: the parser's own message quotes what it found, which may be part of a key.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new HostAccessException("The file " + file + " is not valid JSON" + where + ". " + wayOut);
        } catch (IOException e) {
            throw new HostAccessException("Cannot read the management keys in " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("issuer").isTextual()) {
            throw new HostAccessException("The file " + file + " is not the host's keys: it needs {\"issuer\":…,\"primary\":…,\"secondary\":…}. "
                    + wayOut);
        }
        return new Keys(root.get("issuer").asText(), text(root, Slot.PRIMARY), text(root, Slot.SECONDARY));
    }

    private static String text(JsonNode root, Slot slot) {
        JsonNode value = root.path(slot.id());
        return value.isTextual() ? value.asText() : null;
    }
}
