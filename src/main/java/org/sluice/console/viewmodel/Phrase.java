package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Words kept to be said later, in whatever language the console speaks then: a message key and
 * its arguments ({@link I18n#say}). An argument that is itself a phrase (an operation's or a
 * state's name) is said in that language too; other arguments (names, numbers, a host's own
 * reason) are given as they are. A phrase without a key is a text said as it is. A list of words
 * is an argument too ({@link Joined}): each said in that language, with a separator between. A
 * time of day is an argument ({@link ClockTime}) said in that language's own clock.
 *
 * @param key       the message key, or {@code null} for a text said as it is
 * @param arguments the key's arguments, or the text alone
 */
public record Phrase(String key, List<Object> arguments) {
    public Phrase {
        // Arguments may be null (a failure without a message); List.copyOf would refuse them.
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** The phrase of {@code key} with {@code arguments}. */
    public static Phrase of(String key, Object... arguments) {
        return new Phrase(java.util.Objects.requireNonNull(key, "key"), java.util.Arrays.asList(arguments));
    }

    /** A text that is said as it is, in every language (e.g. a reason a host gave). */
    public static Phrase text(String text) {
        return new Phrase(null, java.util.Arrays.asList(text));
    }

    /** Words said one after the other with {@code separator} between, as one argument of a phrase. */
    public static Joined joined(String separator, List<?> words) {
        return new Joined(separator, words);
    }

    /**
     * Words said one after the other with a separator between, such as "Memory + Messages in
     * process": an argument of a phrase, its words phrases (said in the language of then) or given
     * as they are.
     */
    public record Joined(String separator, List<?> words) {
        public Joined {
            words = List.copyOf(words);
        }
    }

    /** A time of day, said in the clock of the language of then: "2:02 PM", "오후 2:02". */
    public static ClockTime time(long epochMs) {
        return new ClockTime(epochMs, false);
    }

    /** A time of another day, said with its date in the way of the language of then: "Dec 2, 2026, 7:49 PM". */
    public static ClockTime dateTime(long epochMs) {
        return new ClockTime(epochMs, true);
    }

    /**
     * A moment as an argument of a phrase, said in the language of then in the system's time
     * zone: the locale's short time, with its medium date before it when {@code withDate}.
     */
    public record ClockTime(long epochMs, boolean withDate) {
    }
}
