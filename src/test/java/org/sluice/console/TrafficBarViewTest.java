package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The test-traffic bar says what is wrong with a size as it is typed, where it can be read. */
@ExtendWith(ApplicationExtension.class)
class TrafficBarViewTest {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }

    /** Whether the node is in the window and wholly inside it. */
    private static boolean onScreen(Node node) {
        if (node.getScene() == null || !node.isVisible()) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        Bounds shown = node.localToScene(node.getLayoutBounds());
        // Whole: not cut short with an ellipsis, nor past the window's edge.
        return shown.getWidth() >= node.prefWidth(-1) - 0.5 && shown.getMinX() >= 0 && shown.getMaxX() <= node.getScene().getWidth();
    }

    @Test
    void aSizeOverTheLimitIsMarkedAndExplainedInTheWindowAsItIsTyped(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.session.services().row("orders")
                .map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        // A window narrower than the screen, as many are.
        robot.interact(() -> console.session.mainView().getScene().getWindow().setWidth(1000));
        robot.clickOn("#tab-dashboard .tab-label");
        robot.interact(() -> console.session.traffic().serviceProperty().set("orders"));
        Button toggle = robot.lookup("#traffic-toggle").queryButton();
        assertThat(toggle.isDisabled()).isFalse();

        robot.doubleClickOn("#traffic-size").eraseText(8).write("5 MiB");
        WaitForAsyncUtils.waitForFxEvents();
        TextField size = robot.lookup("#traffic-size").queryAs(TextField.class);
        assertThat(size.getText()).isEqualTo("5 MiB");
        assertThat(size.getPseudoClassStates()).extracting(Object::toString).contains("danger");
        assertThat(toggle.isDisabled()).isTrue();
        Label problem = robot.lookup("#traffic-problem").queryAs(Label.class);
        assertThat(problem.getText()).contains("5 MiB", "4 MiB", "413");
        assertThat(onScreen(problem)).as("the problem can be read in the window").isTrue();

        robot.doubleClickOn("#traffic-size").eraseText(8).write("4 MiB");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(size.getPseudoClassStates()).extracting(Object::toString).doesNotContain("danger");
        assertThat(problem.isVisible()).isFalse();
        assertThat(toggle.isDisabled()).isFalse();
    }
}
