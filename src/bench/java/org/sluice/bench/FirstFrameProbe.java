package org.sluice.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;


import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.stage.Window;

/**
 * Watches an application's windows from outside it and says when a pulse has laid out a scene
 * that passes a test. The frame of that pulse is the first one showing it: the JavaFX pulse
 * logger prints that pulse's line once its rendering is done, right after our marker.
 *
 * <p>It needs nothing from the application: it waits for the toolkit, then listens to
 * {@link Window#getWindows()} and to each scene's post-layout pulse.
 */
public final class FirstFrameProbe {
    /** Printed when the scene first passes the test; the parent process times this line. */
    public static final String READY = "BENCH-READY";
    /** Printed after the first layout of any scene: for the console, its "opening" screen. */
    public static final String FIRST_LAYOUT = "BENCH-FIRST-LAYOUT";

    private FirstFrameProbe() {
    }

    /**
     * @param ready tested after every pulse's layout, on the JavaFX thread
     * @param then  run once, on the JavaFX thread, after the marker is printed
     */
    public static void watch(Predicate<Scene> ready, Consumer<Scene> then) {
        Thread waiter = new Thread(() -> {
            while (true) {
                try {
                    Platform.runLater(() -> install(ready, then));
                    return;
                } catch (IllegalStateException toolkitNotUpYet) {
                    // Not a spin: a busy probe would take a core from the app it is timing.
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }, "bench-first-frame");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static void install(Predicate<Scene> ready, Consumer<Scene> then) {
        boolean[] done = {false};
        boolean[] laidOut = {false};
        Consumer<Window> follow = window -> {
            Consumer<Scene> onScene = scene -> {
                if (scene == null) {
                    return;
                }
                Runnable[] check = new Runnable[1];
                check[0] = () -> {
                    if (!laidOut[0]) {
                        laidOut[0] = true;
                        System.out.println(FIRST_LAYOUT + " " + System.currentTimeMillis());
                    }
                    if (!done[0] && ready.test(scene)) {
                        done[0] = true;
                        // CPU times say what the wall-clock figures mean on a loaded machine.
                        long fxCpuMs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
                        // java.base only: the installed app's trimmed runtime has no jdk.management.
                        long processCpuMs = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
                        System.out.println(READY + " " + System.currentTimeMillis() + " fxCpuMs=" + fxCpuMs + " processCpuMs=" + processCpuMs);
                        System.out.flush();
                        scene.removePostLayoutPulseListener(check[0]);
                        then.accept(scene);
                    }
                };
                scene.addPostLayoutPulseListener(check[0]);
            };
            onScene.accept(window.getScene());
            window.sceneProperty().addListener((o, before, after) -> onScene.accept(after));
        };
        Window.getWindows().forEach(follow);
        Window.getWindows().addListener((ListChangeListener<Window>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(follow);
            }
        });
    }
}
