package org.sluice.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

import org.sluice.runtime.instance.OwnerOnly;

/**
 * Makes a data folder one host's: an operating-system lock on {@code DATA/host.lock}, held for as
 * long as the host runs, with the holder's process id in the file. A second host on the same
 * folder would start a second set of role instances that claim each other's inbox files and
 * write over each other's logs; it is refused instead. The lock goes with the process, so a
 * host that was killed leaves no lock behind.
 */
public final class DataFolderLock implements AutoCloseable {
    /** The lock file's name in the data folder. */
    public static final String FILE_NAME = "host.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data folder for this process.
     *
     * @throws DataFolderInUseException when another process holds it
     */
    public static DataFolderLock acquire(Path data) throws IOException {
        OwnerOnly.createDirectories(data);
        Path file = data.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            OwnerOnly.write(file, new byte[0]);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                throw new DataFolderInUseException(data, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataFolderLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static OptionalLong holder(FileChannel channel) {
        try {
            ByteBuffer text = ByteBuffer.allocate(32);
            channel.read(text, 0);
            String pid = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid));
        } catch (IOException | NumberFormatException unreadable) {
            // Where locks are mandatory the holder's file cannot be read; the folder is still in use.
            return OptionalLong.empty();
        }
    }

    /** Lets the folder go; the file stays, its lock does not. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The lock ends with the channel, and the channel with the process at the latest.
        }
    }
}
