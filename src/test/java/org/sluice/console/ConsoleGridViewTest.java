package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.waitUntil;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.tableRow;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Border;
import javafx.scene.layout.BorderStroke;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ActionsCell;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The services grid and its toolbar as a new operator meets them: what they read, hover and click. */
@ExtendWith(ApplicationExtension.class)
class ConsoleGridViewTest {
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




    private static ActionsCell actions(FxRobot robot, String service) throws Exception {
        waitUntil(() -> tableRow(robot, service) != null);
        return robot.from(tableRow(robot, service)).lookup((java.util.function.Predicate<Node>) n -> n instanceof ActionsCell)
                .queryAs(ActionsCell.class);
    }

    /** The tooltip on screen now, if any. */
    private static Optional<Tooltip> shownTooltip() {
        return Window.getWindows().stream().filter(w -> w instanceof Tooltip && w.isShowing()).map(w -> (Tooltip) w).findFirst();
    }

    /** True when what the user reads of {@code labeled} ends in an ellipsis in place of its text. */
    private static boolean cut(Labeled labeled) {
        Text shown = (Text) labeled.lookup(".text");
        return labeled.getText() != null && !labeled.getText().isEmpty() && (shown == null || !labeled.getText().equals(shown.getText()));
    }

    /** The cells' texts and widths, for a failure's message. */
    private static List<String> describe(List<TableCell<?, ?>> cells) {
        return cells.stream().map(c -> c.getText() + " (" + Math.round(c.getWidth()) + " px)").toList();
    }

    private static List<TableCell<?, ?>> cells(FxRobot robot, String column) {
        return robot.lookup(".table-cell").queryAll().stream().<TableCell<?, ?>>map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(c.getTableColumn().getText()) && !c.isEmpty())
                .toList();
    }

    @Test
    void aStoppedServiceShowsNoHealthAndSaysWhyWhenHovered(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        console.fleet.perform("billing", Operation.STOP).completion().get(10, TimeUnit.SECONDS);
        waitUntil(() -> console.session.services().row("billing").map(r -> r.getState() == ServiceState.STOPPED).orElse(false));
        WaitForAsyncUtils.waitForFxEvents();

        TableCell<?, ?> billing = onFx(() -> robot.from(tableRow(robot, "billing")).lookup(".table-cell").queryAll().stream()
                .<TableCell<?, ?>>map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "Health".equals(c.getTableColumn().getText())).findFirst().orElseThrow());
        assertThat(onFx(billing::getText)).as("not \"Ok\" with none running").isEqualTo("\u2014");
        String why = "No health to show: the service runs no instances in its state";
        assertThat(onFx(() -> billing.getTooltip() == null ? null : billing.getTooltip().getText())).isEqualTo(why);
        assertThat(onFx(billing::getAccessibleText)).isEqualTo(why);
        TableCell<?, ?> orders = onFx(() -> robot.from(tableRow(robot, "orders")).lookup(".table-cell").queryAll().stream()
                .<TableCell<?, ?>>map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "Health".equals(c.getTableColumn().getText())).findFirst().orElseThrow());
        assertThat(onFx(orders::getText)).isEqualTo("Ok");
        assertThat(onFx(orders::getAccessibleText)).isNull();
    }

    @Test
    void theErrorBarLeavesTheTabsWithinReach(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        console.fleet.injectFault("orders", Operation.BACKUP);
        robot.clickOn(actions(robot, "orders").button(Operation.BACKUP));
        waitUntil(() -> console.session.mainView().notifications().isShowing());
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#tab-dashboard .tab-label");
        assertThat(console.session.mainView().tabs().getSelectionModel().getSelectedIndex()).as("the tab took the click").isEqualTo(1);
        Node tabHeader = robot.lookup("#tab-dashboard .tab-label").query();
        Node bar = robot.lookup("#notice-bar").query();
        Bounds tab = tabHeader.localToScene(tabHeader.getBoundsInLocal());
        Bounds shown = bar.localToScene(bar.getBoundsInLocal());
        assertThat(shown.intersects(tab)).as("the bar must not cover the tab headers").isFalse();
        assertThat(robot.lookup("#notice-bar .label").queryLabeled().getText()).startsWith("orders: Backup failed");
    }

    @Test
    void everyActionButtonNamesItselfAndItsShortcutWhenHovered(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        ActionsCell cell = actions(robot, "orders");
        Button scale = cell.button(Operation.SCALE);
        assertThat(scale.isDisabled()).isFalse();
        robot.moveTo(scale);
        // The pointer may pass over other buttons on its way, and their tooltips may show first.
        waitUntil(() -> shownTooltip().map(t -> t.getText().startsWith("Scale")).orElse(false));
        assertThat(shownTooltip().orElseThrow().getText())
                .isEqualTo("Scale (Ctrl+Shift+L)\nChange the number of units (1 to 8)");

        robot.moveTo(cell.button(Operation.BACKUP));
        waitUntil(() -> shownTooltip().map(t -> t.getText().startsWith("Backup")).orElse(false));
        assertThat(shownTooltip().orElseThrow().getText()).isEqualTo("Backup (Ctrl+Shift+B)\nBack up the definition and settings");

        // A disabled one still says why, and the way out.
        robot.moveTo(cell.button(Operation.RESUME).getParent());
        waitUntil(() -> shownTooltip().map(t -> t.getText().startsWith("Resume")).orElse(false));
        assertThat(shownTooltip().orElseThrow().getText()).isEqualTo("Resume (Ctrl+Shift+U)\nResume is not needed: the service is already Active.");

        robot.moveTo("#button-new-service");
        waitUntil(() -> shownTooltip().map(t -> t.getText().startsWith("New service")).orElse(false));
        assertThat(shownTooltip().orElseThrow().getText()).isEqualTo("New service (Ctrl+N)\nCreate a new service");
    }

    @Test
    void anActionCellMakesItsTooltipsWhenThePointerFirstComesOverItAndStillSaysWhyToAScreenReader(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        ActionsCell orders = actions(robot, "orders");
        ActionsCell billing = actions(robot, "billing");
        // The pointer has not moved in this test: no cell it is not over has had a reason to make tooltips.
        javafx.geometry.Point2D pointer = robot.robotContext().getBaseRobot().retrieveMouse();
        for (ActionsCell cell : List.of(orders, billing)) {
            if (onFx(() -> cell.localToScreen(cell.getLayoutBounds()).contains(pointer))) {
                continue;
            }
            for (Operation operation : console.session.services().operations()) {
                assertThat(onFx(() -> cell.button(operation).getTooltip())).as("%s's %s button, before the pointer came", cell.getItem().name(), operation)
                        .isNull();
            }
        }
        // A screen reader hears what the tooltip will say: why a disabled action is blocked, and what an enabled one does.
        assertThat(onFx(() -> billing.button(Operation.RESUME).queryAccessibleAttribute(javafx.scene.AccessibleAttribute.HELP)))
                .isEqualTo("Resume (Ctrl+Shift+U)\nResume is not needed: the service is already Active.");
        assertThat(onFx(() -> billing.button(Operation.BACKUP).queryAccessibleAttribute(javafx.scene.AccessibleAttribute.HELP)))
                .isEqualTo("Backup (Ctrl+Shift+B)\nBack up the definition and settings");

        robot.moveTo(orders.button(Operation.RESUME).getParent());
        waitUntil(() -> shownTooltip().map(t -> t.getText().startsWith("Resume")).orElse(false));
        assertThat(shownTooltip().orElseThrow()).isSameAs(onFx(() -> orders.tooltip(Operation.RESUME)));
        assertThat(shownTooltip().orElseThrow().getText()).isEqualTo("Resume (Ctrl+Shift+U)\nResume is not needed: the service is already Active.");
    }

    @Test
    void aSearchThatMatchesNothingSaysSoAndClearsWithOneClick(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        robot.clickOn("#search").write("zzz");
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        assertThat(table.getItems()).isEmpty();
        assertThat(robot.lookup("#services-placeholder").queryLabeled().getText()).isEqualTo("No service matches \u201Czzz\u201D.");

        robot.clickOn("#clear-search");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(console.session.services().searchProperty().get()).isEmpty();
        assertThat(table.getItems()).hasSize(2);
    }

    @Test
    void bulkActionsWaitForASelectionAndSayWhy(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        Node bulk = robot.lookup("#bulk-actions").query();
        assertThat(bulk.isDisabled()).as("nothing selected").isTrue();
        robot.moveTo(bulk);
        waitUntil(() -> shownTooltip().isPresent());
        assertThat(shownTooltip().orElseThrow().getText())
                .isEqualTo("Select one or more services in the grid first; Ctrl+click adds a service to the selection.");

        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().selectAll());
        assertThat(bulk.isDisabled()).isFalse();
    }

    @Test
    void theBulkMenuOffersAnOperationNoSelectedServiceAllowsDisabledAndSaysWhy(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().selectAll());
        robot.clickOn("#bulk-actions");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.MenuButton bulk = robot.lookup("#bulk-actions").queryAs(javafx.scene.control.MenuButton.class);
        try {
            assertThat(bulk.getItems()).extracting(javafx.scene.control.MenuItem::getText, javafx.scene.control.MenuItem::isDisable)
                    .startsWith(org.assertj.core.groups.Tuple.tuple("Start (none of the 2 selected allows it)", true),
                            org.assertj.core.groups.Tuple.tuple("Stop (2 of 2)", false));
        } finally {
            robot.interact(bulk::hide);
        }
    }

    @Test
    void theColumnsShareTheWindowsWidthAndTheStateStaysReadableWhenNarrow(FxRobot robot) throws Exception {
        robot.interact(() -> stage.setWidth(1600));
        waitUntil(() -> console.isActive("orders") && console.isActive("billing")
                && console.session.services().row("orders").orElseThrow().lastOperationProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        for (String column : List.of("Endpoint", "Last operation", "Name")) {
            assertThat(cells(robot, column)).as(column).isNotEmpty().noneMatch(ConsoleGridViewTest::cut);
        }

        robot.interact(() -> {
            stage.setWidth(900);
            stage.setHeight(600);
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<Labeled> states = robot.lookup(".state-cell .state-text").queryAllAs(Labeled.class).stream().toList();
        assertThat(states).isNotEmpty().noneMatch(ConsoleGridViewTest::cut);
        assertThat(states).allMatch(Node::isVisible);
    }

    @Test
    void inANarrowShortWindowASelectedServicesInstancesAreInSightWithoutScrollingSideways(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        robot.interact(() -> {
            stage.setWidth(900);
            stage.setHeight(600);
        });
        try {
            WaitForAsyncUtils.waitForFxEvents();
            robot.clickOn(tableRow(robot, "orders"));
            WaitForAsyncUtils.waitForFxEvents();

            TableView<?> instances = robot.lookup("#details-instances").queryAs(TableView.class);
            waitUntil(() -> onFx(() -> !instances.getItems().isEmpty()));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(instances.lookupAll(".scroll-bar").stream()
                    .filter(n -> n instanceof javafx.scene.control.ScrollBar bar && bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL)
                    .filter(Node::isVisible).toList())
                    .as("the instances' columns fit a 900 px window").isEmpty();
            Node header = instances.lookup(".column-header-background");
            assertThat(instances.getHeight() - header.getBoundsInParent().getHeight())
                    .as("room under the header for two instances, at %.0f px high", instances.getHeight())
                    .isGreaterThanOrEqualTo(2 * instances.getFixedCellSize());
        } finally {
            // The stage is shared: the next test gets the window's usual size back.
            robot.interact(() -> {
                stage.setWidth(1400);
                stage.setHeight(820);
            });
        }
    }

    @Test
    void inAShortWindowTheGridKeepsFiveRowsInSightWhileAServiceIsSelected(FxRobot robot) throws Throwable {
        for (String name : List.of("ledger", "mail", "search", "stock")) {
            console.fleet.create(new ServiceDefinition(name, 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/" + name))
                    .completion().get(10, TimeUnit.SECONDS);
        }
        waitUntil(() -> console.isActive("orders") && console.isActive("stock"));
        inA900By600Window(robot, () -> {
            robot.clickOn(tableRow(robot, "orders"));
            WaitForAsyncUtils.waitForFxEvents();
            TableView<?> table = robot.lookup("#services-table").queryTableView();
            assertThat(rowsInSight(table)).as("rows of the grid wholly in sight with orders selected, the grid %.0f px high",
                    table.getHeight()).isGreaterThanOrEqualTo(5);
            // The details still show their tabs and a table with room for two instances.
            TableView<?> instances = robot.lookup("#details-instances").queryAs(TableView.class);
            Node header = instances.lookup(".column-header-background");
            assertThat(instances.getHeight() - header.getBoundsInParent().getHeight())
                    .as("room under the instances' header, at %.0f px high", instances.getHeight())
                    .isGreaterThanOrEqualTo(2 * instances.getFixedCellSize());
        });
        // In a large window the grid has room for all six, and the details keep theirs.
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            stage.setWidth(1600);
            stage.setHeight(1000);
        });
        try {
            WaitForAsyncUtils.waitForFxEvents();
            TableView<?> table = robot.lookup("#services-table").queryTableView();
            assertThat(rowsInSight(table)).as("rows in sight at 1,600 × 1,000").isEqualTo(6);
            Node details = robot.lookup(".details-view").query();
            assertThat(details.getLayoutBounds().getHeight()).as("the details' height at 1,600 × 1,000").isGreaterThanOrEqualTo(300);
        } finally {
            robot.interact(() -> {
                stage.setWidth(1400);
                stage.setHeight(820);
            });
        }
    }

    /** How many of {@code table}'s rows with an item show whole, within the part of the grid not hidden by its header. */
    private static long rowsInSight(TableView<?> table) {
        Node clip = table.lookup(".clipped-container");
        Bounds shown = clip.localToScene(clip.getLayoutBounds());
        return table.lookupAll(".table-row-cell").stream().map(n -> (TableRow<?>) n)
                .filter(r -> r.isVisible() && !r.isEmpty() && r.getItem() != null)
                .map(r -> r.localToScene(r.getLayoutBounds()))
                .filter(b -> b.getMinY() >= shown.getMinY() - 0.5 && b.getMaxY() <= shown.getMaxY() + 0.5)
                .count();
    }

    /** Runs {@code check} in a 900 × 600 window, then gives the shared stage its usual size back. */
    private void inA900By600Window(FxRobot robot, org.junit.jupiter.api.function.Executable check) throws Throwable {
        robot.interact(() -> {
            stage.setWidth(900);
            stage.setHeight(600);
        });
        try {
            WaitForAsyncUtils.waitForFxEvents();
            check.execute();
        } finally {
            robot.interact(() -> {
                stage.setWidth(1400);
                stage.setHeight(820);
            });
        }
    }

    /** The scroll bars of {@code parent} in {@code orientation} that show. */
    private static List<Node> shownScrollBars(Node parent, javafx.geometry.Orientation orientation) {
        return parent.lookupAll(".scroll-bar").stream()
                .filter(n -> n instanceof javafx.scene.control.ScrollBar bar && bar.getOrientation() == orientation)
                .filter(Node::isVisible).toList();
    }

    @Test
    void inA900PxWindowEveryRowsActionsAreInSightWithoutScrollingSideways(FxRobot robot) throws Throwable {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing")
                && console.session.services().row("orders").orElseThrow().lastOperationProperty().get() != null);
        inA900By600Window(robot, () -> {
            TableView<?> table = robot.lookup("#services-table").queryTableView();
            assertThat(shownScrollBars(table, javafx.geometry.Orientation.HORIZONTAL))
                    .as("a sideways scroll bar under the grid").isEmpty();
            Bounds grid = table.localToScene(table.getLayoutBounds());
            double visibleRight = grid.getMaxX() - table.snappedRightInset() - shownScrollBars(table, javafx.geometry.Orientation.VERTICAL)
                    .stream().mapToDouble(n -> n.getLayoutBounds().getWidth()).max().orElse(0);
            for (String service : List.of("orders", "billing")) {
                ActionsCell cell = actions(robot, service);
                for (Operation operation : console.session.services().operations()) {
                    Button button = cell.button(operation);
                    Bounds shown = button.localToScene(button.getLayoutBounds());
                    assertThat(shown.getMaxX()).as("right edge of %s's %s button, the grid shows up to %.0f px", service, operation, visibleRight)
                            .isLessThanOrEqualTo(visibleRight);
                    assertThat(shown.getMinX()).as("left edge of %s's %s button", service, operation).isGreaterThanOrEqualTo(grid.getMinX());
                }
            }
            // With every header whole there is no room for Endpoint in English: it gave way whole
            // (the details show it). What gave way in part says its whole text when hovered, and
            // the state still reads whole.
            assertThat(table.getColumns().stream().filter(c -> c.getText().equals("Endpoint")).findFirst().orElseThrow().isVisible())
                    .as("the Endpoint column at 900 px").isFalse();
            assertThat(cells(robot, "Last operation")).as("Last operation").isNotEmpty()
                    .allMatch(c -> !cut(c) || (c.getTooltip() != null && c.getTooltip().getText().equals(c.getText())));
            assertThat(robot.lookup(".state-cell .state-text").queryAllAs(Labeled.class)).isNotEmpty().noneMatch(ConsoleGridViewTest::cut);
        });
        // Back in a wide window, the columns that gave way have their own widths again.
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        assertThat(table.getColumns().stream().filter(c -> List.of("Name", "State", "Health", "Units and instances").contains(c.getText()))
                .map(c -> c.getText() + " " + Math.round(c.getWidth())).toList())
                .containsExactly("Name 130", "State 230", "Health 150", "Units and instances 175");
        assertThat(table.getColumns().stream().filter(c -> List.of("Endpoint", "Last operation").contains(c.getText()))
                .filter(c -> c.isVisible()).count()).as("Endpoint and Last operation, back").isEqualTo(2);
    }

    @Test
    void inA900PxWindowBulkActionStaysOnTheToolbarNotInItsOverflowMenu(FxRobot robot) throws Throwable {
        waitUntil(() -> console.isActive("orders"));
        inA900By600Window(robot, () -> {
            Node bar = robot.lookup(".tool-bar").match(n -> n instanceof javafx.scene.control.ToolBar).query();
            assertThat(robot.from(bar).lookup(".tool-bar-overflow-button").tryQuery().map(Node::isVisible).orElse(false))
                    .as("the toolbar's overflow button shows").isFalse();
            Node bulk = robot.lookup("#bulk-actions").query();
            assertThat(bulk.getScene()).as("Bulk action is in the window").isSameAs(stage.getScene());
            assertThat(bulk.isVisible()).isTrue();
            Bounds toolbar = bar.localToScene(bar.getLayoutBounds());
            Bounds button = bulk.localToScene(bulk.getLayoutBounds());
            assertThat(button.getMaxX()).as("Bulk action's right edge, within the %.0f px toolbar", toolbar.getWidth())
                    .isLessThanOrEqualTo(toolbar.getMaxX());
            // The buttons that gave up their labels still name themselves, in their tooltips and to a screen reader.
            for (String id : List.of("#button-new-service", "#button-restore")) {
                Button button2 = robot.lookup(id).queryButton();
                assertThat(button2.isVisible()).as(id).isTrue();
                assertThat(button2.getText()).as(id).isNotEmpty();
                assertThat(button2.getTooltip().getText()).as(id).startsWith(button2.getText());
            }
        });
        // With room again, the labels are back.
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#button-restore").queryButton().getContentDisplay())
                .isNotEqualTo(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
    }

    @Test
    void inA900PxWindowTheBundleButtonReadsWhole(FxRobot robot) throws Throwable {
        waitUntil(() -> console.isActive("orders"));
        inA900By600Window(robot, () -> {
            Button bundle = robot.lookup("#details-save-bundle").queryButton();
            assertThat(bundle.getText()).isEqualTo("Save incident bundle\u2026");
            assertThat(cut(bundle)).as("what the button shows with no service selected: %s",
                    ((Text) bundle.lookup(".text")).getText()).isFalse();
            robot.clickOn(tableRow(robot, "orders"));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(bundle.isDisabled()).isFalse();
            assertThat(cut(bundle)).as("what the button shows with orders selected: %s",
                    ((Text) bundle.lookup(".text")).getText()).isFalse();
            Labeled title = robot.lookup(".details-title").queryLabeled();
            Bounds titleShown = title.localToScene(title.getLayoutBounds());
            Bounds buttonShown = bundle.localToScene(bundle.getLayoutBounds());
            assertThat(titleShown.getMaxX()).as("the title ends before the button").isLessThanOrEqualTo(buttonShown.getMinX());
        });
    }

    @Test
    void aCutCellSaysItsWholeTextInItsTooltipAndACutEndpointKeepsTheServicesPartInSight(FxRobot robot)
            throws Exception {
        // The demonstration's longest name, as the console's own window first shows it.
        console.fleet.create(new ServiceDefinition("slow-partner", 1, 1, 256, ServiceDefinition.Validation.NONE, null, null,
                "dir:/tmp/slow-partner")).completion().get(10, TimeUnit.SECONDS);
        robot.interact(() -> stage.setWidth(1400));
        waitUntil(() -> List.of("orders", "billing", "slow-partner").stream().allMatch(s -> console.isActive(s)
                && console.session.services().row(s).orElseThrow().lastOperationProperty().get() != null));
        WaitForAsyncUtils.waitForFxEvents();
        for (String column : List.of("Name", "Health", "Units and instances")) {
            assertThat(cells(robot, column)).as("%s %s", column, describe(cells(robot, column))).hasSize(3)
                    .noneMatch(ConsoleGridViewTest::cut).allMatch(c -> c.getTooltip() == null);
        }
        for (TableCell<?, ?> cell : cells(robot, "Endpoint")) {
            String whole = cell.getText();
            String shown = ((Text) cell.lookup(".text")).getText();
            assertThat(shown).as("what the endpoint shows").endsWith(whole.substring(whole.indexOf("/services/") + "/services".length()));
        }
        // Endpoint has no room for all its text at 1400 px (ServicesView.shareTheRest): a cut one says it on hover.
        for (TableCell<?, ?> cell : cells(robot, "Endpoint")) {
            if (cut(cell)) {
                assertThat(cell.getTooltip()).as("a cut cell's tooltip in Endpoint").isNotNull();
                assertThat(cell.getTooltip().getText()).isEqualTo(cell.getText());
            } else {
                assertThat(cell.getTooltip()).as("a whole cell's tooltip in Endpoint").isNull();
            }
        }
        assertThat(cells(robot, "Endpoint")).as("endpoints cut at 1400 px").anyMatch(ConsoleGridViewTest::cut);
        // Last operation is never cut: without room for its time it leaves the time out, and says it on hover.
        lastOperationsReadWholeOrBrief(robot);

        robot.interact(() -> stage.setWidth(1000));
        WaitForAsyncUtils.waitForFxEvents();
        List<TableCell<?, ?>> lasts = cells(robot, "Last operation");
        assertThat(lasts).as("last operations in a narrow window").isNotEmpty().noneMatch(ConsoleGridViewTest::cut)
                .allMatch(c -> !c.getText().equals(wording(c).whole()) && c.getText().equals(wording(c).brief()));
        lastOperationsReadWholeOrBrief(robot);
        robot.interact(() -> stage.setWidth(1800));
        WaitForAsyncUtils.waitForFxEvents();
        for (String column : List.of("Endpoint", "Last operation")) {
            assertThat(cells(robot, column)).as("%s whole again", column).noneMatch(ConsoleGridViewTest::cut)
                    .allMatch(c -> c.getTooltip() == null);
        }
        assertThat(cells(robot, "Last operation")).allMatch(c -> c.getText().equals(wording(c).whole()));
    }

    private static org.sluice.console.controls.BriefTextCell.Wording wording(TableCell<?, ?> cell) {
        return (org.sluice.console.controls.BriefTextCell.Wording) cell.getItem();
    }

    /** Each Last operation cell shows its whole text with no tooltip, or its brief one with the whole in its tooltip. */
    private static void lastOperationsReadWholeOrBrief(FxRobot robot) {
        for (TableCell<?, ?> cell : cells(robot, "Last operation")) {
            assertThat(cut(cell)).as("Last operation cut: %s", cell.getText()).isFalse();
            if (cell.getText().equals(wording(cell).whole())) {
                assertThat(cell.getTooltip()).as("a whole cell's tooltip in Last operation").isNull();
            } else {
                assertThat(cell.getText()).isEqualTo(wording(cell).brief());
                assertThat(cell.getTooltip()).as("a brief cell's tooltip in Last operation").isNotNull();
                assertThat(cell.getTooltip().getText()).isEqualTo(wording(cell).whole());
            }
        }
    }

    /** The best contrast any visible fill or stroke of {@code node} has against {@code plain}. */
    private static double bestContrast(javafx.scene.layout.Region node, Color plain) {
        return java.util.stream.Stream.concat(fills(node.getBackground()).stream(), strokes(node.getBorder()).stream())
                .mapToDouble(c -> contrast(over(c, plain), plain)).max().orElse(1.0);
    }

    /** Waits until {@code condition} holds or 5 s have passed; the assertions after it say what did not hold. */
    private static void awaitQuietly(java.util.concurrent.Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException notYet) {
            // Said by the assertion that follows.
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void keyboardFocusShowsOnTheTabHeadersAndOnTheGridsFocusedRowInBothThemes(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        try {
            for (String theme : List.of("light", "dark")) {
                robot.interact(() -> javafx.application.Application.setUserAgentStylesheet(theme.equals("dark")
                        ? new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet()
                        : new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet()));
                // The tab headers, reached with Tab: the selected one says it has the focus.
                robot.interact(() -> console.session.mainView().tabs().requestFocus());
                WaitForAsyncUtils.waitForFxEvents();
                javafx.scene.layout.Region header = robot.lookup("#tab-services").queryAs(javafx.scene.layout.Region.class);
                javafx.scene.layout.Region indicator = (javafx.scene.layout.Region) header.lookup(".focus-indicator");
                Color under = topFill(header.getBackground()).orElse(theme.equals("dark") ? Color.BLACK : Color.WHITE);
                assertThat(bestContrast(indicator, under)).as("contrast of the focused tab header's mark, %s theme", theme)
                        .isGreaterThanOrEqualTo(3.0);

                // The grid, reached with Tab, its focus on a row that is not selected.
                robot.interact(() -> {
                    table.requestFocus();
                    table.getSelectionModel().clearSelection();
                    int at = table.getItems().indexOf(console.session.services().row("billing").orElseThrow());
                    table.getFocusModel().focus(at);
                });
                // The row takes its focus mark on a later pulse than the one that moved the focus.
                awaitQuietly(() -> tableRow(robot, "billing").isFocused() && bestContrast(tableRow(robot, "billing"),
                        topFill(tableRow(robot, "orders").getBackground()).orElse(Color.GRAY)) >= 3.0);
                TableRow<?> focused = tableRow(robot, "billing");
                TableRow<?> other = tableRow(robot, "orders");
                assertThat(focused.isFocused()).isTrue();
                Color plain = topFill(other.getBackground()).orElse(theme.equals("dark") ? Color.BLACK : Color.WHITE);
                assertThat(bestContrast(focused, plain)).as("contrast of the focused row's mark, %s theme: %s against %s", theme, fills(focused.getBackground()), plain)
                        .isGreaterThanOrEqualTo(3.0);
            }
        } finally {
            robot.interact(() -> javafx.application.Application.setUserAgentStylesheet(
                    new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet()));
        }
    }

    @Test
    void theSelectedRowStandsOut(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.clickOn(cells(robot, "Name").stream().filter(c -> "orders".equals(c.getItem())).findFirst().orElseThrow());
        WaitForAsyncUtils.waitForFxEvents();
        TableRow<?> selected = tableRow(robot, "orders");
        TableRow<?> other = tableRow(robot, "billing");
        assertThat(selected.isSelected()).isTrue();
        Color plain = topFill(other.getBackground()).orElse(Color.WHITE);
        // Non-text contrast, as WCAG asks of what tells a state: 3:1 for the mark, against the plain row.
        double best = Math.max(fills(selected.getBackground()).stream().mapToDouble(c -> contrast(over(c, plain), plain)).max().orElse(1.0),
                strokes(selected.getBorder()).stream().mapToDouble(c -> contrast(over(c, plain), plain)).max().orElse(1.0));
        assertThat(best).as("contrast of the selection mark against a plain row").isGreaterThanOrEqualTo(3.0);
        assertThat(table.getSelectionModel().getSelectedItems()).hasSize(1);
    }

    @Test
    void theNewServiceFormSaysBesideEachFieldWhatIsWrongAsTheUserTypes(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        robot.clickOn("#button-new-service");
        waitUntil(() -> robot.lookup("#definition-name").tryQuery().isPresent());
        Button create = (Button) robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class)
                .lookupButton(javafx.scene.control.ButtonType.OK);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".form-problems").queryAllAs(Labeled.class)).as("problems said before anything is typed")
                .extracting(Labeled::getText).allMatch(String::isEmpty);
        robot.clickOn("#definition-name").write("orders");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#definition-problem-name").queryLabeled().getText())
                .isEqualTo("A service named orders already exists on this computer.");
        robot.clickOn("#definition-units .text-field").eraseText(1).write("12");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#definition-problem-units").queryLabeled().getText()).isEqualTo("Units must be a whole number from 1 to 8.");
        assertThat(create.isDisabled()).isTrue();

        robot.clickOn("#definition-name").eraseText(6).write("refunds");
        robot.clickOn("#definition-units .text-field").eraseText(2).write("2");
        robot.clickOn("#definition-destination").write("dir:/tmp/refunds");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#definition-problem-name").queryLabeled().getText()).isEmpty();
        assertThat(robot.lookup("#definition-problem-units").queryLabeled().getText()).isEmpty();
        robot.clickOn(create);
        waitUntil(() -> console.session.services().row("refunds").isPresent());
        waitUntil(() -> robot.lookup("#definition-name").tryQuery().isEmpty());
        assertThat(console.session.services().row("refunds").orElseThrow().getDefinition().units()).isEqualTo(2);
    }

    @Test
    void aClickOnAHeaderSortsTheGridAndAServiceAddedLaterTakesItsPlaceInThatOrder(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing"));
        TableView<ServiceRowViewModel> table = console.session.mainView().servicesView().table();
        Node nameHeader = robot.lookup(".column-header .label").queryAllAs(Labeled.class).stream()
                .filter(l -> "Name".equals(l.getText())).findFirst().orElseThrow();
        // Twice: by name, then by name the other way round.
        robot.clickOn(nameHeader).clickOn(nameHeader);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> table.getItems().stream().map(ServiceRowViewModel::name).toList())).containsExactly("orders", "billing");
        console.fleet.create(new ServiceDefinition("kiwi", 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/kiwi"))
                .completion().get(10, TimeUnit.SECONDS);
        waitUntil(() -> console.session.services().row("kiwi").isPresent());
        assertThat(onFx(() -> table.getItems().stream().map(ServiceRowViewModel::name).toList()))
                .containsExactly("orders", "kiwi", "billing");
        robot.interact(() -> table.getSortOrder().clear());
    }

    @Test
    void aNewServiceTakesItsPlaceInTheGridsOrderAndIsSelectedAndInSight(FxRobot robot) throws Exception {
        for (int i = 0; i < 20; i++) {
            String name = String.format("svc-%02d", i);
            console.fleet.create(new ServiceDefinition(name, 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/" + name))
                    .completion().get(10, TimeUnit.SECONDS);
        }
        waitUntil(() -> console.isActive("orders") && console.session.services().row("svc-19").isPresent());
        TableView<ServiceRowViewModel> table = console.session.mainView().servicesView().table();
        robot.interact(() -> table.scrollTo(0));
        robot.clickOn("#button-new-service");
        waitUntil(() -> robot.lookup("#definition-name").tryQuery().isPresent());
        robot.clickOn("#definition-name").write("svc-10b");
        robot.clickOn("#definition-destination").write("dir:/tmp/svc-10b");
        robot.clickOn((Button) robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class)
                .lookupButton(javafx.scene.control.ButtonType.OK));
        waitUntil(() -> console.session.services().row("svc-10b").isPresent() && robot.lookup("#definition-name").tryQuery().isEmpty());
        ServiceRowViewModel created = console.session.services().row("svc-10b").orElseThrow();
        waitUntil(() -> onFx(() -> table.getSelectionModel().getSelectedItem() == created));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> names = onFx(() -> table.getItems().stream().map(ServiceRowViewModel::name).toList());
        assertThat(names.indexOf("svc-10b")).as("its place in %s", names).isEqualTo(names.indexOf("svc-10") + 1);
        assertThat(console.session.services().selectedProperty().get()).isSameAs(created);
        Node clip = table.lookup(".clipped-container");
        Bounds shown = clip.localToScene(clip.getLayoutBounds());
        TableRow<?> row = tableRow(robot, "svc-10b");
        assertThat(row).as("a row showing svc-10b").isNotNull();
        Bounds at = row.localToScene(row.getLayoutBounds());
        assertThat(at.getMinY()).as("its row's top, the grid shows from %.0f", shown.getMinY()).isGreaterThanOrEqualTo(shown.getMinY() - 0.5);
        assertThat(at.getMaxY()).as("its row's bottom, the grid shows to %.0f", shown.getMaxY()).isLessThanOrEqualTo(shown.getMaxY() + 0.5);
    }

    @Test
    void aNumberOutOfRangeStaysAsTypedWhenTheUserMovesOnAndTheFormSaysWhatIsWrong(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        robot.clickOn("#button-new-service");
        waitUntil(() -> robot.lookup("#definition-name").tryQuery().isPresent());
        Button create = (Button) robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class)
                .lookupButton(javafx.scene.control.ButtonType.OK);
        try {
            robot.clickOn("#definition-name").write("refunds");
            robot.clickOn("#definition-destination").write("dir:/tmp/refunds");
            robot.clickOn("#definition-units .text-field").eraseText(1).write("9");
            robot.clickOn("#definition-memory .text-field").eraseText(3).write("99999");
            // Moving on to another field: the spinners put back no number of their own.
            robot.clickOn("#definition-cores .text-field");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#definition-units .text-field").queryTextInputControl().getText()).isEqualTo("9");
            assertThat(robot.lookup("#definition-memory .text-field").queryTextInputControl().getText()).isEqualTo("99999");
            assertThat(robot.lookup("#definition-problem-units").queryLabeled().getText()).isEqualTo("Units must be a whole number from 1 to 8.");
            assertThat(robot.lookup("#definition-problem-memoryMb").queryLabeled().getText()).isNotEmpty();
            assertThat(create.isDisabled()).isTrue();
            // The arrows step back into the range.
            robot.clickOn("#definition-units .text-field");
            robot.type(javafx.scene.input.KeyCode.DOWN);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#definition-units .text-field").queryTextInputControl().getText()).isEqualTo("8");
            assertThat(robot.lookup("#definition-problem-units").queryLabeled().getText()).isEmpty();
        } finally {
            robot.clickOn(robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class)
                    .lookupButton(javafx.scene.control.ButtonType.CANCEL));
        }
    }

    @Test
    void scaleFromTheKeyboardTakesTheNumberTypedAndEnterAndRefusesOneOutOfRangeBeforeAsking(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        robot.clickOn(tableRow(robot, "orders"));
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.L)
                .release(javafx.scene.input.KeyCode.L, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#scale-units").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        Button ok = (Button) pane.lookupButton(javafx.scene.control.ButtonType.OK);
        assertThat(ok.getText()).as("the button that goes ahead says what it does").isEqualTo("Scale");
        // It opens on the count the service has: scaling to it would change nothing.
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ok.isDisabled()).as("OK with the service's own count").isTrue();
        assertThat(robot.lookup("#scale-problem").queryLabeled().getText()).as("a problem said before anything is typed").isEmpty();
        // Typed straight away, without a click into the field: the dialog opens with it ready.
        robot.type(javafx.scene.input.KeyCode.DIGIT1);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#scale-problem").queryLabeled().getText())
                .isEqualTo("The service already has 1 unit; type another number.");
        robot.type(javafx.scene.input.KeyCode.DIGIT2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#scale-problem").queryLabeled().getText())
                .as("with %s typed", robot.lookup("#scale-units .text-field").queryTextInputControl().getText())
                .isEqualTo("Units must be a whole number from 1 to 8.");
        assertThat(ok.isDisabled()).as("OK with 12 units typed").isTrue();

        robot.eraseText(2).type(javafx.scene.input.KeyCode.DIGIT3, javafx.scene.input.KeyCode.ENTER);
        waitUntil(() -> console.session.services().row("orders").orElseThrow().getDefinition().units() == 3);
        assertThat(robot.lookup("#scale-units").tryQuery()).as("the dialog closed").isEmpty();
    }

    @Test
    void theUnitsFieldsTakeWhatTheCommandLineTakesShowItNormalisedAndRefuseTheRestInTheSameWords(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        robot.clickOn("#button-new-service");
        waitUntil(() -> robot.lookup("#definition-name").tryQuery().isPresent());
        try {
            robot.clickOn("#definition-units .text-field").eraseText(1).write("1.0");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#definition-problem-units").queryLabeled().getText()).isEqualTo("Units must be a whole number from 1 to 8.");
            robot.eraseText(3).write("02");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#definition-problem-units").queryLabeled().getText()).isEmpty();
            // Left, the field shows the number the host will get.
            robot.clickOn("#definition-cores .text-field");
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#definition-units .text-field").queryTextInputControl().getText()).isEqualTo("2");
        } finally {
            robot.clickOn(robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class)
                    .lookupButton(javafx.scene.control.ButtonType.CANCEL));
        }
        waitUntil(() -> robot.lookup("#definition-name").tryQuery().isEmpty());

        robot.clickOn(tableRow(robot, "orders"));
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.L)
                .release(javafx.scene.input.KeyCode.L, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#scale-units").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#scale-units .text-field").type(javafx.scene.input.KeyCode.END).eraseText(1).write("1.0");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#scale-problem").queryLabeled().getText())
                .as("with '%s' typed", robot.lookup("#scale-units .text-field").queryTextInputControl().getText()).isEqualTo("Units must be a whole number from 1 to 8.");
        robot.eraseText(3).write("03");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#scale-problem").queryLabeled().getText()).isEmpty();
        robot.type(javafx.scene.input.KeyCode.ENTER);
        waitUntil(() -> console.session.services().row("orders").orElseThrow().getDefinition().units() == 3);
    }

    @Test
    void aSuspendedServiceSaysItsInstancesAreSuspendedNotRunning(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        console.fleet.perform("orders", Operation.SUSPEND).completion().get(10, TimeUnit.SECONDS);
        waitUntil(() -> console.session.services().row("orders").orElseThrow().getState() == ServiceState.SUSPENDED);
        waitUntil(() -> "1 unit \u00b7 1 suspended".equals(cellText(robot, "orders", "Units and instances")));

        robot.interact(() -> console.session.services().selectedProperty().set(console.session.services().row("orders").orElseThrow()));
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(table.getItems().indexOf(console.session.services().row("orders").orElseThrow())));
        waitUntil(() -> robot.lookup("#details-instances .table-cell").queryAll().stream()
                .anyMatch(n -> "Suspended".equals(((TableCell<?, ?>) n).getText())));
    }

    private static String cellText(FxRobot robot, String service, String column) {
        TableRow<?> row = tableRow(robot, service);
        return row == null ? null : row.getChildrenUnmodifiable().stream()
                .filter(n -> n instanceof TableCell<?, ?> c && column.equals(c.getTableColumn().getText()))
                .map(n -> ((TableCell<?, ?>) n).getText()).findFirst().orElse(null);
    }

    @Test
    void inTheDarkThemeTooltipsAndMenusFillTheirWholeWindow(FxRobot robot) throws Exception {
        // Without a compositor a popup window's transparent pixels show white: a frame round a
        // rounded, shadowed tooltip or menu. The popup's content must cover its window.
        robot.interact(() -> javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet()));
        waitUntil(() -> console.isActive("orders"));
        robot.moveTo(actions(robot, "orders").button(Operation.STOP));
        waitUntil(() -> shownTooltip().isPresent());
        assertCoversItsWindow(shownTooltip().orElseThrow().getSkin().getNode());

        robot.moveTo("#search");
        robot.clickOn("#state-filter");
        waitUntil(() -> Window.getWindows().stream().anyMatch(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing()));
        javafx.scene.control.ContextMenu menu = (javafx.scene.control.ContextMenu) Window.getWindows().stream()
                .filter(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing()).findFirst().orElseThrow();
        assertCoversItsWindow(menu.getSkin().getNode());
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
    }

    private static void assertCoversItsWindow(Node node) {
        javafx.scene.layout.Region region = (javafx.scene.layout.Region) node;
        assertThat(region.getEffect()).as("no shadow outside the content").isNull();
        assertThat(region.getBackground()).isNotNull();
        BackgroundFill outer = region.getBackground().getFills().get(0);
        assertThat(outer.getInsets()).as("the background reaches the window's edge").isEqualTo(javafx.geometry.Insets.EMPTY);
        assertThat(outer.getRadii().isUniform() && outer.getRadii().getTopLeftHorizontalRadius() == 0)
                .as("square corners: a rounded one leaves its corner to the window").isTrue();
        assertThat(((Color) outer.getFill()).getOpacity()).isEqualTo(1.0);
    }

    private static Optional<Color> topFill(Background background) {
        if (background == null || background.getFills().isEmpty()) {
            return Optional.empty();
        }
        List<BackgroundFill> fills = background.getFills();
        Paint paint = fills.get(fills.size() - 1).getFill();
        return paint instanceof Color c ? Optional.of(c) : Optional.empty();
    }

    private static List<Color> fills(Background background) {
        if (background == null) {
            return List.of();
        }
        return background.getFills().stream().map(BackgroundFill::getFill).filter(p -> p instanceof Color).map(p -> (Color) p).toList();
    }

    private static List<Color> strokes(Border border) {
        if (border == null) {
            return List.of();
        }
        return border.getStrokes().stream().map(BorderStroke::getLeftStroke).filter(p -> p instanceof Color).map(p -> (Color) p)
                .filter(c -> c.getOpacity() > 0).toList();
    }

    /** What a translucent colour looks like over {@code under}. */
    private static Color over(Color c, Color under) {
        double a = c.getOpacity();
        return Color.color(c.getRed() * a + under.getRed() * (1 - a), c.getGreen() * a + under.getGreen() * (1 - a),
                c.getBlue() * a + under.getBlue() * (1 - a));
    }

    private static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double channel) {
        return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
    }

    @Test
    void anUnavailableEngineIsANoticeAboveTheGridAndTheDashboardWhileTheActionsStayAndItGoesWhenTheEngineIsBack(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        assertThat(robot.lookup(".engine-notice").tryQuery()).as("no notice while the engine is available").isEmpty();

        console.launcher.engine(org.sluice.lifecycle.EngineStatus.unavailable(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES,
                "The Kubernetes API server at https://10.0.0.9:6443 could not be reached: check --kubeconfig", System.currentTimeMillis()));
        waitUntil(() -> robot.lookup(".engine-notice").tryQuery().map(Node::isVisible).orElse(false));
        Labeled notice = robot.lookup(".engine-notice").queryLabeled();
        assertThat(onFx(notice::getText)).startsWith("This computer: Kubernetes engine unavailable since ")
                .endsWith("could not be reached: check --kubeconfig");
        assertThat(onFx(() -> notice.localToScene(notice.getBoundsInLocal()).getMaxY()))
                .as("above the grid").isLessThanOrEqualTo(onFx(() -> {
                    Node table = robot.lookup("#services-table").query();
                    return table.localToScene(table.getBoundsInLocal()).getMinY();
                }));
        assertThat(actions(robot, "orders").button(Operation.STOP).isDisabled())
                .as("an action stays possible and fails with the reason, or learns the engine is back").isFalse();

        robot.clickOn("#tab-dashboard .tab-label");
        waitUntil(() -> robot.lookup(".dashboard-view .engine-notice").tryQuery().map(Node::isVisible).orElse(false));
        assertThat(onFx(() -> robot.lookup(".dashboard-view .engine-notice").queryLabeled().getText()))
                .as("the dashboard says it too").isEqualTo(onFx(notice::getText));

        console.launcher.engine(org.sluice.lifecycle.EngineStatus.available(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES,
                System.currentTimeMillis()));
        waitUntil(() -> robot.lookup(".engine-notice").tryQuery().isEmpty());
    }
}
