package org.sluice.runtime.store;

import java.util.Objects;

import org.sluice.throttle.ThrottleEpisode;

/**
 * A throttle episode of one role instance, as stored.
 *
 * @param service       the service the instance belongs to
 * @param instanceIndex the instance's index within the service, from 0
 * @param episode       the episode
 */
public record EpisodeRecord(String service, int instanceIndex, ThrottleEpisode episode) {
    public EpisodeRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(episode, "episode");
        if (instanceIndex < 0) {
            throw new IllegalArgumentException("instance index must not be negative, was " + instanceIndex);
        }
    }
}
