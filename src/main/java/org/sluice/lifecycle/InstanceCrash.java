package org.sluice.lifecycle;

import java.util.OptionalInt;

/**
 * What the operation log keeps of a role instance that exited without being asked to, on the
 * entries the host writes for it ({@link Operation#INSTANCE_RESTART}, {@link Operation#INSTANCE_LEFT_DOWN}).
 *
 * @param instance      the instance's index in its service
 * @param exitStatus    its process's exit status; a negative one means it could not be started at all
 * @param crashesInARow its crashes in a row, this one included (from 1); after a host restart, the
 *                      tries in a row to start it again
 * @param cause         a crash of its own, or a try to start it again after the host restarted
 */
public record InstanceCrash(int instance, int exitStatus, int crashesInARow, RestartCause cause) {
    /** Exit statuses above this, up to {@code 128 + 64}, are how a process killed by a signal is reported. */
    private static final int SIGNAL_BASE = 128;
    private static final int HIGHEST_SIGNAL = 64;

    public InstanceCrash {
        if (instance < 0) {
            throw new IllegalArgumentException("instance index must not be negative, was " + instance);
        }
        if (crashesInARow < 1) {
            throw new IllegalArgumentException("a crash counts itself, so crashes in a row start at 1, was " + crashesInARow);
        }
        java.util.Objects.requireNonNull(cause, "cause");
    }

    /** A crash of the instance's own. */
    public InstanceCrash(int instance, int exitStatus, int crashesInARow) {
        this(instance, exitStatus, crashesInARow, RestartCause.CRASH);
    }

    /**
     * The signal that ended the process, read from its exit status as the shell and the JDK report
     * one (128 + the signal's number: 137 is signal 9, a kill); empty for an ordinary exit.
     */
    public OptionalInt signal() {
        return exitStatus > SIGNAL_BASE && exitStatus <= SIGNAL_BASE + HIGHEST_SIGNAL
                ? OptionalInt.of(exitStatus - SIGNAL_BASE) : OptionalInt.empty();
    }

    /** True when the process never got going: the host could not start it. */
    public boolean notStarted() {
        return exitStatus < 0;
    }
}
