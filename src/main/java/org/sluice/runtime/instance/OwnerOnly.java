package org.sluice.runtime.instance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files and folders only their owner can read: a data folder holds definitions, the operation log
 * and messages, which other users of the machine have no business reading. Folders are made
 * {@code rwx------} and files {@code rw-------} as they are created, whatever the process's umask.
 * Where the file system has no POSIX permissions (Windows) these calls create and write as usual,
 * and the folder's own access list applies.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private OwnerOnly() {
    }

    /** Creates {@code folder} and its missing parents, each made owner-only; an existing one is left as it is. */
    public static Path createDirectories(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return folder;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.exists(parent)) {
            createDirectories(parent);
        }
        try {
            if (posix(parent)) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                // The umask may have taken bits away at creation; it never adds any.
                Files.setPosixFilePermissions(absolute, FOLDER);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(absolute)) {
                throw raced;
            }
        }
        return folder;
    }

    /** Writes {@code content} to {@code file}, which is owner-only from its creation on. */
    public static void write(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!posix(parent)) {
            Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return;
        }
        // Opened first (a new file is created rw------- or narrower, as the umask has it), made exactly
        // owner-only, and only then written. No check whether it exists: for a new file that check is
        // a thrown NoSuchFileException, which an instance paid for every message it delivered to a folder.
        // A symbolic link at the path is refused, not followed to wherever it points.
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(FILE);
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly)) {
            Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(FILE);
            ByteBuffer rest = ByteBuffer.wrap(content);
            while (rest.hasRemaining()) {
                channel.write(rest);
            }
        }
    }

    /**
     * Replaces {@code file} with {@code content} in one step: a reader, or a crash, finds the old
     * content or the new one, never a part of either. Same as {@link #writeBeside} then
     * {@link #moveInto}.
     */
    public static void replace(Path file, byte[] content) throws IOException {
        moveInto(writeBeside(file, content), file);
    }

    /**
     * Writes {@code content} to a new owner-only file in {@code file}'s folder, under a hidden name
     * of its own, and forces it to the disk; {@link #moveInto} then puts it in {@code file}'s place.
     * Writing first lets a caller do what must go with the new content (a database write) between
     * the two, and drop the written file if that fails.
     *
     * @return the written file
     */
    public static Path writeBeside(Path file, byte[] content) throws IOException {
        // A name of its own, so that two processes replacing the same file do not write into one.
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Path temp = file.resolveSibling("." + file.getFileName() + "." + suffix + ".tmp");
        try {
            write(temp, content);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        return temp;
    }

    /**
     * Moves {@code written}, from {@link #writeBeside}, over {@code file}: atomically where the file
     * system can, which every local one the host runs on can. The written file is deleted if the
     * move fails.
     */
    public static void moveInto(Path written, Path file) throws IOException {
        try {
            try {
                Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(written, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(written, e);
            throw e;
        }
    }

    private static void deleteQuietly(Path file, IOException reason) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            reason.addSuppressed(e);
        }
    }

    /** Makes an existing file owner-only. */
    public static void restrict(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && posix(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /**
     * Checks a folder the host is about to use: one that other users can write is refused (they
     * could replace the database or plant files for the instances); one they can only read is made
     * owner-only.
     *
     * @throws IOException naming the folder, its permissions and the command that fixes them
     */
    public static void check(Path folder) throws IOException {
        if (!posix(folder)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
        if (permissions.stream().anyMatch(OTHERS_WRITE::contains)) {
            throw new IOException("The data folder " + folder + " can be written by other users ("
                    + PosixFilePermissions.toString(permissions) + "); make it yours alone with: chmod 700 " + folder);
        }
        if (!permissions.equals(FOLDER)) {
            Files.setPosixFilePermissions(folder, FOLDER);
        }
    }

    private static boolean posix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
