package org.sluice.throttle;

/** A throttle episode of one role instance of a service. */
public record InstanceEpisode(String service, int instance, ThrottleEpisode episode) {
}
