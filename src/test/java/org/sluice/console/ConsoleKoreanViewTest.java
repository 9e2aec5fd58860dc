package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.scene.control.TableView;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** In a Korean locale the console speaks Korean, with the source pages' terms. */
@ExtendWith(ApplicationExtension.class)
class ConsoleKoreanViewTest {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.KOREAN, "orders");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }

    @Test
    void labelsAreKorean(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> console.session.services().row("orders")
                .map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#services-table").queryTableView();
        assertThat(table.getColumns()).extracting(c -> c.getText()).contains("이름", "상태", "작업");
        assertThat(robot.lookup(".state-ok .label").queryLabeled().getText()).isEqualTo("활성");
        assertThat(robot.lookup("#tab-services .tab-label").queryLabeled().getText()).isEqualTo("서비스");
        assertThat(robot.lookup("#tab-dashboard .tab-label").queryLabeled().getText()).isEqualTo("제한 대시보드");
        assertThat(console.session.services().row("orders").orElseThrow()
                .command(org.sluice.lifecycle.Operation.START).getTooltip())
                .isEqualTo("서비스가 이미 활성 상태이므로 시작이 필요하지 않습니다.");
    }

    @Test
    void dialogButtonsSpeakKorean(FxRobot robot) throws Exception {
        Stage owner = (Stage) robot.lookup("#services-table").query().getScene().getWindow();
        org.sluice.console.view.FxDialogService dialogs =
                new org.sluice.console.view.FxDialogService(new org.sluice.console.viewmodel.I18n(Locale.KOREAN), owner);
        javafx.application.Platform.runLater(() -> dialogs.confirmDelete("orders"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#delete-confirmation").tryQuery().isPresent());
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(((javafx.scene.control.Button) pane.lookupButton(javafx.scene.control.ButtonType.OK)).getText())
                .as("the button that goes ahead says what it does").isEqualTo("삭제");
        javafx.scene.control.Button cancel = (javafx.scene.control.Button) pane.lookupButton(javafx.scene.control.ButtonType.CANCEL);
        assertThat(cancel.getText()).isEqualTo("취소");
        robot.interact(cancel::fire);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#delete-confirmation").tryQuery().isEmpty());

        // An alert too: removing a host asks with the same buttons.
        javafx.application.Platform.runLater(() -> dialogs.confirmRemoveHost("branch"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane alert = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(((javafx.scene.control.Button) alert.lookupButton(javafx.scene.control.ButtonType.OK)).getText()).isEqualTo("확인");
        javafx.scene.control.Button cancelAlert = (javafx.scene.control.Button) alert.lookupButton(javafx.scene.control.ButtonType.CANCEL);
        assertThat(cancelAlert.getText()).isEqualTo("취소");
        robot.interact(cancelAlert::fire);
    }

    @Test
    void theNewServiceFormGrowsToSayEachProblemWholeAsItAppears(FxRobot robot) throws Exception {
        Stage owner = (Stage) robot.lookup("#services-table").query().getScene().getWindow();
        org.sluice.console.view.FxDialogService dialogs =
                new org.sluice.console.view.FxDialogService(new org.sluice.console.viewmodel.I18n(Locale.KOREAN), owner);
        org.sluice.lifecycle.ServiceDefinition blank = new org.sluice.lifecycle.ServiceDefinition("", 1, 1, 256,
                org.sluice.lifecycle.ServiceDefinition.Validation.NONE, null, null, "");
        javafx.application.Platform.runLater(() -> dialogs.editDefinition(blank, true));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#definition-name").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        try {
            // Problems that appear once the form is open: the window has to make room for them.
            // The name and the destination say theirs once left, empty.
            robot.clickOn("#definition-name");
            robot.clickOn("#definition-units .text-field").eraseText(1).type(javafx.scene.input.KeyCode.DIGIT9);
            robot.clickOn("#definition-cores .text-field").eraseText(1).type(javafx.scene.input.KeyCode.DIGIT9,
                    javafx.scene.input.KeyCode.DIGIT9);
            robot.clickOn("#definition-memory .text-field").eraseText(3).type(javafx.scene.input.KeyCode.DIGIT1);
            robot.clickOn("#definition-destination").clickOn("#definition-name");
            WaitForAsyncUtils.waitForFxEvents();
            for (String field : java.util.List.of("name", "units", "coresPerInstance", "memoryMb", "destination")) {
                javafx.scene.control.Labeled problem = robot.lookup("#definition-problem-" + field).queryLabeled();
                assertThat(problem.getText()).as(field).isNotEmpty();
                String shown = problem.lookupAll(".text").stream().map(n -> ((javafx.scene.text.Text) n).getText())
                        .collect(java.util.stream.Collectors.joining());
                assertThat(shown.replace("\n", "").replace(" ", "")).as("what the %s problem shows, %.0f px high", field, problem.getHeight())
                        .isEqualTo(problem.getText().replace(" ", ""));
            }
        } finally {
            robot.interact(((javafx.scene.control.Button) pane.lookupButton(javafx.scene.control.ButtonType.CANCEL))::fire);
        }
    }
}
