package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ActionsCell;
import org.sluice.console.view.ServicesView;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The services grid's rows hold their operation commands only while a cell shows them: scrolling
 * through every row must not leave every row with its commands (docs/decisions/0029). Here, beside
 * the view model tests, for the fake fleet and dialogs they share.
 */
@ExtendWith(ApplicationExtension.class)
class ServicesViewCommandsTest {
    private static final int SERVICES = 2_000;

    private final FakeFleet fleet = new FakeFleet();
    private final I18n english = new I18n(Locale.ENGLISH);
    private ServicesViewModel model;
    private ServicesView view;

    @Start
    void start(Stage stage) {
        FleetGroup group = new FleetGroup(fleet);
        NoticesViewModel notices = new NoticesViewModel(english);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        HostsViewModel hosts = new HostsViewModel(group, RemoteHostsForTests.NONE, new MemoryConnections(), english,
                BackgroundExecutor.sameThread(), dialogs, notices, () -> 1_000_000L);
        model = new ServicesViewModel(group, hosts, Lifecycle.standard(), english, BackgroundExecutor.sameThread(), dialogs, notices);
        List<FleetEvent> added = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            String name = String.format("svc-%04d", i);
            fleet.states.put(name, ServiceState.ACTIVE);
            added.add(new FleetEvent.ServiceAdded(name, FakeFleet.snapshot(name, ServiceState.ACTIVE)));
        }
        model.apply(added);
        view = new ServicesView(model, hosts, english);
        stage.setScene(new Scene(view, 1400, 600));
        stage.show();
    }

    private long rowsHoldingCommands() {
        return model.rows().stream().filter(r -> r.commandsMade() > 0).count();
    }

    private ActionsCell actionsOf(FxRobot robot, String service) {
        return robot.lookup((Node n) -> n instanceof ActionsCell c && c.isVisible() && c.getItem() != null
                && c.getItem().name().equals(service)).queryAs(ActionsCell.class);
    }

    @Test
    void scrollingThroughEveryRowLeavesCommandsOnlyWithTheRowsShown(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        long shownAtFirst = WaitForAsyncUtils.asyncFx(this::rowsHoldingCommands).get(10, TimeUnit.SECONDS);
        assertThat(shownAtFirst).as("rows showing their buttons").isBetween(5L, 30L);

        WaitForAsyncUtils.asyncFx(() -> {
            for (int i = 0; i < SERVICES; i += 12) {
                view.table().scrollTo(i);
                view.table().layout();
            }
        }).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();

        long holding = WaitForAsyncUtils.asyncFx(this::rowsHoldingCommands).get(10, TimeUnit.SECONDS);
        assertThat(holding).as("rows holding commands after scrolling through %d", SERVICES).isLessThanOrEqualTo(2 * shownAtFirst);
    }

    @Test
    void aViewLetGoOfLeavesNoRowHoldingCommands() throws Exception {
        // As after a language switch: the old grid is let go of before it is laid out again.
        WaitForAsyncUtils.waitForFxEvents();
        long held = WaitForAsyncUtils.asyncFx(() -> {
            long before = rowsHoldingCommands();
            view.dispose();
            return before;
        }).get(10, TimeUnit.SECONDS);

        assertThat(held).isPositive();
        assertThat(WaitForAsyncUtils.asyncFx(this::rowsHoldingCommands).get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aRowScrolledBackIntoViewHasWorkingButtons(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> {
            for (int i = 0; i < SERVICES; i += 50) {
                view.table().scrollTo(i);
                view.table().layout();
            }
            view.table().scrollTo(0);
        }).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();

        ActionsCell cell = actionsOf(robot, "svc-0000");
        Button stop = cell.button(Operation.STOP);
        assertThat(stop.isDisabled()).isFalse();
        assertThat(cell.button(Operation.START).isDisabled()).isTrue();
        assertThat(WaitForAsyncUtils.asyncFx(() -> cell.tooltip(Operation.START).getText()).get(10, TimeUnit.SECONDS))
                .startsWith("Start").contains("Start is not needed");
        assertThat(WaitForAsyncUtils.asyncFx(() -> cell.tooltip(Operation.STOP).getText()).get(10, TimeUnit.SECONDS))
                .contains(english.get("action.Stop.tooltip"));
        robot.clickOn(stop);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fleet.calls).containsExactly("Stop svc-0000");
    }
}
