package org.sluice.lifecycle;

import java.util.Objects;

/**
 * A stretch of what a role instance wrote to its standard error (its log), in whole lines.
 *
 * <p>The host keeps two logs per instance: the current run's, and the previous run's, which a
 * restart or a relaunch moves aside. A reader follows a log by asking again from {@link #next()}.
 *
 * @param run        which of the two logs this is
 * @param from       where {@code text} begins in the log, in bytes
 * @param next       where to ask from to read on; at most {@link #size()}
 * @param size       the log's length when it was read, in bytes
 * @param text       whole lines, decoded as UTF-8; a line still being written waits for its end
 * @param skipped    true when bytes after the asked offset were passed over, because more was waiting
 *                   than one read returns (at most {@link #MAX_BYTES})
 * @param restarted  true when the log is shorter than the offset asked from: the instance started
 *                   anew, and {@code text} is from the new log's beginning
 * @param previousKept true when the host keeps a previous run's log for this instance
 * @param runId      which run of the instance wrote this log: the host counts an instance's runs, so a
 *                   reader that sees another number knows a new run began even when its log is
 *                   already longer than the offset asked from; {@link #UNKNOWN_RUN} from a host that
 *                   does not count them, whose readers go by {@code restarted} alone
 */
public record InstanceLog(Run run, long from, long next, long size, String text, boolean skipped, boolean restarted,
                          boolean previousKept, long runId) {

    /** The run of a log whose host does not say which run it is. */
    public static final long UNKNOWN_RUN = -1;

    /** The most one read returns, in bytes: a log is followed in steps, never held whole. */
    public static final int MAX_BYTES = 64 * 1024;

    /** Which run's log. */
    public enum Run {
        /** The log of the instance's current, or last, run. */
        CURRENT,
        /** The log of the run before it. */
        PREVIOUS
    }

    public InstanceLog {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(text, "text");
        if (from < 0 || next < from || size < next) {
            throw new IllegalArgumentException("Log offsets out of order: from " + from + ", next " + next + ", size " + size);
        }
    }

    /** A log of a host that does not say which run wrote it. */
    public InstanceLog(Run run, long from, long next, long size, String text, boolean skipped, boolean restarted,
                       boolean previousKept) {
        this(run, from, next, size, text, skipped, restarted, previousKept, UNKNOWN_RUN);
    }

    /**
     * Whether this log, read from {@code offset} after a read of run {@code seenRun}, is of a run
     * begun since: the host says so ({@code restarted}), or both runs are known and differ.
     */
    public boolean newRunSince(long offset, long seenRun) {
        return offset >= 0 && (restarted || (seenRun != UNKNOWN_RUN && runId != UNKNOWN_RUN && runId != seenRun));
    }

    /** The same read, marked as the start of a new run. */
    public InstanceLog startedAgain() {
        return new InstanceLog(run, from, next, size, text, skipped, true, previousKept, runId);
    }

    /** An instance that has written nothing yet, or whose log the host does not have. */
    public static InstanceLog none(Run run, boolean restarted, boolean previousKept) {
        return new InstanceLog(run, 0, 0, 0, "", false, restarted, previousKept);
    }
}
