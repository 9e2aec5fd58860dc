package org.sluice.fleet.traffic;

/**
 * What open-ended test traffic has done so far. Every message that came due is exactly one of
 * the other five, so {@code due == ok + busy + other + dropped + inFlight} at every moment, and
 * once the last answer is in, {@code due == ok + busy + other + dropped}.
 *
 * @param due      messages whose time to be sent has come
 * @param ok       answered 2xx
 * @param busy     answered 503: the service or its instance was busy (throttled)
 * @param other    answered with another status, or not answered at all
 * @param dropped  not sent, because as many requests as allowed were already waiting for answers
 * @param inFlight sent and not answered yet
 */
public record TrafficCounts(long due, long ok, long busy, long other, long dropped, long inFlight) {

    /** Whether the counts add up, as they always should. */
    public boolean addsUp() {
        return due == ok + busy + other + dropped + inFlight;
    }
}
