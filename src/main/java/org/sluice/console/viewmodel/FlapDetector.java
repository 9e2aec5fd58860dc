package org.sluice.console.viewmodel;

/**
 * Tells when a role instance is flapping: changing between Normal and Throttled so often that a
 * notification per change no longer carries news. Times are the console's clock, as each change
 * is applied, so every instance is judged on the same clock whichever host it runs on.
 *
 * <p>An instance is flapping once {@link #CHANGES} changes fall within {@link #WINDOW_MILLIS},
 * and stops flapping once it has kept one state for {@link #SETTLE_MILLIS}. While it flaps the
 * detector counts how often it entered Throttled since the first change of the run, so that one
 * notification can say "throttled 12 times in 40 s".
 *
 * <p>Used on one thread, like the view models that hold it.
 */
public final class FlapDetector {
    /**
     * Changes within {@link #WINDOW_MILLIS} that make an instance flapping: three trips into
     * Throttled and back. Two honest episodes a minute (four changes) still get a notification
     * each; an instance that a slow destination keeps on the edge of its thresholds, as the issue
     * saw every 3-4 s, reaches six within about ten seconds.
     */
    public static final int CHANGES = 6;
    /** The window the changes are counted in: a minute, the tiles' own window. */
    public static final long WINDOW_MILLIS = 60_000;
    /**
     * How long an instance must keep one state for flapping to end: half a minute, several times
     * the period of any flapping worth the name, so a short pause between two bursts does not end
     * it and raise a new flash and notification at the next change.
     */
    public static final long SETTLE_MILLIS = 30_000;

    private final long[] times = new long[CHANGES];
    private final boolean[] entries = new boolean[CHANGES];
    private int head;
    private int size;
    private boolean flapping;
    private long sinceMs;
    private long lastChangeMs;
    private long lastEntryMs;
    private int entered;

    /**
     * Notes a change of state at {@code nowMs}; {@code entersThrottled} says which way it went.
     *
     * @return true when this change makes the instance flapping
     */
    public boolean change(long nowMs, boolean entersThrottled) {
        lastChangeMs = nowMs;
        if (entersThrottled) {
            lastEntryMs = nowMs;
        }
        if (flapping) {
            if (entersThrottled) {
                entered++;
            }
            return false;
        }
        int slot = (head + size) % CHANGES;
        if (size == CHANGES) {
            head = (head + 1) % CHANGES;
        } else {
            size++;
        }
        times[slot] = nowMs;
        entries[slot] = entersThrottled;
        if (size == CHANGES && nowMs - times[head] <= WINDOW_MILLIS) {
            flapping = true;
            sinceMs = times[head];
            entered = 0;
            for (boolean entry : entries) {
                if (entry) {
                    entered++;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Moves the detector on to {@code nowMs}.
     *
     * @return true when the instance has kept its state long enough for flapping to end now
     */
    public boolean settle(long nowMs) {
        if (flapping && nowMs - lastChangeMs >= SETTLE_MILLIS) {
            flapping = false;
            size = 0;
            head = 0;
            return true;
        }
        return false;
    }

    public boolean isFlapping() {
        return flapping;
    }

    /** How many times the instance entered Throttled since the run of changes began; 0 when not flapping. */
    public int timesThrottled() {
        return flapping ? entered : 0;
    }

    /** From the first change of the run to the latest entry into Throttled; 0 when not flapping. */
    public long spanMillis() {
        return flapping ? Math.max(0, lastEntryMs - sinceMs) : 0;
    }
}
