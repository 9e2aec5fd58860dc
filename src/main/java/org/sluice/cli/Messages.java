package org.sluice.cli;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The command line's own words, from the {@code messages} bundle in the user's language. */
final class Messages {
    static final String BUNDLE = "org.sluice.cli.messages";

    private Messages() {
    }

    /**
     * The text of {@code key} with {@code arguments} filled in, in the default locale. Numbers are
     * shown as written (line 1234, not line 1,234), since they are line numbers and values read.
     */
    static String get(String key, Object... arguments) {
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, Locale.getDefault());
        Object[] shown = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            shown[i] = arguments[i] instanceof Number ? arguments[i].toString() : arguments[i];
        }
        return new MessageFormat(bundle.getString(key), Locale.getDefault()).format(shown);
    }

    /**
     * Why {@code file} could not be read, in words: the JDK's own message for a missing file is
     * only its path, and for a folder the system's phrase.
     */
    static String whyUnreadable(java.nio.file.Path file, java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return get("io.noSuchFile");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return get("io.accessDenied");
        }
        if (file != null && java.nio.file.Files.isDirectory(file)) {
            return get("io.folder");
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
