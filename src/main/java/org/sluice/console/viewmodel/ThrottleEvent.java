package org.sluice.console.viewmodel;

/**
 * A line of the dashboard's events list: an instance became throttled, or normal again.
 *
 * @param timeMs      when
 * @param instanceKey which instance, e.g. {@code orders#1}
 * @param entered     true when it became throttled
 * @param text        what happened, in the user's language
 */
public record ThrottleEvent(long timeMs, String instanceKey, boolean entered, String text) {
}
