package org.sluice.console;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console remembers between runs: the window, the theme and the language in the JDK's
 * per-user preferences, and, in a folder of its own ({@link #folder()}), the files that
 * preferences do not suit, such as its connections to remote hosts.
 */
final class ConsoleSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSettings.class);

    enum Theme { LIGHT, DARK }

    private final Preferences node;

    ConsoleSettings(Preferences node) {
        this.node = node;
    }

    static ConsoleSettings user() {
        return new ConsoleSettings(Preferences.userRoot().node("org/sluice/console"));
    }

    /**
     * The console's own folder for this user: {@code -Dsluice.config=DIR} when given, else the
     * system's place for a user's settings: {@code $XDG_CONFIG_HOME/sluice} (by default
     * {@code ~/.config/sluice}) on Linux, {@code ~/Library/Application Support/Sluice Console} on
     * macOS, {@code %APPDATA%\Sluice Console} on Windows. Not the host's data folder: what is here
     * belongs to the person at the console, not to the host on this machine.
     */
    static Path folder() {
        String configured = System.getProperty("sluice.config");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return folder(System.getProperty("os.name", ""), System.getProperty("user.home", "."), System.getenv());
    }

    static Path folder(String osName, String home, Map<String, String> environment) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = environment.get("APPDATA");
            return (appData != null ? Path.of(appData) : Path.of(home, "AppData", "Roaming")).resolve("Sluice Console");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Sluice Console");
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".config")).resolve("sluice");
    }

    /** The window's bounds, if saved: x, y, width, height. */
    Optional<double[]> window() {
        double w = node.getDouble("window.width", -1);
        if (w <= 0) {
            return Optional.empty();
        }
        return Optional.of(new double[] {node.getDouble("window.x", 0), node.getDouble("window.y", 0), w,
                node.getDouble("window.height", 800)});
    }

    void window(double x, double y, double width, double height, boolean maximized) {
        node.putDouble("window.x", x);
        node.putDouble("window.y", y);
        node.putDouble("window.width", width);
        node.putDouble("window.height", height);
        node.putBoolean("window.maximized", maximized);
    }

    boolean maximized() {
        return node.getBoolean("window.maximized", false);
    }

    Theme theme() {
        try {
            return Theme.valueOf(node.get("theme", Theme.LIGHT.name()));
        } catch (IllegalArgumentException e) {
            return Theme.LIGHT;
        }
    }

    void theme(Theme theme) {
        node.put("theme", theme.name());
    }

    /** The chosen language, or empty to follow the system. */
    Optional<Locale> language() {
        String tag = node.get("language", "");
        return tag.isEmpty() ? Optional.empty() : Optional.of(Locale.forLanguageTag(tag));
    }

    void language(Optional<Locale> locale) {
        node.put("language", locale.map(Locale::toLanguageTag).orElse(""));
    }

    void save() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("The console's settings could not be saved: {}", e.toString());
        }
    }
}
