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
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.sluice.console.viewmodel.ConnectionStore;
import org.sluice.console.viewmodel.RememberedConnection;

/**
 * The console's connections to remote hosts, kept as JSON in one file that only its owner can read
 * or write ({@code rw-------}, in a folder that is {@code rwx------}): it may hold issuer keys.
 * The file is written whole to a temporary file beside it and moved into place, so a crash leaves
 * the old list or the new one. See {@code docs/decisions/0016-remembered-connections.md}.
 *
 * <pre>{"version":1,"connections":[{"name":"branch","address":"https://10.0.0.5:7071","issuer":"owner",
 *   "fingerprint":"AB:CD:…","key":"…"}]}</pre>
 * A connection whose key was not to be remembered has no {@code key}.
 */
final class ConnectionsFile implements ConnectionStore {
    static final String FILE_NAME = "connections.json";
    private static final int VERSION = 1;
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Supplier<Optional<SecretStore>> keychain;

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
    public List<RememberedConnection> load() throws IOException {
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
        List<RememberedConnection> connections = new ArrayList<>();
        for (JsonNode node : root.path("connections")) {
            String name = text(node, "name");
            try {
                connections.add(new RememberedConnection(name, new URI(text(node, "address")), text(node, "issuer"),
                        text(node, "fingerprint"), node.hasNonNull("key") ? Optional.of(node.get("key").asText()) : Optional.empty()));
            } catch (java.net.URISyntaxException e) {
                throw new IOException(file + ": the address of " + name + " is not an address: " + e.getMessage(), e);
            }
        }
        return List.copyOf(connections);
    }

    private String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException(file + ": a connection has no " + field);
        }
        return value.asText();
    }

    @Override
    public void save(List<RememberedConnection> connections) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("version", VERSION);
        ArrayNode list = root.putArray("connections");
        for (RememberedConnection connection : connections) {
            ObjectNode node = list.addObject()
                    .put("name", connection.name())
                    .put("address", connection.address().toString())
                    .put("issuer", connection.issuer())
                    .put("fingerprint", connection.fingerprint());
            connection.key().ifPresent(key -> node.put("key", key));
        }
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
