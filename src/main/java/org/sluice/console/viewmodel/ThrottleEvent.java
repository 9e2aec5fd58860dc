package org.sluice.console.viewmodel;

/**
 * A line of the dashboard's events list: an instance became throttled, or normal again. It keeps
 * its words, not a finished text, so that the list says it in the language of when it is shown.
 *
 * @param timeMs      when
 * @param instanceKey which instance, e.g. {@code orders#1}
 * @param entered     true when it became throttled
 * @param words       what happened, said with {@link I18n#say}
 */
public record ThrottleEvent(long timeMs, String instanceKey, boolean entered, Phrase words) {
}
