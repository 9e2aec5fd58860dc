package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The screen the console shows while it is built: it says so, and draws nothing that moves, so
 * that the pulses of the start do no animation work.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleOpeningScreenTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void theOpeningScreenSaysItIsOpeningWithAStillIconAndNoSpinner(FxRobot robot) throws Exception {
        Parent screen = onFx(() -> {
            Parent waiting = ConsoleApp.waiting("Opening…");
            stage.setScene(new Scene(waiting, 600, 400));
            stage.getScene().getStylesheets().add(ConsoleApp.STYLESHEET);
            stage.show();
            return waiting;
        });
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();

        assertThat(onFx(() -> robot.from(screen).lookup(".label").queryAllAs(Label.class).stream().map(Label::getText).toList()))
                .contains("Opening…");
        assertThat(onFx(() -> robot.from(screen).lookup((java.util.function.Predicate<Node>) n -> n instanceof ProgressIndicator).queryAll()))
                .as("a spinner on the opening screen").isEmpty();
        assertThat(onFx(() -> screen.lookup(".waiting-icon"))).as("the still icon in its place").isNotNull();
    }
}
