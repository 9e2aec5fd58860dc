package org.sluice.console.viewmodel;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.StringJoiner;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/**
 * The console's words in one language, from the {@code messages} bundle. The language can be
 * switched in place ({@link #use}): the view models keep this one object, say their texts anew
 * when {@link #localeProperty} changes, and what they say from then on is in the new language.
 * In Korean, a particle written with both its forms after an argument, such as {@code {0}을(를)},
 * is given the form that fits the word before it ({@link Particles}).
 */
public final class I18n {
    public static final String BUNDLE = "org.sluice.console.messages";

    /** A language and its bundle, swapped together. */
    private record Words(Locale locale, ResourceBundle bundle, boolean korean) {
    }

    private volatile Words words;
    private final ReadOnlyObjectWrapper<Locale> localeProperty = new ReadOnlyObjectWrapper<>(this, "locale");

    public I18n(Locale locale) {
        words = load(locale);
        localeProperty.set(locale);
    }

    /**
     * Looks for the language asked for, then the base bundle (English), never the JVM's default
     * locale: the standard control would answer English on a Korean machine with Korean, as there
     * is no {@code messages_en}.
     */
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private static Words load(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        return new Words(locale, ResourceBundle.getBundle(BUNDLE, locale, NO_FALLBACK), "ko".equals(locale.getLanguage()));
    }

    /** Switches to {@code locale}; on the JavaFX thread, as it tells the view models. */
    public void use(Locale locale) {
        words = load(locale);
        localeProperty.set(locale);
    }

    /** The language now; changes when {@link #use} switches it. */
    public ReadOnlyObjectProperty<Locale> localeProperty() {
        return localeProperty.getReadOnlyProperty();
    }

    public Locale locale() {
        return words.locale();
    }

    public ResourceBundle bundle() {
        return words.bundle();
    }

    /** The text of {@code key}, with {@code arguments} filled in. */
    public String get(String key, Object... arguments) {
        Words now = words;
        String pattern = now.bundle().getString(key);
        if (arguments.length == 0) {
            return pattern;
        }
        String text = new MessageFormat(pattern, now.locale()).format(arguments);
        return now.korean() ? Particles.fix(text) : text;
    }

    /** The words of {@code key} with {@code arguments}, to be said later in the language of then ({@link #say}). */
    public Phrase phrase(String key, Object... arguments) {
        return Phrase.of(key, arguments);
    }

    /** {@code phrase} in the language now, its arguments that are phrases or joined words too. */
    public String say(Phrase phrase) {
        if (phrase.key() == null) {
            return String.valueOf(phrase.arguments().get(0));
        }
        Object[] arguments = phrase.arguments().toArray();
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = sayArgument(arguments[i]);
        }
        return get(phrase.key(), arguments);
    }

    private Object sayArgument(Object argument) {
        if (argument instanceof Phrase word) {
            return say(word);
        }
        if (argument instanceof Phrase.ClockTime time) {
            DateTimeFormatter format = time.withDate()
                    ? DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                    : DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT);
            return format.withLocale(locale()).format(Instant.ofEpochMilli(time.epochMs()).atZone(ZoneId.systemDefault()));
        }
        if (argument instanceof Phrase.Joined joined) {
            StringJoiner said = new StringJoiner(joined.separator());
            joined.words().forEach(word -> said.add(String.valueOf(sayArgument(word))));
            return said.toString();
        }
        return argument;
    }

    /** Whether the bundle has {@code key}. */
    public boolean has(String key) {
        try {
            words.bundle().getString(key);
            return true;
        } catch (MissingResourceException e) {
            return false;
        }
    }

    /** A state's label, e.g. "Stopped" or "중지". */
    public String state(ServiceState state) {
        return get(stateKey(state));
    }

    /** A state's label as a phrase, said in the language of when it is shown. */
    public Phrase statePhrase(ServiceState state) {
        return Phrase.of(stateKey(state));
    }

    /** An operation's label as a phrase, said in the language of when it is shown. */
    public Phrase operationPhrase(Operation operation) {
        return Phrase.of(operationKey(operation));
    }

    /** An operation's label, e.g. "Resume" or "계속". */
    public String operation(Operation operation) {
        return get(operationKey(operation));
    }

    private static String stateKey(ServiceState state) {
        return "state." + state.chartName();
    }

    private static String operationKey(Operation operation) {
        return "operation." + operation.chartName();
    }
}
