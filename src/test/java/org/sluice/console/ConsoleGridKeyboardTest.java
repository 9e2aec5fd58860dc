package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.tableRow;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.util.List;
import java.util.Locale;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Border;
import javafx.scene.layout.BorderStroke;
import javafx.scene.paint.Color;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ActionsCell;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The grid's row actions from the keyboard alone: Tab into them, along them, run one, and back out. */
@ExtendWith(ApplicationExtension.class)
class ConsoleGridKeyboardTest {
    private ConsoleFixture console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders", "billing");
    }

    @AfterEach
    void close() throws Exception {
        javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        console.close();
    }

    private boolean in(String service, ServiceState state) {
        return console.session.services().row(service).map(r -> r.getState() == state).orElse(false);
    }

    private static ActionsCell actions(FxRobot robot, String service) throws Exception {
        waitUntil(() -> tableRow(robot, service) != null);
        return onFx(() -> robot.from(tableRow(robot, service)).lookup((java.util.function.Predicate<Node>) n -> n instanceof ActionsCell)
                .queryAs(ActionsCell.class));
    }

    private Node focused() throws Exception {
        return onFx(() -> stage.getScene().getFocusOwner());
    }

    private TableView<ServiceRowViewModel> table() {
        return console.session.mainView().servicesView().table();
    }

    /** The enabled buttons of {@code service}'s row, in the order they are shown. */
    private List<Button> enabled(FxRobot robot, String service) throws Exception {
        ActionsCell cell = actions(robot, service);
        return onFx(() -> console.session.services().operations().stream().map(cell::button).filter(b -> !b.isDisabled()).toList());
    }

    /** Selects {@code service}'s row with a click on its name, which leaves the grid with the focus. */
    private void select(FxRobot robot, String service) throws Exception {
        waitUntil(() -> tableRow(robot, service) != null);
        Node name = onFx(() -> robot.from(tableRow(robot, service)).lookup(".table-cell").queryAll().stream()
                .filter(n -> n instanceof javafx.scene.control.TableCell<?, ?> c && c.getTableColumn() != null
                        && "Name".equals(c.getTableColumn().getText()))
                .findFirst().orElseThrow());
        robot.clickOn(name);
        waitUntil(() -> table().isFocused() && table().getSelectionModel().getSelectedItem() != null
                && table().getSelectionModel().getSelectedItem().name().equals(service));
    }

    private void shiftTab(FxRobot robot) {
        robot.press(KeyCode.SHIFT).type(KeyCode.TAB).release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void tabFromTheGridReachesTheSelectedRowsFirstEnabledActionAndTabAndShiftTabMoveAlongThatRow(FxRobot robot) throws Exception {
        waitUntil(() -> in("orders", ServiceState.ACTIVE) && in("billing", ServiceState.ACTIVE));
        select(robot, "billing");
        List<Button> buttons = enabled(robot, "billing");
        assertThat(buttons).as("an Active service's actions: Stop, Restart, Suspend, Scale, …").hasSizeGreaterThan(2);

        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).as("Tab from the grid").isSameAs(buttons.get(0));
        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).as("Tab again: the row's next enabled action").isSameAs(buttons.get(1));
        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).isSameAs(buttons.get(2));
        shiftTab(robot);
        assertThat(focused()).as("Shift+Tab: back one").isSameAs(buttons.get(1));
        shiftTab(robot);
        assertThat(focused()).isSameAs(buttons.get(0));

        shiftTab(robot);
        assertThat(focused()).as("Shift+Tab from the first action: the grid").isSameAs(table());
        assertThat(onFx(() -> table().getSelectionModel().getSelectedItem().name())).isEqualTo("billing");
    }

    @Test
    void tabFromTheRowsLastActionGoesOnPastTheGridAndAClickGivesAnActionNoFocus(FxRobot robot) throws Exception {
        waitUntil(() -> in("orders", ServiceState.ACTIVE) && in("billing", ServiceState.ACTIVE));
        select(robot, "orders");
        List<Button> buttons = enabled(robot, "orders");
        robot.type(KeyCode.TAB);
        for (int i = 1; i < buttons.size(); i++) {
            robot.type(KeyCode.TAB);
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).isSameAs(buttons.getLast());
        ActionsCell billing = actions(robot, "billing");
        ActionsCell orders = actions(robot, "orders");
        List<Button> everyAction = onFx(() -> console.session.services().operations().stream()
                .flatMap(o -> java.util.stream.Stream.of(billing.button(o), orders.button(o))).toList());

        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        Node next = focused();
        assertThat(next).as("Tab from the last action").isNotNull().isNotSameAs(table());
        assertThat(everyAction).as("Tab from the last action: not another row's nor this row's").doesNotContain(next instanceof Button b ? b : null);

        // A click runs an action without taking the focus: the ring is the keyboard's alone.
        select(robot, "orders");
        robot.clickOn(actions(robot, "orders").button(Operation.BACKUP));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).isSameAs(table());
    }

    @Test
    void escapeGoesBackToTheGridWithTheRowStillSelected(FxRobot robot) throws Exception {
        waitUntil(() -> in("orders", ServiceState.ACTIVE) && in("billing", ServiceState.ACTIVE));
        select(robot, "orders");
        List<Button> buttons = enabled(robot, "orders");
        robot.type(KeyCode.TAB).type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).isSameAs(buttons.get(1));

        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).isSameAs(table());
        assertThat(onFx(() -> table().getSelectionModel().getSelectedItems().stream().map(ServiceRowViewModel::name).toList()))
                .containsExactly("orders");
    }

    @Test
    void enterOrSpaceRunsTheFocusedAction(FxRobot robot) throws Exception {
        waitUntil(() -> in("orders", ServiceState.ACTIVE) && in("billing", ServiceState.ACTIVE));
        select(robot, "orders");
        ActionsCell cell = actions(robot, "orders");
        Button suspend = cell.button(Operation.SUSPEND);
        robot.type(KeyCode.TAB);
        for (int i = 0; i < 8 && focused() != suspend; i++) {
            robot.type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertThat(focused()).isSameAs(suspend);
        robot.type(KeyCode.SPACE);
        waitUntil(() -> in("orders", ServiceState.SUSPENDED));
        assertThat(in("billing", ServiceState.ACTIVE)).as("only the focused row's action ran").isTrue();

        select(robot, "billing");
        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        Button stop = actions(robot, "billing").button(Operation.STOP);
        assertThat(focused()).as("Start is disabled for an Active service: Stop comes first").isSameAs(stop);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> in("billing", ServiceState.STOPPED));
        assertThat(console.instances("billing")).isEmpty();
        // Stop is disabled now: the focus is on none of the row's disabled actions nor lost, but
        // on an enabled action of the row or, while none is (the service on its way), the grid.
        WaitForAsyncUtils.waitForFxEvents();
        Node now = focused();
        ActionsCell billing = actions(robot, "billing");
        List<Button> rowButtons = onFx(() -> console.session.services().operations().stream().map(billing::button).toList());
        assertThat(now == table() || now instanceof Button b && rowButtons.contains(b) && !b.isDisabled())
                .as("the focus after Stop ran: %s", now).isTrue();
    }

    @Test
    void theFocusedActionShowsAFocusRingInBothThemes(FxRobot robot) throws Exception {
        waitUntil(() -> in("orders", ServiceState.ACTIVE) && in("billing", ServiceState.ACTIVE));
        select(robot, "orders");
        List<Button> buttons = enabled(robot, "orders");
        robot.type(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(focused()).isSameAs(buttons.get(0));
        for (boolean dark : new boolean[] {false, true}) {
            if (dark) {
                onFx(() -> {
                    javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet());
                    return null;
                });
                WaitForAsyncUtils.waitForFxEvents();
            }
            assertThat(onFx(() -> ring(buttons.get(0)))).as("the focused action, %s theme", dark ? "dark" : "light").isTrue();
            assertThat(onFx(() -> ring(buttons.get(1)))).as("an action without the focus, %s theme", dark ? "dark" : "light").isFalse();
        }
    }

    /** True when {@code button} has a border drawn in a colour one can see. */
    private static boolean ring(Button button) {
        button.applyCss();
        Border border = button.getBorder();
        return border != null && border.getStrokes().stream().map(BorderStroke::getTopStroke)
                .anyMatch(p -> p instanceof Color c && c.getOpacity() > 0.5) && border.getStrokes().getFirst().getWidths().getTop() >= 1;
    }

    @Test
    void theShortcutsHelpSaysHowToReachTheRowActionsFromTheKeyboard(FxRobot robot) throws Exception {
        waitUntil(() -> in("orders", ServiceState.ACTIVE));
        select(robot, "orders");
        robot.type(KeyCode.F1);
        waitUntil(() -> robot.lookup(".dialog-pane .text-area").tryQuery().isPresent());
        String help = robot.lookup(".dialog-pane .text-area").queryAs(TextArea.class).getText();
        assertThat(help).contains("Tab").contains("Shift+Tab").contains("Enter").contains("Esc");
        robot.type(KeyCode.ESCAPE);
    }
}
