package org.sluice.fleet;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.lifecycle.InstanceStatus;
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
 */
public record InstanceSnapshot(String service, int index, InstanceStatus status, ThrottleState throttle,
                               Set<Cause> causes, OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample) {

    /** A stable key for an instance across the fleet, e.g. {@code orders#1}. */
    public String key() {
        return key(service, index);
    }

    public static String key(String service, int index) {
        return service + "#" + index;
    }
}
