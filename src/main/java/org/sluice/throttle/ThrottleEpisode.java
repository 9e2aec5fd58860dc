package org.sluice.throttle;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A period during which an instance was throttled.
 *
 * @param startMs when the instance became Throttled
 * @param endMs   when it became Normal again; empty while the episode is still open
 * @param causes  every criterion that throttled during the episode
 */
public record ThrottleEpisode(long startMs, OptionalLong endMs, Set<Cause> causes) {
    public ThrottleEpisode {
        Objects.requireNonNull(endMs, "endMs");
        if (endMs.isPresent() && endMs.getAsLong() < startMs) {
            throw new IllegalArgumentException("an episode cannot end before it starts");
        }
        if (causes.isEmpty()) {
            throw new IllegalArgumentException("an episode has at least one cause");
        }
        causes = Collections.unmodifiableSet(EnumSet.copyOf(causes));
    }

    public boolean isOpen() {
        return endMs.isEmpty();
    }

    /** The episode's length; empty while it is open. */
    public OptionalLong durationMs() {
        return endMs.isPresent() ? OptionalLong.of(endMs.getAsLong() - startMs) : OptionalLong.empty();
    }

    /** The episode's length up to {@code nowMs} if it is still open, its full length otherwise. */
    public long durationMs(long nowMs) {
        return Math.max(0, endMs.orElse(nowMs) - startMs);
    }
}
