package org.sluice.console.viewmodel;

/**
 * A message for the user, shown where they are looking.
 *
 * @param kind    how it is shown
 * @param service the service it is about, or {@code null}
 * @param text    the text, in the user's language
 */
public record Notice(Kind kind, String service, String text) {
    public enum Kind { INFO, SUCCESS, ERROR }
}
