package org.sluice.bench;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The yardstick: a Stage with a Label, and nothing else. The main class is not the Application
 * itself, so that it starts from the class path as Sluice does.
 */
public final class MinimalApp {
    private MinimalApp() {
    }

    /** The whole application. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            Label label = new Label("Hello");
            label.setId("hello");
            stage.setScene(new Scene(label, 1400, 860));
            stage.setTitle("Minimal");
            stage.show();
        }
    }

    /** Runs the app and quits a moment after its first frame. */
    public static void main(String[] args) {
        FirstFrameProbe.watch(scene -> scene.lookup("#hello") != null && scene.lookup("#hello").getLayoutBounds().getWidth() > 0,
                scene -> Footprint.afterSettling(scene, Platform::exit));
        Application.launch(Window.class, args);
    }
}
