package org.sluice.runtime;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;

/**
 * A role instance as the host has it now.
 *
 * @param crashesInARow the crashes in a row of the processes of this instance that led here: while
 *                      it is Restarting or left down (Failed), those that made it so; 0 for an
 *                      instance that never crashed or stayed up long enough since; after a host
 *                      restart, the tries in a row to start it again
 * @param restartCause  what {@code crashesInARow} counts: crashes, or tries after a host restart
 */
public record InstanceView(int index, InstanceStatus status, ThrottleState throttle, Set<Cause> causes,
                           OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample, int crashesInARow,
                           RestartCause restartCause) {
    public InstanceView {
        java.util.Objects.requireNonNull(restartCause, "restartCause");
    }

    /** An instance whose crashes in a row, if any, are its own. */
    public InstanceView(int index, InstanceStatus status, ThrottleState throttle, Set<Cause> causes,
                        OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample, int crashesInARow) {
        this(index, status, throttle, causes, throttledSinceMs, lastSample, crashesInARow, RestartCause.CRASH);
    }
}
