package org.sluice.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.sluice.lifecycle.InstanceLog;
import org.sluice.runtime.instance.OwnerOnly;

/**
 * An instance's logs in its folder: {@value #CURRENT}, which its standard error goes to, and
 * {@value #PREVIOUS}, the run before. Reads are bounded and return whole lines.
 */
public final class InstanceLogFiles {
    static final String CURRENT = "instance.log";
    static final String PREVIOUS = "instance.previous.log";
    /** The number of the run that writes {@value #CURRENT}, counted from 1; each new run adds one. */
    static final String CURRENT_RUN = "instance.run";
    /** The number of the run that wrote {@value #PREVIOUS}. */
    static final String PREVIOUS_RUN = "instance.previous.run";

    private InstanceLogFiles() {
    }

    /**
     * Makes way for a new run: the last run's log, if it has anything, becomes the previous one,
     * and an empty, owner-only log is ready for the process to write to.
     */
    static Path startNewRun(Path work) throws IOException {
        Path current = work.resolve(CURRENT);
        long last = runId(work.resolve(CURRENT_RUN));
        if (Files.exists(current) && Files.size(current) > 0) {
            Path previous = work.resolve(PREVIOUS);
            Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING);
            // A log written before logs were created owner-only keeps the umask's bits otherwise.
            OwnerOnly.restrict(previous);
            if (last != InstanceLog.UNKNOWN_RUN) {
                OwnerOnly.replace(work.resolve(PREVIOUS_RUN), Long.toString(last).getBytes(StandardCharsets.US_ASCII));
            } else {
                Files.deleteIfExists(work.resolve(PREVIOUS_RUN));
            }
        }
        // Numbered before its log is made: a reader that sees the new log sees its number too.
        OwnerOnly.replace(work.resolve(CURRENT_RUN),
                Long.toString(Math.max(last, 0) + 1).getBytes(StandardCharsets.US_ASCII));
        // Created owner-only here: the process would otherwise create it with the umask's bits.
        OwnerOnly.replace(current, new byte[0]);
        return current;
    }

    /**
     * Reads the log of {@code run} in {@code work}.
     *
     * @param offset where to read from; negative for the last {@code maxBytes}
     */
    static InstanceLog read(Path work, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        Path file = work.resolve(run == InstanceLog.Run.CURRENT ? CURRENT : PREVIOUS);
        boolean previousKept = Files.exists(work.resolve(PREVIOUS));
        // Read before the log: a run that begins between the two is then taken for the one before,
        // and the next read sees its number.
        long runId = runId(work.resolve(run == InstanceLog.Run.CURRENT ? CURRENT_RUN : PREVIOUS_RUN));
        if (Files.isSymbolicLink(file)) {
            // The data folder is the host's own; a link in it is not an instance's log to show.
            throw new IOException(file + " is a symbolic link, which the host does not follow; remove it");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            boolean restarted = offset > size;
            long asked = offset < 0 ? 0 : restarted ? 0 : offset;
            long start = Math.max(asked, size - maxBytes);
            boolean skipped = start > asked;
            // One byte before a jump shows whether it landed at a line's start.
            long readFrom = skipped ? start - 1 : start;
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - readFrom));
            while (buffer.hasRemaining() && channel.read(buffer, readFrom + buffer.position()) >= 0) {
                // reads until the buffer is full or the file ends
            }
            return lines(run, buffer.array(), buffer.position(), readFrom, size, skipped, restarted, maxBytes, previousKept, runId);
        } catch (NoSuchFileException none) {
            return InstanceLog.none(run, offset > 0, previousKept);
        }
    }

    /**
     * Reads a log the host holds whole, such as a pod's container log, from {@code offset}
     * (negative for the last {@code maxBytes}), in whole lines as {@link #read} does a file.
     */
    public static InstanceLog read(byte[] log, InstanceLog.Run run, long offset, int maxBytes, boolean previousKept, long runId) {
        long size = log.length;
        boolean restarted = offset > size;
        long asked = offset < 0 ? 0 : restarted ? 0 : offset;
        long start = Math.max(asked, size - maxBytes);
        boolean skipped = start > asked;
        long readFrom = skipped ? start - 1 : start;
        byte[] bytes = java.util.Arrays.copyOfRange(log, (int) readFrom, log.length);
        return lines(run, bytes, bytes.length, readFrom, size, skipped, restarted, maxBytes, previousKept, runId);
    }

    /** The whole lines of {@code length} bytes read from {@code readFrom} of a log of {@code size}. */
    private static InstanceLog lines(InstanceLog.Run run, byte[] bytes, int length, long readFrom, long size, boolean skipped,
                                     boolean restarted, int maxBytes, boolean previousKept, long runId) {
        int begin = 0;
        if (skipped) {
            begin = indexOfNewline(bytes, 0, length) + 1;
            if (begin == 0) {
                begin = 1;
            }
        }
        int end = lastIndexOfNewline(bytes, begin, length) + 1;
        if (end <= begin) {
            // No line ends here: a line longer than a whole read is given as it is, anything less waits.
            end = length - begin >= maxBytes ? length : begin;
        }
        return new InstanceLog(run, readFrom + begin, readFrom + end, size,
                new String(bytes, begin, end - begin, StandardCharsets.UTF_8), skipped, restarted, previousKept, runId);
    }

    /** The run number kept in {@code file}; unknown when there is none (a folder from before runs were counted). */
    private static long runId(Path file) throws IOException {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException none) {
            return InstanceLog.UNKNOWN_RUN;
        } catch (NumberFormatException e) {
            throw new IOException(file + " should hold a run's number and holds something else; remove it, and the next run"
                    + " starts counting again", e);
        }
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfNewline(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
