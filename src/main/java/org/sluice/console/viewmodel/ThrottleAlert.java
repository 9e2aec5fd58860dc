package org.sluice.console.viewmodel;

/**
 * What the notification over the console's window says: an instance became throttled, or keeps
 * changing between Normal and Throttled. A flapping instance has one alert whose text counts on:
 * each new count comes with the same {@code id}, so the view changes the notification on screen
 * instead of raising another.
 *
 * @param id          the same for every count of one flapping run; new for anything else
 * @param instanceKey which instance, e.g. {@code orders#1}
 * @param flapping    true for a flapping instance's alert
 * @param title       the notification's title, in the user's language
 * @param text        what happened, in the user's language
 * @param words       what happened, to be said again in the language the console switches to
 */
public record ThrottleAlert(long id, String instanceKey, boolean flapping, String title, String text, Phrase words) {
}
