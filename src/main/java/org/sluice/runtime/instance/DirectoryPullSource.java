package org.sluice.runtime.instance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of message files. A file is claimed by moving it atomically into this instance's own
 * claim folder, so of several instances polling the same inbox exactly one wins each file. Hidden
 * files (a leading dot), temporary files ({@code .tmp}, {@code .part}, a trailing {@code ~}) and
 * folders, among them {@code error}, are left alone.
 *
 * <p>A processed file is deleted; a failed one goes to {@code <inbox>/error/} with its reason in
 * {@code <name>.reason.txt} beside it. So does, unread, anything that is not a regular file (a
 * symbolic link is never followed: it could point the source at any file this user may read) and
 * a file over the message limit, which would not fit the instance's heap; the files behind it are
 * still taken.
 */
public final class DirectoryPullSource implements PullSource {
    /** The folder of failed files, inside the inbox. */
    public static final String ERROR_FOLDER = "error";

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryPullSource.class);
    private static final int LISTING_BATCH = 64;

    private final Path inbox;
    private final Path claimed;
    private final Path errors;

    /**
     * @param inbox   the folder polled
     * @param claimed this instance's own claim folder, on the same file system as the inbox
     *                (files are moved, not copied); created if missing
     */
    public DirectoryPullSource(Path inbox, Path claimed) throws IOException {
        this.inbox = OwnerOnly.createDirectories(inbox);
        this.claimed = OwnerOnly.createDirectories(claimed);
        this.errors = inbox.resolve(ERROR_FOLDER);
    }

    /** The claim folder for instance {@code index} of {@code service}: hidden inside the inbox. */
    public static Path claimFolder(Path inbox, String service, int index) {
        return inbox.resolve(".claimed").resolve(service + "-" + index);
    }

    /**
     * Returns files left in the claim folder by an instance that ended before finishing them to
     * the inbox, so they are processed again.
     */
    public void returnLeftovers() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(claimed)) {
            for (Path file : files) {
                if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.info("returning {} to the inbox: it was claimed but not finished", file.getFileName());
                    Files.move(file, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    @Override
    public Optional<Claimed> claimNext() throws IOException {
        // When other instances win every file of one listing, list again: the inbox may hold more.
        List<Path> candidates;
        while (!(candidates = candidates()).isEmpty()) {
            for (Path file : candidates) {
                Path target = claimed.resolve(file.getFileName());
                try {
                    // The move takes a link itself, never what it points to.
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException e) {
                    LOG.debug("{} was claimed by another instance", file.getFileName());
                    continue;
                }
                ClaimedFile taken = new ClaimedFile(target);
                Optional<String> refused = refusal(target);
                if (refused.isEmpty()) {
                    return Optional.of(taken);
                }
                LOG.warn("{} moved to {}: {}", file.getFileName(), ERROR_FOLDER, refused.get());
                taken.failed(refused.get());
            }
        }
        return Optional.empty();
    }

    private List<Path> candidates() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(inbox, DirectoryPullSource::isMessageFile)) {
            for (Path file : listing) {
                files.add(file);
                if (files.size() == LISTING_BATCH) {
                    break;
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** Anything but a folder, hidden or temporary file: what is not a message file is refused once claimed. */
    private static boolean isMessageFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && !name.endsWith(".tmp") && !name.endsWith(".part") && !name.endsWith("~")
                && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** Why a claimed file is not taken, read from its own attributes (a link's, not its target's). */
    private static Optional<String> refusal(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            return Optional.of("not taken: a symbolic link; links in an inbox are never followed. Put the file itself in the inbox");
        }
        if (!attributes.isRegularFile()) {
            return Optional.of("not taken: not a regular file (a pipe, socket or device); only files are messages");
        }
        if (attributes.size() > MessageHandler.MAX_MESSAGE_BYTES) {
            return Optional.of("not taken: " + attributes.size() + " bytes, over the limit of " + MessageHandler.MAX_MESSAGE_BYTES
                    + " bytes (4 MiB) a message may have");
        }
        return Optional.empty();
    }

    private final class ClaimedFile implements Claimed {
        private final Path file;

        ClaimedFile(Path file) {
            this.file = file;
        }

        @Override
        public String name() {
            return file.getFileName().toString();
        }

        @Override
        public byte[] content() throws IOException {
            return Files.readAllBytes(file);
        }

        @Override
        public void done() throws IOException {
            Files.delete(file);
        }

        @Override
        public void failed(String reason) throws IOException {
            OwnerOnly.createDirectories(errors);
            Path target = unusedName(name());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            OwnerOnly.write(errors.resolve(target.getFileName() + ".reason.txt"), (reason + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void release() throws IOException {
            Files.move(file, inbox.resolve(name()), StandardCopyOption.ATOMIC_MOVE);
        }

        private Path unusedName(String name) throws IOException {
            Path target = errors.resolve(name);
            for (int n = 1; Files.exists(target); n++) {
                target = errors.resolve(name + "." + n);
                if (n > 10_000) {
                    throw new FileAlreadyExistsException(target.toString());
                }
            }
            return target;
        }
    }
}
