package org.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import javafx.animation.PauseTransition;
import javafx.scene.Scene;
import javafx.util.Duration;

/** The process's memory as the benchmarks report it: peak and current RSS, and live heap after a full collection. */
public final class Footprint {
    /** How long a window is left to settle before its footprint is read. */
    static final Duration SETTLE = Duration.seconds(2);

    private Footprint() {
    }

    /** Waits {@link #SETTLE}, prints the footprint line, then runs {@code then}; on the JavaFX thread. */
    public static void afterSettling(Scene scene, Runnable then) {
        PauseTransition pause = new PauseTransition(SETTLE);
        pause.setOnFinished(e -> {
            System.out.println(line());
            System.out.flush();
            then.run();
        });
        pause.play();
    }

    /** {@code BENCH-FOOTPRINT hwmKiB=… rssKiB=… liveHeapKiB=…}; collects garbage first. */
    public static String line() {
        long live = liveHeapBytes();
        return "BENCH-FOOTPRINT hwmKiB=" + status("VmHWM") + " rssKiB=" + status("VmRSS") + " liveHeapKiB=" + live / 1024;
    }

    /** Heap in use after two full collections: what the program keeps alive. */
    public static long liveHeapBytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A {@code kB} field of /proc/self/status, or -1 where there is none. */
    public static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
