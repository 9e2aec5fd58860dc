package org.sluice.fleet.bundle;

import java.time.Instant;

/**
 * An incident bundle was asked for a throttle episode the fleet does not have: none of the
 * service's instance started one at that time.
 *
 * @see IncidentBundle#findEpisode
 */
public final class UnknownEpisodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String service;
    private final int instance;
    private final long startMs;

    public UnknownEpisodeException(String service, int instance, long startMs) {
        super("Instance " + instance + " of " + service + " has no throttle episode that started at " + Instant.ofEpochMilli(startMs)
                + "; list the service's episodes to see when each one started");
        this.service = service;
        this.instance = instance;
        this.startMs = startMs;
    }

    public String service() {
        return service;
    }

    public int instance() {
        return instance;
    }

    /** When the episode asked for was to have started, in epoch milliseconds. */
    public long startMs() {
        return startMs;
    }
}
