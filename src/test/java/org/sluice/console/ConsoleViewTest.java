package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Popup;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ActionsCell;
import org.sluice.console.controls.ThrottleTile;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.InstanceEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The console as a user drives it: headless, real view models and views, a real host with fake processes. */
@ExtendWith(ApplicationExtension.class)
class ConsoleViewTest {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders", "billing");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private ServiceRowViewModel row(String name) {
        return console.session.services().row(name).orElseThrow();
    }

    private ActionsCell actions(FxRobot robot, String service) throws Exception {
        // The grid draws a new row on a later pulse than the one that added it.
        waitUntil(() -> findActions(robot, service) != null);
        return findActions(robot, service);
    }

    private static ActionsCell findActions(FxRobot robot, String service) {
        return robot.lookup(".table-row-cell").queryAll().stream()
                .filter(r -> ((javafx.scene.control.TableRow<?>) r).getItem() instanceof ServiceRowViewModel m && m.name().equals(service))
                .map(r -> robot.from(r).lookup((java.util.function.Predicate<javafx.scene.Node>) n -> n instanceof ActionsCell)
                        .queryAs(ActionsCell.class))
                .findFirst().orElse(null);
    }

    @Test
    void clickingStopShowsStoppingThenStoppedAndTheButtonsFollowTheChart(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").isPresent()
                && console.session.services().row("orders").get().getState() == ServiceState.ACTIVE);
        // The instance holds its stop until the test lets it go, so Stopping can be seen.
        FakeLauncher.Fake instance = console.instances("orders").get(0);
        console.launcher.nextLaunch("orders", 0, FakeLauncher.Behaviour.NORMAL);
        ActionsCell cell = actions(robot, "orders");
        assertThat(cell.button(Operation.STOP).isDisabled()).isFalse();
        assertThat(cell.button(Operation.START).isDisabled()).isTrue();

        holdStops(instance);
        robot.clickOn(cell.button(Operation.STOP));
        waitUntil(() -> row("orders").getState() == ServiceState.STOPPING);
        assertThat(robot.lookup(".state-busy .label").queryLabeled().getText()).isEqualTo("Stopping");
        for (Operation operation : Operation.values()) {
            if (operation.inChart()) {
                assertThat(cell.button(operation).isDisabled()).as(operation.chartName()).isTrue();
            }
        }

        instance.crash(0);
        waitUntil(() -> row("orders").getState() == ServiceState.STOPPED);
        assertThat(cell.button(Operation.START).isDisabled()).isFalse();
        assertThat(cell.button(Operation.RESTART).isDisabled()).isFalse();
        assertThat(cell.button(Operation.STOP).isDisabled()).isTrue();
        assertThat(cell.button(Operation.RESUME).isDisabled()).isTrue();
        assertThat(cell.tooltip(Operation.RESUME).getText())
                .isEqualTo("Resume is not allowed while the service is Stopped. Start it instead.");
    }

    /** Makes the fake's stop wait until it crashes: the stop future completes only when it exits. */
    private static void holdStops(FakeLauncher.Fake instance) {
        instance.holdStop();
    }

    @Test
    void aDisabledButtonShowsWhyWhenHovered(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        ActionsCell cell = actions(robot, "orders");
        Button resume = cell.button(Operation.RESUME);
        assertThat(resume.isDisabled()).isTrue();
        robot.moveTo(resume.getParent());
        waitUntil(() -> cell.tooltip(Operation.RESUME).isShowing());
        assertThat(cell.tooltip(Operation.RESUME).getText()).isEqualTo("Resume is not needed: the service is already Active.");
    }

    @Test
    void theServiceMenuFollowsTheSelectedServicesCommands(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        Menu service = robot.lookup(".menu-bar").queryAs(MenuBar.class).getMenus().stream()
                .filter(m -> "menu-service".equals(m.getId())).findFirst().orElseThrow();
        java.util.function.Function<Operation, MenuItem> item = operation -> service.getItems().stream()
                .filter(i -> ("menu-" + operation.chartName()).equals(i.getId())).findFirst().orElseThrow();
        assertThat(item.apply(Operation.STOP).isDisable()).as("nothing selected").isTrue();

        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("orders"))));
        assertThat(item.apply(Operation.STOP).isDisable()).isFalse();
        assertThat(item.apply(Operation.BACKUP).isDisable()).isFalse();
        assertThat(item.apply(Operation.START).isDisable()).isTrue();
        assertThat(item.apply(Operation.RESUME).isDisable()).isTrue();

        robot.interact(() -> table.getSelectionModel().clearSelection());
        assertThat(item.apply(Operation.STOP).isDisable()).isTrue();
    }

    private static Menu menu(FxRobot robot, String id) {
        return robot.lookup(".menu-bar").queryAs(MenuBar.class).getMenus().stream()
                .filter(m -> id.equals(m.getId())).findFirst().orElseThrow(() -> new AssertionError("no menu " + id));
    }

    private static MenuItem menuItem(Menu menu, String id) {
        return menu.getItems().stream().filter(i -> id.equals(i.getId())).findFirst()
                .orElseThrow(() -> new AssertionError("no item " + id + " in " + menu.getText()));
    }

    /** Confirms the dialog that is showing, after checking that it says {@code what}. */
    private static void confirmDialogSaying(FxRobot robot, String what) throws Exception {
        waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        String shown = dialog.getHeaderText() + "\n" + robot.from(dialog).lookup(".label").queryAll().stream()
                .map(n -> ((javafx.scene.control.Labeled) n).getText()).reduce("", (a, b) -> a + "\n" + b);
        assertThat(shown).contains(what);
        robot.clickOn((Button) dialog.lookupButton(javafx.scene.control.ButtonType.OK));
    }

    @Test
    void drillsHaveTheirOwnMenuApartFromEverydayActions(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        assertThat(menu(robot, "menu-service").getItems()).extracting(MenuItem::getId).doesNotContain("menu-drill");
        MenuItem drill = menuItem(menu(robot, "menu-drills"), "menu-drill");
        assertThat(drill.getText()).isEqualTo("Make the next operation on the selected service fail...");
        assertThat(drill.isDisable()).as("nothing selected").isTrue();
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("orders"))));
        assertThat(drill.isDisable()).isFalse();
    }

    @Test
    void theAccountMenuDisablesAndEnablesEveryServiceAfterSayingWhatItDoes(FxRobot robot) throws Exception {
        waitUntil(() -> row("orders").getState() == ServiceState.ACTIVE && console.session.services().row("billing")
                .map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        Menu account = menu(robot, "menu-account");
        javafx.application.Platform.runLater(menuItem(account, "menu-disable-account")::fire);
        confirmDialogSaying(robot, "orders");
        waitUntil(() -> row("orders").getState() == ServiceState.DISABLED && row("billing").getState() == ServiceState.DISABLED);

        javafx.application.Platform.runLater(menuItem(account, "menu-enable-account")::fire);
        confirmDialogSaying(robot, "billing");
        waitUntil(() -> row("orders").getState() == ServiceState.ACTIVE && row("billing").getState() == ServiceState.ACTIVE);
    }

    @Test
    void serviceUpdateIsInTheServiceMenuAndAsksFirst(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        MenuItem update = menuItem(menu(robot, "menu-service"), "menu-ServiceUpdate");
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("orders"))));
        assertThat(update.isDisable()).isFalse();
        int launches = console.launcher.launchedCount("orders");
        javafx.application.Platform.runLater(update::fire);
        confirmDialogSaying(robot, "stopped and started again");
        waitUntil(() -> console.launcher.launchedCount("orders") > launches && row("orders").getState() == ServiceState.ACTIVE
                && row("orders").lastOperationProperty().get() != null
                && row("orders").lastOperationProperty().get().operation() == Operation.SERVICE_UPDATE);
    }

    @Test
    void deleteAsksForTheTypedName(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("billing").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        robot.clickOn("#tab-dashboard .tab-label");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> trafficTarget = robot.lookup("#traffic-service").queryAs(javafx.scene.control.ComboBox.class);
        robot.clickOn("#tab-services .tab-label");
        assertThat(trafficTarget.getItems()).as("the test-traffic picker lists services by name").containsExactly("billing", "orders");
        robot.clickOn(actions(robot, "billing").button(Operation.DELETE));
        waitUntil(() -> robot.lookup("#delete-confirmation").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        Button ok = (Button) dialog.lookupButton(javafx.scene.control.ButtonType.OK);
        robot.clickOn("#delete-confirmation").write("bill");
        assertThat(ok.isDisabled()).isTrue();
        robot.write("ing");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#delete-confirmation").queryAs(TextField.class).getText()).isEqualTo("billing");
        assertThat(ok.isDisabled()).isFalse();
        robot.clickOn(ok);
        waitUntil(() -> console.session.services().row("billing").isEmpty());
        assertThat(trafficTarget.getItems()).containsExactly("orders");
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        assertThat(table.getItems()).extracting(r -> ((ServiceRowViewModel) r).name()).containsExactly("orders");
    }

    @Test
    void aTilesMenuOpensItsInstancesLogInTheDetailsWhichFollowsWhatTheInstanceWrites(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        console.launcher.writeLog("orders", 0, "listening on 127.0.0.1\n");
        robot.clickOn("#tab-dashboard .tab-label");
        ThrottleTile tile = console.session.dashboardView().tile("orders#0");
        // What the platform sends on a right click or the menu key; the headless one sends none.
        robot.interact(() -> {
            javafx.geometry.Point2D at = tile.localToScreen(tile.getWidth() / 2, tile.getHeight() / 2);
            tile.fireEvent(new javafx.scene.input.ContextMenuEvent(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    tile.getWidth() / 2, tile.getHeight() / 2, at.getX(), at.getY(), false, null));
        });
        waitUntil(() -> robot.lookup("#tile-show-log").tryQuery().isPresent());
        robot.clickOn("#tile-show-log");

        waitUntil(() -> robot.lookup("#tab-services").queryAs(javafx.scene.Node.class).isVisible()
                && robot.lookup("#instance-log").tryQuery().map(Node::isVisible).orElse(false));
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<String> log = robot.lookup("#instance-log").queryAs(javafx.scene.control.ListView.class);
        waitUntil(() -> log.getItems().contains("listening on 127.0.0.1"));
        assertThat(row("orders")).isSameAs(console.session.services().selectedProperty().get());

        console.launcher.writeLog("orders", 0, "delivered 12 messages\n");
        waitUntil(() -> log.getItems().contains("delivered 12 messages"));
        robot.clickOn("#instance-log-search").write("deliver");
        waitUntil(() -> log.getItems().size() == 1);
        assertThat(robot.lookup("#instance-log-status").queryLabeled().getText()).isEqualTo("1 of 2 lines contain \"deliver\"");
    }

    @Test
    void aTileFlashesWhenItsInstanceBecomesThrottled(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        robot.clickOn("#tab-dashboard .tab-label");
        ThrottleTile tile = console.session.dashboardView().tile("orders#0");
        assertThat(tile.getPseudoClassStates()).doesNotContain(PseudoClass.getPseudoClass("flashing"));

        long now = System.currentTimeMillis();
        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(now, ThrottleState.NORMAL,
                ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> tile.getPseudoClassStates().contains(PseudoClass.getPseudoClass("flashing")));
        assertThat(tile.getPseudoClassStates()).contains(PseudoClass.getPseudoClass("throttled"));
        assertThat(console.session.dashboard().events()).first()
                .satisfies(e -> assertThat(e.text()).isEqualTo("orders#0 is throttled: Memory"));
        assertThat(row("orders").throttledProperty().get()).isEqualTo(1);
    }

    @Test
    void aThrottleNotificationKeepsNoBitmapOfItselfOnceShown(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        robot.clickOn("#tab-dashboard .tab-label");
        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> onFx(ConsoleViewTest::notificationBar) != null);
        Node bar = onFx(ConsoleViewTest::notificationBar);
        // It may be the summary of several (ControlsFX also counts popups of windows that earlier
        // tests closed); either way it is over this window.
        assertThat(onFx(() -> bar.getScene().getWindow() instanceof Popup popup
                && popup.getOwnerWindow() == console.session.mainView().getScene().getWindow())).isTrue();
        // The bar fades its title in while it shows; at full opacity its show animation is over.
        waitUntil(() -> onFx(() -> bar.lookup(".title").getOpacity() == 1.0));
        // A cached bitmap of the bar stays checked out of JavaFX's image pool after the popup
        // closes: one such bitmap per notification piled up in the heap.
        assertThat(onFx(bar::isCache)).isFalse();
    }

    @Test
    void aThrottleNotificationShowsWhileTheServicesTabIsShownAndTheDashboardIsMadeOnlyWhenOpened(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        assertThat(onFx(() -> console.session.mainView().tabs().getTabs().get(1).getContent())).isNull();
        waitUntil(() -> onFx(ConsoleViewTest::notificationBar) == null);

        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
        waitUntil(() -> onFx(ConsoleViewTest::notificationBar) != null);
        // ControlsFX counts the popups of windows earlier tests closed, so this one may come as
        // the summary of several; either way it is over this window, with the dashboard unmade.
        assertThat(onFx(() -> notificationBar().getScene().getWindow() instanceof Popup popup
                && popup.getOwnerWindow() == console.session.mainView().getScene().getWindow())).isTrue();
        assertThat(onFx(() -> console.session.mainView().tabs().getTabs().get(1).getContent())).isNull();
        assertThat(console.session.dashboard().events()).first()
                .satisfies(e -> assertThat(e.text()).isEqualTo("orders#0 is throttled: Messages in process"));

        robot.clickOn("#tab-dashboard .tab-label");
        assertThat(onFx(() -> console.session.mainView().tabs().getTabs().get(1).getContent()))
                .isSameAs(console.session.dashboardView());
        // The tile made now shows the state the instance is in.
        waitUntil(() -> onFx(() -> console.session.dashboardView().tile("orders#0")
                .getPseudoClassStates().contains(PseudoClass.getPseudoClass("throttled"))));
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> query) throws Exception {
        return WaitForAsyncUtils.asyncFx(query).get(10, TimeUnit.SECONDS);
    }

    /** The notification popup's bar on screen, or null. */
    private static Node notificationBar() {
        return Window.getWindows().stream().filter(Popup.class::isInstance).map(Popup.class::cast)
                .flatMap(p -> p.getContent().stream()).filter(n -> n.getStyleClass().contains("notification-bar"))
                .findFirst().orElse(null);
    }
}
