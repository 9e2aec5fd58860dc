package org.sluice.runtime.instance;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Delivers each message as {@code <messageId>.msg} in a folder. The file is written under a
 * hidden temporary name and moved into place atomically, so a reader of the folder never sees a
 * half-written message.
 */
public final class DirectoryDestination implements Destination {
    private final Path folder;

    /** Creates the folder if it is missing. */
    public DirectoryDestination(Path folder) throws IOException {
        this.folder = OwnerOnly.createDirectories(folder);
    }

    @Override
    public void deliver(String messageId, byte[] message) throws DeliveryException {
        Path target = folder.resolve(messageId + ".msg");
        Path temp = folder.resolve("." + messageId + ".tmp");
        try {
            OwnerOnly.write(temp, message);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new DeliveryException("the folder " + folder + " cannot replace files atomically", e);
            }
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw new DeliveryException("cannot write " + target + ": " + e, e);
        } catch (DeliveryException e) {
            deleteQuietly(temp, e);
            throw e;
        }
    }

    private static void deleteQuietly(Path temp, Exception reason) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            reason.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "dir:" + folder;
    }
}
