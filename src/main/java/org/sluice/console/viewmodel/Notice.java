package org.sluice.console.viewmodel;

/**
 * A message for the user, shown where they are looking.
 *
 * @param kind    how it is shown
 * @param service the service it is about, or {@code null}
 * @param phrase  what it says, kept so that it can be said again in another language
 * @param atMs    when it came, epoch milliseconds
 * @param text    the phrase said in the console's language; the notices view model says it again
 *                when the language changes
 */
public record Notice(Kind kind, String service, Phrase phrase, long atMs, String text) {
    public enum Kind { INFO, SUCCESS, ERROR }
}
