package org.sluice.fleet;

import org.sluice.throttle.ThrottleEpisode;

/** A throttle episode of one role instance of a service. */
public record EpisodeRecord(String service, int instance, ThrottleEpisode episode) {
}
