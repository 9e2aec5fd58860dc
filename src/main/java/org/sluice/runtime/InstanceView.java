package org.sluice.runtime;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.lifecycle.InstanceStatus;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;

/** A role instance as the host has it now. */
public record InstanceView(int index, InstanceStatus status, ThrottleState throttle, Set<Cause> causes,
                           OptionalLong throttledSinceMs, Optional<InstanceSample> lastSample) {
}
