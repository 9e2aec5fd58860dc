package org.sluice.runtime;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where Sluice keeps its data when no folder is given: the user's data folder of each system. */
public final class DataDirectory {
    private DataDirectory() {
    }

    /** The default data folder for this user and system. */
    public static Path defaultLocation() {
        return defaultLocation(System.getProperty("os.name", ""), System.getProperty("user.home", "."), System.getenv());
    }

    static Path defaultLocation(String osName, String home, Map<String, String> environment) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = environment.get("APPDATA");
            return (appData != null ? Path.of(appData) : Path.of(home, "AppData", "Roaming")).resolve("Sluice");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Sluice");
        }
        String xdg = environment.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("sluice");
    }
}
