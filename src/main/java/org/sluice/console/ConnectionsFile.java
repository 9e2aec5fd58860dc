package org.sluice.console;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sluice.console.viewmodel.ConnectionStore;
import org.sluice.console.viewmodel.KeyPlace;
import org.sluice.console.viewmodel.RememberedConnection;

/**
 * The console's connections to remote hosts, kept as JSON in one file that only its owner can read
 * or write ({@code rw-------}, in a folder that is {@code rwx------}): it may hold issuer keys.
 * The file is written whole to a temporary file beside it and moved into place, so a crash leaves
 * the old list or the new one. See {@code docs/decisions/0016-remembered-connections.md}.
 *
 * <pre>{"version":1,"connections":[{"name":"branch","address":"https://10.0.0.5:7071","issuer":"owner",
 *   "fingerprint":"AB:CD:…","key":"…"}]}</pre>
 * A connection whose key was not to be remembered has no {@code key}. Where the platform's keychain
 * answered as the console started ({@link KeychainProbe}), a remembered key goes there, under the
 * connection's name, and {@code key} is {@value #KEYCHAIN_MARKER}; a connection no longer kept, or
 * kept without its key, has its keychain entry deleted
 * ({@code docs/decisions/0051-keys-in-the-os-keychain.md}). A key an older console wrote into the
 * file is read as it is and moves to the keychain at the next save.
 */
final class ConnectionsFile implements ConnectionStore {
    static final String FILE_NAME = "connections.json";
    private static final int VERSION = 1;
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** Where the key was, when the keychain keeps it. A key the host makes is base64 and has no colon. */
    static final String KEYCHAIN_MARKER = "keychain:";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsFile.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Supplier<Optional<SecretStore>> keychain;
    /** The keys this run put in the keychain or read from it, by connection: each is put again only when it changed. */
    private final Map<String, String> put = new ConcurrentHashMap<>();

    /** The file {@code connections.json} in {@code folder}, which is made when first written; keys go in it. */
    ConnectionsFile(Path folder) {
        this(folder, Optional::empty);
    }

    ConnectionsFile(Path folder, Supplier<Optional<SecretStore>> keychain) {
        this.file = folder.resolve(FILE_NAME);
        this.keychain = keychain;
    }

    Path file() {
        return file;
    }

    @Override
    public KeyPlace keyPlace() {
        return keychain.get().map(SecretStore::place).orElse(KeyPlace.FILE);
    }

    @Override
    public List<RememberedConnection> load() throws IOException {
        List<RememberedConnection> connections = new ArrayList<>();
        for (Stored stored : read()) {
            RememberedConnection connection = stored.connection();
            if (stored.inKeychain()) {
                connection = fromKeychain(connection);
            }
            connections.add(connection);
        }
        return List.copyOf(connections);
    }

    /** The connection with the key the keychain keeps for it, or without one, saying why. */
    private RememberedConnection fromKeychain(RememberedConnection connection) {
        Optional<SecretStore> store = keychain.get();
        if (store.isEmpty()) {
            return connection.keyNotGiven("no keychain answered as the console started");
        }
        try {
            String key = store.get().get(connection.name());
            put.put(connection.name(), key);
            return connection.withKey(Optional.of(key));
        } catch (IOException | RuntimeException e) {
            LOG.warn("The keychain did not give the key of {}: {}", connection.name(), e.toString());
            return connection.keyNotGiven(String.valueOf(e.getMessage()));
        }
    }

    /** A connection as the file has it; a key kept in the keychain is not in it. */
    private record Stored(RememberedConnection connection, boolean inKeychain) {
    }

    private List<Stored> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.path("version").asInt() != VERSION || !root.path("connections").isArray()) {
            throw new IOException(file + " is not a list of connections of version " + VERSION);
        }
        List<Stored> connections = new ArrayList<>();
        for (JsonNode node : root.path("connections")) {
            String name = text(node, "name");
            Optional<String> key = node.hasNonNull("key") ? Optional.of(node.get("key").asText()) : Optional.empty();
            boolean inKeychain = key.filter(KEYCHAIN_MARKER::equals).isPresent();
            try {
                connections.add(new Stored(new RememberedConnection(name, new URI(text(node, "address")), text(node, "issuer"),
                        text(node, "fingerprint"), inKeychain ? Optional.empty() : key), inKeychain));
            } catch (java.net.URISyntaxException e) {
                throw new IOException(file + ": the address of " + name + " is not an address: " + e.getMessage(), e);
            }
        }
        return connections;
    }

    private String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException(file + ": a connection has no " + field);
        }
        return value.asText();
    }

    /**
     * Writes the file; with a keychain, first puts each key to be remembered there and writes the
     * marker in its place. A key the keychain did not take is left out of the file (the connection
     * is kept) and said in the exception thrown once the file is written; so is an entry of a
     * connection, or a key, no longer kept that the keychain would not delete.
     */
    @Override
    public void save(List<RememberedConnection> connections) throws IOException {
        Optional<SecretStore> store = keychain.get();
        List<String> problems = new ArrayList<>();
        Set<String> inKeychain = new HashSet<>();
        ObjectNode root = JSON.createObjectNode().put("version", VERSION);
        ArrayNode list = root.putArray("connections");
        for (RememberedConnection connection : connections) {
            ObjectNode node = list.addObject()
                    .put("name", connection.name())
                    .put("address", connection.address().toString())
                    .put("issuer", connection.issuer())
                    .put("fingerprint", connection.fingerprint());
            if (connection.keyNotGiven().isPresent()) {
                // The keychain keeps it still; it may give it at the next start.
                node.put("key", KEYCHAIN_MARKER);
                inKeychain.add(connection.name());
            } else if (connection.key().isPresent() && store.isPresent()) {
                try {
                    put(store.get(), connection.name(), connection.key().get());
                    node.put("key", KEYCHAIN_MARKER);
                    inKeychain.add(connection.name());
                } catch (IOException | RuntimeException e) {
                    problems.add("the keychain did not take the key of " + connection.name() + " (" + e.getMessage() + ")");
                }
            } else {
                connection.key().ifPresent(key -> node.put("key", key));
            }
        }
        List<String> forget = wasInKeychain();
        forget.removeAll(inKeychain);
        write(root);
        for (String name : forget) {
            put.remove(name);
            if (store.isEmpty()) {
                LOG.warn("No keychain answers: the key of {} stays in it until it is deleted there", name);
                continue;
            }
            try {
                store.get().delete(name);
            } catch (IOException | RuntimeException e) {
                problems.add("the keychain did not delete the key of " + name + " (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
    }

    /** Puts a key in the keychain unless this run put that very key already. */
    private void put(SecretStore store, String name, String key) throws IOException {
        if (!key.equals(put.get(name))) {
            store.put(name, key);
            put.put(name, key);
        }
    }

    /** The connections whose key the file, as it is now, says the keychain keeps; none when it cannot be read. */
    private List<String> wasInKeychain() {
        try {
            return new ArrayList<>(read().stream().filter(Stored::inKeychain).map(s -> s.connection().name()).toList());
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    private void write(ObjectNode root) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        ownerOnlyFolder(folder);
        Path temp = Files.createTempFile(folder, "." + FILE_NAME, ".tmp");
        try {
            // A temporary file is made rw------- already; said again for file systems that differ.
            ownerOnly(temp, FILE);
            Files.write(temp, JSON.writeValueAsBytes(root), StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the folder and its missing parents; the folder itself, new or not, is made owner-only. */
    private static void ownerOnlyFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            try {
                Files.createDirectories(folder);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            }
        }
        ownerOnly(folder, FOLDER);
    }

    /** Where the file system has POSIX permissions; elsewhere (Windows) the user's profile folder guards it. */
    private static void ownerOnly(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")
                && !Files.isSymbolicLink(path) && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }
}
