package org.sluice.throttle;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a throttle episode's cause history: from {@code atMs} on, and until the next step or
 * the episode's end, exactly these criteria throttled the instance.
 *
 * @param atMs   when the set of causes became this one
 * @param causes the criteria throttling from then on; never empty, since an episode lasts only
 *               while some criterion throttles
 */
public record CauseChange(long atMs, Set<Cause> causes) {
    public CauseChange {
        Objects.requireNonNull(causes, "causes");
        if (causes.isEmpty()) {
            throw new IllegalArgumentException("a step of an episode has at least one cause");
        }
        causes = Collections.unmodifiableSet(EnumSet.copyOf(causes));
    }
}
