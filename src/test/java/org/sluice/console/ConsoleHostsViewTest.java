package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.waitUntil;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.tableRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.console.controls.ActionsCell;
import org.sluice.fleet.api.ManagedHost;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console with two hosts: its own, as the other console tests have it, and a remote one in
 * this process behind a real HTTPS management listener, which stops listening and listens again.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleHostsViewTest {
    private static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");

    @TempDir
    Path remoteData;

    private ConsoleFixture console;
    private ManagedHost managed;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
        if (managed != null) {
            managed.close();
        }
    }

    private ManagedHost branch() throws Exception {
        managed = new ManagedHost(remoteData);
        for (String name : new String[] {"orders", "billing"}) {
            managed.fleet("setup").create(new ServiceDefinition(name, 1, 1, 256, ServiceDefinition.Validation.NONE, null, null,
                    "dir:/tmp/" + name)).completion().get(10, TimeUnit.SECONDS);
        }
        return managed;
    }




    private static String cellText(TableRow<?> row, String column) {
        return row.getChildrenUnmodifiable().stream().filter(n -> n instanceof TableCell<?, ?> c
                        && column.equals(c.getTableColumn().getText()))
                .map(n -> ((TableCell<?, ?>) n).getText()).findFirst().orElse(null);
    }

    private static ActionsCell actions(FxRobot robot, TableRow<?> row) {
        return robot.from(row).lookup((java.util.function.Predicate<Node>) n -> n instanceof ActionsCell).queryAs(ActionsCell.class);
    }

    @Test
    void aRemoteHostsRowsGoStaleWhenItStopsListeningAndFreshWhenItIsBack(FxRobot robot) throws Exception {
        branch();
        waitUntil(() -> console.isActive("orders"));
        console.group.add("branch", RemoteFleet.connect("branch", managed.client(), ConsoleFixture.QUICK));
        waitUntil(() -> console.isActive("branch/orders") && console.session.services().row("branch/billing").isPresent()
                && tableRow(robot, "branch/billing") != null);

        TableView<?> table = robot.lookup("#services-table").queryTableView();
        assertThat(table.getColumns().get(0).isVisible()).as("the Host column shows with two hosts").isTrue();
        TableRow<?> own = tableRow(robot, "orders");
        TableRow<?> remote = tableRow(robot, "branch/orders");
        assertThat(cellText(own, "Host")).isEqualTo("This computer");
        assertThat(cellText(remote, "Host")).isEqualTo("branch");
        assertThat(cellText(remote, "Name")).isEqualTo("orders");
        assertThat(cellText(remote, "Health")).isEqualTo("Ok");
        Labeled chip = robot.lookup("#host-branch").queryAs(Labeled.class);
        assertThat(robot.lookup("#hosts-bar").query().isVisible()).isTrue();
        assertThat(chip.getText()).isEqualTo("branch · Connected");
        assertThat(actions(robot, remote).button(Operation.STOP).isDisabled()).isFalse();

        managed.stopListening();
        waitUntil(() -> remote.getPseudoClassStates().contains(STALE));
        ActionsCell remoteActions = actions(robot, remote);
        assertThat(remoteActions.button(Operation.STOP).isDisabled()).isTrue();
        assertThat(onFx(() -> remoteActions.tooltip(Operation.STOP).getText())).startsWith("Stop (Ctrl+Shift+T)\nbranch is reconnecting")
                .endsWith("actions wait until it is back.");
        assertThat(cellText(remote, "Health")).startsWith("last update ").endsWith(" s ago");
        assertThat(onFx(chip::getText)).startsWith("branch · Reconnecting");
        waitUntil(() -> console.session.mainView().notifications().isShowing());
        assertThat(onFx(() -> console.session.mainView().notifications().getText()))
                .isEqualTo("Lost the connection to branch; trying again. Its services are shown as last heard.");
        assertThat(own.getPseudoClassStates()).as("the own host's rows stay fresh").doesNotContain(STALE);
        assertThat(actions(robot, own).button(Operation.STOP).isDisabled()).isFalse();
        // The user hovers the disabled button and reads why.
        robot.moveTo(remoteActions.button(Operation.STOP).getParent());
        waitUntil(() -> remoteActions.tooltip(Operation.STOP).isShowing());

        managed.listenAgain(managed.certificate());
        waitUntil(() -> !remote.getPseudoClassStates().contains(STALE));
        assertThat(actions(robot, tableRow(robot, "branch/orders")).button(Operation.STOP).isDisabled()).isFalse();
        assertThat(onFx(chip::getText)).isEqualTo("branch · Connected");
        assertThat(cellText(tableRow(robot, "branch/orders"), "Health")).isEqualTo("Ok");
        // The error bar goes once the host is back: what it said is no longer so.
        waitUntil(() -> !console.session.mainView().notifications().isShowing());
        assertThat(robot.lookup("#status").queryLabeled().getText()).startsWith("branch is connected again. (at ");
    }

    @Test
    void withTwoHostsIn900PxWindowTheActionsTheHostFilterAndBulkActionStayInSight(FxRobot robot) throws Exception {
        branch();
        waitUntil(() -> console.isActive("orders"));
        console.group.add("branch", RemoteFleet.connect("branch", managed.client(), ConsoleFixture.QUICK));
        waitUntil(() -> console.isActive("branch/orders") && tableRow(robot, "branch/billing") != null);
        javafx.stage.Window window = console.session.mainView().getScene().getWindow();
        robot.interact(() -> {
            window.setWidth(900);
            window.setHeight(600);
        });
        try {
            WaitForAsyncUtils.waitForFxEvents();
            TableView<?> table = robot.lookup("#services-table").queryTableView();
            assertThat(table.getColumns().get(0).isVisible()).as("the Host column").isTrue();
            javafx.geometry.Bounds grid = table.localToScene(table.getLayoutBounds());
            TableRow<?> remote = tableRow(robot, "branch/orders");
            // A cell scrolled out of sight sideways is not laid out at all.
            java.util.Optional<Node> cell = robot.from(remote).lookup((java.util.function.Predicate<Node>) n -> n instanceof ActionsCell).tryQuery();
            assertThat(cell).as("branch/orders's actions, laid out in sight").isPresent();
            Button last = ((ActionsCell) cell.orElseThrow()).button(Operation.BACKUP);
            assertThat(last.localToScene(last.getLayoutBounds()).getMaxX()).as("the row's last action button's right edge")
                    .isLessThanOrEqualTo(grid.getMaxX() - table.snappedRightInset());
            assertThat(table.lookupAll(".scroll-bar").stream().filter(n -> n instanceof javafx.scene.control.ScrollBar bar
                    && bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && bar.isVisible()).toList())
                    .as("a sideways scroll bar").isEmpty();
            for (String id : java.util.List.of("#host-filter", "#bulk-actions")) {
                Node node = robot.lookup(id).query();
                assertThat(node.getScene()).as(id + " on the toolbar, not in its overflow menu").isSameAs(table.getScene());
            }

            // A stale row's cut "last update … ago" says its whole text when hovered.
            managed.stopListening();
            waitUntil(() -> remote.getPseudoClassStates().contains(STALE));
            TableCell<?, ?> health = remote.getChildrenUnmodifiable().stream()
                    .filter(n -> n instanceof TableCell<?, ?> c && "Health".equals(c.getTableColumn().getText()))
                    .map(n -> (TableCell<?, ?>) n).findFirst().orElseThrow();
            waitUntil(() -> onFx(() -> health.getText() != null && health.getText().startsWith("last update ")));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(onFx(health::isTextTruncated)).as("%s at %.0f px", health.getText(), health.getWidth()).isTrue();
            assertThat(onFx(() -> health.getTooltip() == null ? null : health.getTooltip().getText())).isEqualTo(onFx(health::getText));
        } finally {
            robot.interact(() -> {
                window.setWidth(1400);
                window.setHeight(820);
            });
        }
    }

    @Test
    void connectToHostAsksForTheAddressShowsTheFingerprintAndAddsTheHostsServices(FxRobot robot) throws Exception {
        branch();
        waitUntil(() -> console.isActive("orders"));
        assertThat(robot.lookup("#services-table").queryTableView().getColumns().get(0).isVisible())
                .as("one host: no Host column").isFalse();

        Platform.runLater(() -> console.session.hosts().connect());
        waitUntil(() -> robot.lookup("#connect-name").tryQuery().isPresent());
        DialogPane form = robot.lookup("#connect-name").query().getScene().getRoot() instanceof DialogPane pane ? pane : null;
        assertThat(form).isNotNull();
        Button connect = (Button) form.lookupButton(ButtonType.OK);
        assertThat(connect.getText()).isEqualTo("Connect");
        assertThat(connect.isDisabled()).isTrue();
        robot.clickOn("#connect-name").write("branch");
        robot.clickOn("#connect-address").write(managed.url().getAuthority());
        robot.clickOn("#connect-key").write(ManagedHost.KEY);
        // No keychain answers here: the box names the owner-only file's wording.
        assertThat(robot.lookup("#connect-remember").queryAs(javafx.scene.control.CheckBox.class).getText())
                .isEqualTo("Remember the key on this computer");
        robot.clickOn("#connect-remember");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(connect.isDisabled()).isFalse();
        robot.clickOn(connect);

        waitUntil(() -> robot.lookup("#fingerprint").tryQuery().isPresent());
        TextArea fingerprint = robot.lookup("#fingerprint").queryAs(TextArea.class);
        assertThat(fingerprint.getText().replace("\n", "")).isEqualTo(managed.fingerprint());
        DialogPane check = (DialogPane) fingerprint.getScene().getRoot();
        Button accept = (Button) check.lookupButton(ButtonType.OK);
        assertThat(accept.getText()).isEqualTo("Accept and connect");
        robot.clickOn(accept);

        waitUntil(() -> console.isActive("branch/orders") && tableRow(robot, "branch/billing") != null);
        assertThat(robot.lookup("#services-table").queryTableView().getColumns().get(0).isVisible()).isTrue();
        assertThat(robot.lookup("#status").queryLabeled().getText()).startsWith("Connected to branch: 2 services. (at ");
        Path kept = console.configFolder.resolve(ConnectionsFile.FILE_NAME);
        assertThat(Files.readString(kept)).contains("\"name\" : \"branch\"", managed.fingerprint(), ManagedHost.KEY);
    }
}
