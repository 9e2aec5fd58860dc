package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.tableRow;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.util.Locale;

import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ThrottleTile;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** An instance's log in a tab of its own, beside the services and the dashboard, with the room of the whole window. */
@ExtendWith(ApplicationExtension.class)
class ConsoleLogTabTest {
    private ConsoleFixture console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders", "billing");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }

    private TabPane mainTabs() throws Exception {
        return onFx(() -> console.session.mainView().tabs());
    }

    private Tab tab(String id) throws Exception {
        return onFx(() -> mainTabs().getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().orElse(null));
    }

    @SuppressWarnings("unchecked")
    private static ListView<String> logIn(Tab tab) {
        return (ListView<String>) tab.getContent().lookup("#instance-log");
    }

    @Test
    void theDetailsLogOpensInAClosableTabOfItsOwnWhichFollowsSearchesAndIsSelectedAgainWhenOpenedAgain(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        console.launcher.writeLog("orders", 0, "listening on 127.0.0.1\n");
        robot.interact(() -> {
            stage.setWidth(900);
            stage.setHeight(600);
        });
        try {
            robot.clickOn(tableRow(robot, "orders"));
            robot.clickOn("#details-log-tab");
            waitUntil(() -> robot.lookup("#instance-log-open-tab").tryQuery().map(Node::isVisible).orElse(false));
            robot.clickOn("#instance-log-open-tab");

            waitUntil(() -> tab("tab-log-orders-0") != null && tab("tab-log-orders-0").isSelected());
            Tab log = tab("tab-log-orders-0");
            assertThat(log.isClosable()).as("the log's tab closes").isTrue();
            assertThat(onFx(() -> log.getText())).isEqualTo("Log of orders instance 0");
            assertThat(onFx(() -> mainTabs().getTabs().stream().filter(t -> !t.getId().startsWith("tab-log")).noneMatch(Tab::isClosable)))
                    .as("Services and Throttle dashboard stay").isTrue();
            ListView<String> lines = onFx(() -> logIn(log));
            waitUntil(() -> lines.getItems().contains("listening on 127.0.0.1"));
            assertThat(lines.getHeight()).as("room for the log in a 900 × 600 window").isGreaterThan(10 * lines.getFixedCellSize());

            // It follows live, and searches.
            console.launcher.writeLog("orders", 0, "delivered 12 messages\n");
            waitUntil(() -> lines.getItems().contains("delivered 12 messages"));
            robot.clickOn(robot.from(log.getContent()).lookup("#instance-log-search").queryAs(Node.class)).write("deliver");
            waitUntil(() -> lines.getItems().size() == 1);
            assertThat(onFx(() -> log.getContent().lookup("#instance-log-copy").isDisabled())).isFalse();

            // Opened again from the details, it is the same tab, selected.
            robot.clickOn("#tab-services .tab-label");
            robot.clickOn("#instance-log-open-tab");
            waitUntil(() -> tab("tab-log-orders-0").isSelected());
            assertThat(onFx(() -> mainTabs().getTabs().size())).isEqualTo(3);
            assertThat(tab("tab-log-orders-0")).isSameAs(log);
        } finally {
            robot.interact(() -> {
                stage.setWidth(1400);
                stage.setHeight(820);
            });
        }
    }

    @Test
    void aTilesMenuOpensItsInstancesLogInATabAndClosingTheTabLetsGoOfIt(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("billing#0") != null);
        console.launcher.writeLog("billing", 0, "ready\n");
        robot.clickOn("#tab-dashboard .tab-label");
        ThrottleTile tile = console.session.dashboardView().tile("billing#0");
        robot.interact(() -> {
            javafx.geometry.Point2D at = tile.localToScreen(tile.getWidth() / 2, tile.getHeight() / 2);
            tile.fireEvent(new javafx.scene.input.ContextMenuEvent(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    tile.getWidth() / 2, tile.getHeight() / 2, at.getX(), at.getY(), false, null));
        });
        waitUntil(() -> robot.lookup("#tile-open-log-tab").tryQuery().isPresent());
        assertThat(robot.lookup("#tile-open-log-tab").queryAs(Node.class)).isNotNull();
        robot.clickOn("#tile-open-log-tab");

        waitUntil(() -> tab("tab-log-billing-0") != null && tab("tab-log-billing-0").isSelected());
        Tab log = tab("tab-log-billing-0");
        ListView<String> lines = onFx(() -> logIn(log));
        waitUntil(() -> lines.getItems().contains("ready"));

        // Closed, the tab goes and its log is no longer followed.
        waitUntil(() -> robot.lookup("#tab-log-billing-0 .tab-close-button").tryQuery().map(Node::isVisible).orElse(false));
        robot.clickOn("#tab-log-billing-0 .tab-close-button");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tab("tab-log-billing-0")).isNull();
        assertThat(lines.getItems()).as("the closed tab's list let go of the log").isEmpty();
        assertThat(onFx(() -> console.session.openLogTabs())).isZero();
    }

    @Test
    void aLogTabStaysSelectedAcrossALanguageSwitchInTheNewLanguageAndTheOldOneLetsGoOfItsLog(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        console.launcher.writeLog("orders", 0, "listening on 127.0.0.1\n");
        robot.clickOn(tableRow(robot, "orders"));
        robot.clickOn("#details-log-tab");
        waitUntil(() -> robot.lookup("#instance-log-open-tab").tryQuery().map(Node::isVisible).orElse(false));
        robot.clickOn("#instance-log-open-tab");
        waitUntil(() -> tab("tab-log-orders-0") != null && tab("tab-log-orders-0").isSelected());
        robot.clickOn(robot.from(tab("tab-log-orders-0").getContent()).lookup("#instance-log-search").queryAs(Node.class)).write("listen");
        org.sluice.console.view.MainView before = onFx(() -> console.session.mainView());

        robot.interact(() -> console.session.language(Locale.KOREAN));
        Tab log = tab("tab-log-orders-0");
        assertThat(log).as("the log's tab, made again").isNotNull();
        assertThat(log.isSelected()).isTrue();
        assertThat(onFx(log::getText)).isEqualTo("orders 인스턴스 0 로그");
        ListView<String> lines = onFx(() -> logIn(log));
        waitUntil(() -> lines.getItems().contains("listening on 127.0.0.1"));
        assertThat(onFx(() -> ((javafx.scene.control.TextField) log.getContent().lookup("#instance-log-search")).getText()))
                .as("the search typed before the switch").isEqualTo("listen");
        assertThat(onFx(before::subscriptionCount)).as("what the old view still holds").isZero();
    }

    @Test
    void ctrlWClosesTheLogTabShownAndNothingElse(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        robot.interact(() -> console.session.mainView().showServiceDetails(console.session.services().row("orders").orElseThrow()));
        robot.clickOn("#details-log-tab");
        waitUntil(() -> robot.lookup("#instance-log-open-tab").tryQuery().map(Node::isVisible).orElse(false));
        robot.clickOn("#instance-log-open-tab");
        waitUntil(() -> tab("tab-log-orders-0") != null && tab("tab-log-orders-0").isSelected());

        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.W)
                .release(javafx.scene.input.KeyCode.W, javafx.scene.input.KeyCode.CONTROL);
        waitUntil(() -> tab("tab-log-orders-0") == null);
        assertThat(onFx(() -> console.session.openLogTabs())).isZero();

        // On Services, which does not close, Ctrl+W does nothing.
        robot.clickOn("#tab-services .tab-label");
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.W)
                .release(javafx.scene.input.KeyCode.W, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> mainTabs().getTabs().size())).isEqualTo(2);
    }

    @Test
    void theLogTabsOfAnInstanceThatIsGoneCloseWhenItsServiceIsScaledDownOrDeleted(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        console.fleet.scale("orders", 2).completion().get(30, java.util.concurrent.TimeUnit.SECONDS);
        waitUntil(() -> console.session.services().row("orders").map(r -> r.instancesProperty().get() == 2).orElse(false));
        robot.interact(() -> console.session.mainView().showServiceDetails(console.session.services().row("orders").orElseThrow()));
        robot.clickOn("#details-log-tab");
        waitUntil(() -> robot.lookup("#instance-log-open-tab").tryQuery().map(Node::isVisible).orElse(false));
        robot.clickOn("#instance-log-open-tab");
        waitUntil(() -> tab("tab-log-orders-0") != null);
        robot.interact(() -> console.session.openLogTab("orders", 1));
        waitUntil(() -> tab("tab-log-orders-1") != null && tab("tab-log-orders-1").isSelected());

        // Instance 1 is gone with the scale down: its tab would read nothing but errors, so it closes.
        console.fleet.scale("orders", 1).completion().get(30, java.util.concurrent.TimeUnit.SECONDS);
        waitUntil(() -> tab("tab-log-orders-1") == null);
        assertThat(tab("tab-log-orders-0")).as("instance 0 is still there").isNotNull();

        console.fleet.perform("orders", org.sluice.lifecycle.Operation.DELETE).completion().get(30, java.util.concurrent.TimeUnit.SECONDS);
        waitUntil(() -> tab("tab-log-orders-0") == null);
        assertThat(onFx(() -> console.session.openLogTabs())).isZero();
    }
}
