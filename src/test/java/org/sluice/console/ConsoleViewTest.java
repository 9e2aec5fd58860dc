package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.waitUntil;
import static org.sluice.console.ConsoleFixture.onFx;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
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
        assertThat(onFx(() -> cell.tooltip(Operation.RESUME).getText()))
                .isEqualTo("Resume (Ctrl+Shift+U)\nResume is not allowed while the service is Stopped. Start it instead.");
    }

    /** Makes the fake's stop wait until it crashes: the stop future completes only when it exits. */
    private static void holdStops(FakeLauncher.Fake instance) {
        instance.holdStop();
    }

    /** The texts of the cells of the table {@code id} shows now. */
    private static java.util.List<String> cellTexts(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(TableView.class).lookupAll(".table-cell").stream()
                .map(n -> ((javafx.scene.control.TableCell<?, ?>) n).getText()).filter(t -> t != null && !t.isEmpty()).toList();
    }

    private static void showTab(FxRobot robot, String title) {
        javafx.scene.control.TabPane tabs = robot.lookup(".details-view .tab-pane").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(tabs.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst().orElseThrow()));
    }

    @Test
    void theDetailsTellOfARestartByTheHostAndOfAnEpisodeCutShortWithItsCausesStepByStep(FxRobot robot) throws Exception {
        FakeLauncher.Fake instance = console.launcher.alive("orders").getFirst();
        long now = System.currentTimeMillis();
        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(now, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY), Optional.empty())));
        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 1_000, ThrottleState.THROTTLED, ThrottleState.THROTTLED,
                java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY), Optional.empty())));
        instance.crash(137);
        robot.interact(() -> console.session.services().selectedProperty().set(row("orders")));

        showTab(robot, "Operation log");
        String detail = "Instance #" + instance.index() + ": signal 9 (exit status 137), crash 1 in a row";
        waitUntil(() -> cellTexts(robot, "#details-operations").contains(detail));
        assertThat(cellTexts(robot, "#details-operations")).contains("Instance restart", "host");

        showTab(robot, "Throttle episodes");
        waitUntil(() -> cellTexts(robot, "#details-episodes").stream().anyMatch(t -> t.endsWith(", cut short")));
        @SuppressWarnings("unchecked")
        TableView<org.sluice.throttle.InstanceEpisode> episodes = robot.lookup("#details-episodes").queryAs(TableView.class);
        javafx.scene.control.Label history = robot.lookup("#episode-history").queryAs(javafx.scene.control.Label.class);
        assertThat(history.getText()).isEqualTo("Select an episode to see how its causes changed.");
        robot.interact(() -> episodes.getSelectionModel().select(0));
        assertThat(history.getText()).startsWith("Causes over time: ").contains(" Memory → ").endsWith(" Memory + Messages in process");

        // The instance, started again, has an episode that ends, and the list is read again: the one selected stays selected.
        waitUntil(() -> !console.launcher.alive("orders").isEmpty());
        FakeLauncher.Fake other = console.launcher.alive("orders").getFirst();
        other.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 5_000, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY), Optional.empty())));
        other.emit(new InstanceEvent.EpisodeEnded(new org.sluice.throttle.ThrottleEpisode(now + 5_000, java.util.OptionalLong.of(now + 6_000),
                Set.of(Cause.CONCURRENCY))));
        other.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 6_000, ThrottleState.THROTTLED, ThrottleState.NORMAL,
                Set.of(), Optional.empty())));
        waitUntil(() -> episodes.getItems().size() == 2);
        assertThat(history.getText()).endsWith(" Memory + Messages in process");

        // Now with an episode under way listed above the selected one, which ends: the list is as long as before.
        other.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 7_000, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY), Optional.empty())));
        robot.interact(() -> console.session.services().selectedProperty().set(row("billing")));
        robot.interact(() -> console.session.services().selectedProperty().set(row("orders")));
        waitUntil(() -> episodes.getItems().size() == 3 && episodes.getItems().getFirst().episode().isOpen());
        // The operator selects the episode under way; it ends, and stays selected.
        robot.interact(() -> episodes.getSelectionModel().select(0));
        String underWay = history.getText();
        other.emit(new InstanceEvent.EpisodeEnded(new org.sluice.throttle.ThrottleEpisode(now + 7_000, java.util.OptionalLong.of(now + 8_000),
                Set.of(Cause.CONCURRENCY))));
        other.emit(new InstanceEvent.Throttle(new ThrottleTransition(now + 8_000, ThrottleState.THROTTLED, ThrottleState.NORMAL,
                Set.of(), Optional.empty())));
        waitUntil(() -> !episodes.getItems().getFirst().episode().isOpen());
        assertThat(episodes.getSelectionModel().getSelectedItem()).isEqualTo(episodes.getItems().getFirst());
        assertThat(history.getText()).isEqualTo(underWay);
    }

    @Test
    void aDisabledButtonShowsWhyWhenHovered(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        ActionsCell cell = actions(robot, "orders");
        Button resume = cell.button(Operation.RESUME);
        assertThat(resume.isDisabled()).isTrue();
        robot.moveTo(resume.getParent());
        waitUntil(() -> cell.tooltip(Operation.RESUME).isShowing());
        assertThat(cell.tooltip(Operation.RESUME).getText()).isEqualTo("Resume (Ctrl+Shift+U)\nResume is not needed: the service is already Active.");
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

    @Test
    void theServiceMenuSaysWhichServiceItActsOnAndThatItIsOneOfSeveralSelected(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("billing").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        MenuItem target = menuItem(menu(robot, "menu-service"), "menu-service-target");
        assertThat(target.getText()).isEqualTo("Select a service in the grid first");

        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("orders"))));
        assertThat(target.getText()).isEqualTo("Acts on orders");
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("billing"))));
        assertThat(table.getSelectionModel().getSelectedItems()).hasSize(2);
        assertThat(target.getText()).isEqualTo("Acts on billing alone of the 2 selected; Bulk action acts on them all");
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
    void anIncidentBundleIsOfferedForTheSelectedServiceAndForATileWithTheTilesChartsAsPng(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        MenuItem save = menuItem(menu(robot, "menu-service"), "menu-save-bundle");
        assertThat(save.getText()).isEqualTo("Save incident bundle…");
        assertThat(save.isDisable()).as("nothing selected").isTrue();
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("orders"))));
        assertThat(save.isDisable()).isFalse();
        waitUntil(() -> robot.lookup("#details-save-bundle").tryQuery().map(n -> !n.isDisabled()).orElse(false));

        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        robot.clickOn("#tab-dashboard .tab-label");
        ThrottleTile tile = console.session.dashboardView().tile("orders#0");
        robot.interact(() -> {
            javafx.geometry.Point2D at = tile.localToScreen(tile.getWidth() / 2, tile.getHeight() / 2);
            tile.fireEvent(new javafx.scene.input.ContextMenuEvent(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    tile.getWidth() / 2, tile.getHeight() / 2, at.getX(), at.getY(), false, null));
        });
        waitUntil(() -> robot.lookup("#tile-save-bundle").tryQuery().isPresent());
        robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
    }

    @Test
    void aThrottleEpisodeOffersTheBundleOfThatEpisodeInTheTablesContextMenuAndAButtonTabReaches(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        FakeLauncher.Fake instance = console.launcher.alive("orders").getFirst();
        instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(), ThrottleState.NORMAL,
                ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        robot.interact(() -> console.session.services().selectedProperty().set(row("orders")));
        showTab(robot, "Throttle episodes");
        @SuppressWarnings("unchecked")
        TableView<org.sluice.throttle.InstanceEpisode> episodes = robot.lookup("#details-episodes").queryAs(TableView.class);
        waitUntil(() -> !episodes.getItems().isEmpty());

        MenuItem item = episodes.getContextMenu().getItems().stream().filter(i -> "episode-save-bundle".equals(i.getId()))
                .findFirst().orElseThrow();
        Button button = robot.lookup("#details-episode-save-bundle").queryButton();
        assertThat(item.getText()).isEqualTo("Save incident bundle of this episode…");
        assertThat(button.getText()).isEqualTo(item.getText());
        assertThat(item.isDisable()).as("no episode selected").isTrue();
        assertThat(button.isDisable()).isTrue();

        robot.interact(() -> episodes.getSelectionModel().select(0));
        assertThat(item.isDisable()).isFalse();
        assertThat(button.isDisable()).isFalse();
        assertThat(button.isFocusTraversable()).as("Tab reaches the button").isTrue();
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
    void theMenusTheShortcutsHelpAndTheEmptyEventListSayWhatIsTrue(FxRobot robot) throws Exception {
        waitUntil(() -> row("orders").getState() == ServiceState.ACTIVE);
        // An item that opens a dialog says so with an ellipsis.
        Menu file = robot.lookup(".menu-bar").queryAs(MenuBar.class).getMenus().get(0);
        assertThat(file.getItems()).extracting(MenuItem::getText).contains("Restore from backup…");
        assertThat(robot.lookup("#button-restore").queryAs(Button.class).getText()).isEqualTo("Restore from backup…");

        // The shortcuts help does not claim a key for every action: Service update has none.
        assertThat(menuItem(menu(robot, "menu-service"), "menu-ServiceUpdate").getAccelerator()).isNull();
        robot.type(javafx.scene.input.KeyCode.F1);
        waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane help = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        try {
            assertThat(help.getHeaderText()).doesNotContain("Every action")
                    .isEqualTo("The actions that have a key. Service actions apply to the selected service.");
        } finally {
            robot.interact(() -> help.getScene().getWindow().hide());
        }

        // An empty list of throttle events says what will show there.
        robot.clickOn("#tab-dashboard .tab-label");
        waitUntil(() -> robot.lookup("#throttle-events").tryQuery().isPresent());
        javafx.scene.control.ListView<?> events = robot.lookup("#throttle-events").queryAs(javafx.scene.control.ListView.class);
        assertThat(events.getItems()).isEmpty();
        assertThat(events.getPlaceholder()).isInstanceOf(javafx.scene.control.Label.class);
        assertThat(((javafx.scene.control.Label) events.getPlaceholder()).getText())
                .isEqualTo("No throttle events yet. An instance that becomes throttled or recovers is listed here.");
    }

    /** Presses Enter in the dialog showing, which asks to go ahead with {@code what}, and waits for it to close. */
    private static void hurriedEnter(FxRobot robot, String what) throws Exception {
        waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(((Button) dialog.lookupButton(javafx.scene.control.ButtonType.CANCEL)).isDefaultButton())
                .as("Cancel is the default button of %s", what).isTrue();
        assertThat(((Button) dialog.lookupButton(javafx.scene.control.ButtonType.OK)).isDefaultButton())
                .as("the button that goes ahead with %s is not the default", what).isFalse();
        robot.type(javafx.scene.input.KeyCode.ENTER);
        waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isEmpty());
    }

    @Test
    void aHurriedEnterInADestructiveConfirmationGoesNoFurther(FxRobot robot) throws Exception {
        waitUntil(() -> row("orders").getState() == ServiceState.ACTIVE && console.session.services().row("billing")
                .map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        int launches = console.launcher.launchedCount("orders");
        javafx.application.Platform.runLater(menuItem(menu(robot, "menu-account"), "menu-disable-account")::fire);
        hurriedEnter(robot, "Disable account");

        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(row("orders"))));
        javafx.application.Platform.runLater(menuItem(menu(robot, "menu-service"), "menu-ServiceUpdate")::fire);
        hurriedEnter(robot, "Service update");

        robot.interact(() -> table.getSelectionModel().selectAll());
        javafx.scene.control.MenuButton bulk = robot.lookup("#bulk-actions").queryAs(javafx.scene.control.MenuButton.class);
        for (String operation : List.of("Stop", "Restart", "Suspend")) {
            MenuItem item = bulk.getItems().stream().filter(i -> i.getText().startsWith(operation)).findFirst().orElseThrow();
            javafx.application.Platform.runLater(item::fire);
            hurriedEnter(robot, "bulk " + operation);
        }

        robot.clickOn(actions(robot, "billing").button(Operation.DELETE));
        waitUntil(() -> robot.lookup("#delete-confirmation").tryQuery().isPresent());
        robot.clickOn("#delete-confirmation").write("billing");
        hurriedEnter(robot, "Delete");

        WaitForAsyncUtils.waitForFxEvents();
        assertThat(row("orders").getState()).isEqualTo(ServiceState.ACTIVE);
        assertThat(row("billing").getState()).isEqualTo(ServiceState.ACTIVE);
        assertThat(console.launcher.launchedCount("orders")).as("orders was not started again").isEqualTo(launches);
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
        assertThat(trafficTarget.getPromptText()).as("an empty picker says what it is for").isEqualTo("Choose a service");
        robot.clickOn(actions(robot, "billing").button(Operation.DELETE));
        waitUntil(() -> robot.lookup("#delete-confirmation").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        Button ok = (Button) dialog.lookupButton(javafx.scene.control.ButtonType.OK);
        assertThat(ok.getText()).as("the button that goes ahead says what it does").isEqualTo("Delete");
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
                .satisfies(e -> assertThat(new org.sluice.console.viewmodel.I18n(Locale.ENGLISH).say(e.words())).isEqualTo("orders#0 is throttled: Memory"));
        assertThat(row("orders").throttledProperty().get()).isEqualTo(1);
    }

    @Test
    void aFlappingInstanceKeepsOneNotificationLineThatCountsItsEntriesAndStaysClosedOnceClosed(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        FakeLauncher.Fake instance = console.instances("orders").get(0);
        long time = System.currentTimeMillis();
        for (int i = 0; i < 8; i++) {
            instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(time + 2 * i, ThrottleState.NORMAL,
                    ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
            instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(time + 2 * i + 1, ThrottleState.THROTTLED,
                    ThrottleState.NORMAL, Set.of(), Optional.empty())));
        }
        waitUntil(() -> console.session.dashboard().events().size() == 16);
        waitUntil(() -> onFx(() -> notificationShown()
                && noticeText(robot).startsWith("orders#0 is flapping: throttled 8 times in")));
        // The instance's first entries came before it was flapping: the line is still one instance's.
        assertThat(onFx(() -> noticeText(robot))).doesNotContain("more instance");
        assertThat(onFx(ConsoleViewTest::notificationPopups)).as("no window over the console's").isEmpty();

        // Closed by the operator, it stays closed while the same instance goes on flapping.
        robot.clickOn("#throttle-notice-close");
        waitUntil(() -> !onFx(ConsoleViewTest::notificationShown));
        long later = System.currentTimeMillis();
        for (int i = 0; i < 2; i++) {
            instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(later + 2 * i, ThrottleState.NORMAL,
                    ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
            instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(later + 2 * i + 1, ThrottleState.THROTTLED,
                    ThrottleState.NORMAL, Set.of(), Optional.empty())));
        }
        waitUntil(() -> console.session.dashboard().events().size() == 20);
        assertThat(console.session.dashboard().latestAlertProperty().get().text()).contains("throttled 10 times");
        assertThat(onFx(ConsoleViewTest::notificationShown)).isFalse();
    }

    @Test
    void aThrottleNotificationShowsWhileTheServicesTabIsShownAndTheDashboardIsMadeOnlyWhenOpened(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        assertThat(onFx(() -> console.session.mainView().tabs().getTabs().get(1).getContent())).isNull();
        waitUntil(() -> !onFx(ConsoleViewTest::notificationShown));

        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
        waitUntil(() -> onFx(ConsoleViewTest::notificationShown));
        assertThat(onFx(() -> noticeText(robot))).isEqualTo("orders#0 is throttled: Messages in process");
        // In this window's layout, with the dashboard unmade.
        assertThat(onFx(() -> robot.lookup("#throttle-notice").query().getScene()))
                .isSameAs(onFx(() -> console.session.mainView().getScene()));
        assertThat(onFx(() -> console.session.mainView().tabs().getTabs().get(1).getContent())).isNull();
        assertThat(console.session.dashboard().events()).first()
                .satisfies(e -> assertThat(new org.sluice.console.viewmodel.I18n(Locale.ENGLISH).say(e.words())).isEqualTo("orders#0 is throttled: Messages in process"));

        robot.clickOn("#tab-dashboard .tab-label");
        assertThat(onFx(() -> console.session.mainView().tabs().getTabs().get(1).getContent()))
                .isSameAs(console.session.dashboardView());
        // The tile made now shows the state the instance is in.
        waitUntil(() -> onFx(() -> console.session.dashboardView().tile("orders#0")
                .getPseudoClassStates().contains(PseudoClass.getPseudoClass("throttled"))));
    }

    @Test
    void atNineHundredBySixHundredTheNotificationTakesItsOwnRoomAboveTheStatusLineAndCoversNoEvents(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("orders#0") != null);
        robot.clickOn("#tab-dashboard .tab-label");
        robot.interact(() -> {
            stage.setWidth(900);
            stage.setHeight(600);
        });
        try {
            console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                    ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
            waitUntil(() -> onFx(ConsoleViewTest::notificationShown)
                    && console.session.dashboard().events().size() == 1);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(onFx(ConsoleViewTest::notificationPopups)).as("no window over the console's").isEmpty();
            Bounds events = onFx(() -> sceneBounds(robot.lookup("#throttle-events").query()));
            Bounds bar = onFx(() -> sceneBounds(robot.lookup("#throttle-notice").query()));
            Bounds status = onFx(() -> sceneBounds(robot.lookup("#status").query().getParent()));
            double sceneHeight = onFx(() -> console.session.mainView().getScene().getHeight());
            assertThat(bar.getHeight()).isGreaterThan(0);
            // The event itself is in sight, in the list, above the notification.
            Bounds event = onFx(() -> sceneBounds(robot.from(robot.lookup("#throttle-events").<Node>query()).lookup(".list-cell")
                    .match((Node n) -> String.valueOf(((javafx.scene.control.ListCell<?>) n).getText()).endsWith("orders#0 is throttled: Memory"))
                    .query()));
            assertThat(event.getHeight()).isGreaterThan(0);
            assertThat(events.contains(event)).as("the event's line wholly within the list").isTrue();
            assertThat(event.getMaxY()).isLessThanOrEqualTo(bar.getMinY());
            assertThat(events.getMaxY()).as("the events list ends above the notification").isLessThanOrEqualTo(bar.getMinY());
            assertThat(bar.getMaxY()).as("the notification sits just above the status line").isLessThanOrEqualTo(status.getMinY());
            assertThat(status.getMaxY()).as("all of it within the window").isLessThanOrEqualTo(sceneHeight + 0.5);
            assertThat(onFx(() -> noticeText(robot))).isEqualTo("orders#0 is throttled: Memory");
        } finally {
            robot.interact(() -> {
                stage.setWidth(1400);
                stage.setHeight(820);
            });
        }
    }

    @Test
    void theNotificationsShowButtonGoesToItsInstanceOnTheDashboard(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.dashboard().tile("billing#0") != null);
        assertThat(onFx(() -> console.session.mainView().tabs().getSelectionModel().getSelectedIndex())).isZero();
        console.instances("billing").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> onFx(ConsoleViewTest::notificationShown));

        robot.clickOn("#throttle-notice-show");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> console.session.mainView().tabs().getSelectionModel().getSelectedIndex())).isOne();
        assertThat(console.session.dashboard().selectedProperty().get()).isSameAs(console.session.dashboard().tile("billing#0"));
        waitUntil(() -> onFx(() -> robot.lookup("#detail-tile").tryQuery().isPresent()));
    }

    private static Bounds sceneBounds(Node node) {
        return node.localToScene(node.getLayoutBounds());
    }

    /** True while the throttle notification shows in the window. */
    private static boolean notificationShown() {
        return Window.getWindows().stream().filter(w -> w instanceof Stage && w.isShowing())
                .map(w -> w.getScene() == null ? null : w.getScene().lookup("#throttle-notice"))
                .anyMatch(n -> n != null && n.isVisible() && n.isManaged());
    }

    /** The notification's words. */
    private static String noticeText(FxRobot robot) {
        return robot.lookup("#throttle-notice-text").queryLabeled().getText();
    }

    /** Popup windows that show a throttle notification: there should be none. */
    private static List<Node> notificationPopups() {
        return Window.getWindows().stream().filter(Popup.class::isInstance).map(Popup.class::cast).filter(Window::isShowing)
                .flatMap(p -> p.getContent().stream()).filter(n -> n.getStyleClass().contains("throttle-notification"))
                .toList();
    }
}
