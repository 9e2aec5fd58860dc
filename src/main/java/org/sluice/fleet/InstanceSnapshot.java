package org.sluice.fleet;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;

/**
 * A role instance as it is now.
 *
 * @param service          its service
 * @param index            its number within the service, from 0
 * @param status           whether its process is up
 * @param throttle         Normal or Throttled
 * @param causes           what throttles it; empty when Normal
 * @param throttledSinceMs when the current episode began
 * @param lastSample       its most recent measurement
 * @param crashesInARow    while Restarting or left down, the crashes in a row that made it so; after a
 *                         host restart, the tries in a row to start it again
 * @param restartCause     what {@code crashesInARow} counts: crashes, or tries after a host restart
 */
public record InstanceSnapshot(String service, int index, InstanceStatus status, ThrottleState throttle,
                               Set<Cause> causes, OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample,
                               int crashesInARow, RestartCause restartCause) {

    public InstanceSnapshot {
        java.util.Objects.requireNonNull(restartCause, "restartCause");
    }

    /** An instance whose crashes in a row, if any, are its own. */
    public InstanceSnapshot(String service, int index, InstanceStatus status, ThrottleState throttle,
                            Set<Cause> causes, OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample,
                            int crashesInARow) {
        this(service, index, status, throttle, causes, throttledSinceMs, lastSample, crashesInARow, RestartCause.CRASH);
    }

    /** An instance that has not crashed. */
    public InstanceSnapshot(String service, int index, InstanceStatus status, ThrottleState throttle,
                            Set<Cause> causes, OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample) {
        this(service, index, status, throttle, causes, throttledSinceMs, lastSample, 0);
    }

    /** A stable key for an instance across the fleet, e.g. {@code orders#1}. */
    public String key() {
        return key(service, index);
    }

    public static String key(String service, int index) {
        return service + "#" + index;
    }
}
