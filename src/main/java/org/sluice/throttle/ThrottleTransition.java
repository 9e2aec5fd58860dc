package org.sluice.throttle;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A change of an instance's throttle state or of the set of criteria throttling it.
 *
 * @param timeMs       the time of the sample that caused the change
 * @param previous     the state before the change
 * @param state        the state from then on
 * @param causes       the criteria throttling from then on; empty when Normal
 * @param endedEpisode the episode this change closed, when the instance became Normal again
 */
public record ThrottleTransition(long timeMs, ThrottleState previous, ThrottleState state, Set<Cause> causes,
                                 Optional<ThrottleEpisode> endedEpisode) {
    public ThrottleTransition {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(endedEpisode, "endedEpisode");
        causes = causes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(causes));
        if ((state == ThrottleState.THROTTLED) == causes.isEmpty()) {
            throw new IllegalArgumentException("a throttled instance has causes and a normal one has none");
        }
    }

    /** True when the instance was Normal and is now Throttled: the moment a console flashes. */
    public boolean entersThrottled() {
        return previous == ThrottleState.NORMAL && state == ThrottleState.THROTTLED;
    }
}
