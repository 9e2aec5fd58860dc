package org.sluice.console.viewmodel;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/** The console's words in one language, from the {@code messages} bundle. */
public final class I18n {
    public static final String BUNDLE = "org.sluice.console.messages";

    private final Locale locale;
    private final ResourceBundle bundle;

    public I18n(Locale locale) {
        this.locale = Objects.requireNonNull(locale, "locale");
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale);
    }

    public Locale locale() {
        return locale;
    }

    public ResourceBundle bundle() {
        return bundle;
    }

    /** The text of {@code key}, with {@code arguments} filled in. */
    public String get(String key, Object... arguments) {
        String pattern = bundle.getString(key);
        if (arguments.length == 0) {
            return pattern;
        }
        return new MessageFormat(pattern, locale).format(arguments);
    }

    /** Whether the bundle has {@code key}. */
    public boolean has(String key) {
        try {
            bundle.getString(key);
            return true;
        } catch (MissingResourceException e) {
            return false;
        }
    }

    /** A state's label, e.g. "Stopped" or "중지". */
    public String state(ServiceState state) {
        return get("state." + state.chartName());
    }

    /** An operation's label, e.g. "Resume" or "계속". */
    public String operation(Operation operation) {
        return get("operation." + operation.chartName());
    }
}
