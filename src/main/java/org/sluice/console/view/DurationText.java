package org.sluice.console.view;

import java.time.Duration;

import org.sluice.console.viewmodel.I18n;

/** Durations as operators read them: "12 s", "3 min 04 s", "2 h 05 min". */
final class DurationText {
    private DurationText() {
    }

    static String format(Duration duration, I18n i18n) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return i18n.get("duration.seconds", seconds);
        }
        if (seconds < 3600) {
            return i18n.get("duration.minutes", seconds / 60, String.format("%02d", seconds % 60));
        }
        return i18n.get("duration.hours", seconds / 3600, String.format("%02d", (seconds % 3600) / 60));
    }
}
