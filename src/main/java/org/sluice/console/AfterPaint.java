package org.sluice.console;

import java.util.concurrent.Executor;

import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * Runs an action once the frame that shows a change to a scene has been drawn: after the pulse
 * that lays the change out, the next pulse of the scene waits for that frame's painting before it
 * hands on its own, so an action handed to the JavaFX thread from that next pulse runs once the
 * frame is on screen. A pulse's animation timers run before its wait, which is why two animation
 * frames are not enough: the second one still falls while the renderer paints the first.
 */
final class AfterPaint {
    private AfterPaint() {
    }

    /**
     * Runs {@code then} once, on the JavaFX thread, when the frame showing what was changed in
     * {@code scene} before this call has been drawn, or when {@code bound} runs the task it is
     * given, whichever comes first: a scene that is not drawn (no window, or none that the
     * toolkit paints) must not hold the action back for ever. Call on the JavaFX thread.
     */
    static void run(Scene scene, Executor bound, Runnable then) {
        boolean[] done = {false};
        Runnable once = () -> {
            if (!done[0]) {
                done[0] = true;
                then.run();
            }
        };
        Runnable[] listener = new Runnable[1];
        int[] pulses = {0};
        listener[0] = () -> {
            if (++pulses[0] == 1) {
                // The change's own pulse: one more is needed, whether or not anything else changes.
                Platform.requestNextPulse();
                return;
            }
            scene.removePostLayoutPulseListener(listener[0]);
            // Handed on from inside this pulse: runs after it, so after its wait for the painting.
            Platform.runLater(once);
        };
        scene.addPostLayoutPulseListener(listener[0]);
        Platform.requestNextPulse();
        bound.execute(() -> Platform.runLater(() -> {
            scene.removePostLayoutPulseListener(listener[0]);
            once.run();
        }));
    }
}
