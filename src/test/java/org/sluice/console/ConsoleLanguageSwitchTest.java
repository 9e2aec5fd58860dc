package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.console.viewmodel.ThrottleEvent;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.InstanceEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Switching the language changes the words and nothing else the operator was looking at. */
@ExtendWith(ApplicationExtension.class)
class ConsoleLanguageSwitchTest {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.ENGLISH, "billing", "orders");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }


    private ServiceRowViewModel row(String name) {
        return console.session.services().row(name).orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSelectionTheTabTheChartsTheNoticesAndTheTestTrafficStayAcrossALanguageSwitch(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false)
                && console.session.dashboard().tile("orders#0") != null);
        // A notice in the status line, a throttle event in the list and on the chart.
        robot.interact(() -> console.session.services().restoreService());
        String notice = robot.lookup("#status").queryLabeled().getText();
        assertThat(notice).isNotEmpty();
        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> !console.session.dashboard().events().isEmpty());
        ThrottleEvent event = console.session.dashboard().events().get(0);
        InstanceTileViewModel tile = console.session.dashboard().tile("orders#0");

        TableView<ServiceRowViewModel> table = console.session.mainView().servicesView().table();
        robot.interact(() -> table.getSelectionModel().select(row("orders")));
        robot.clickOn("#tab-dashboard .tab-label");
        robot.interact(() -> console.session.dashboard().selectedProperty().set(tile));
        robot.interact(() -> {
            console.session.traffic().serviceProperty().set("orders");
            console.session.traffic().rateTextProperty().set("750");
            console.session.traffic().sizeTextProperty().set("2 MiB");
        });
        assertThat(robot.lookup("#detail-tile").tryQuery()).isPresent();

        robot.interact(() -> console.session.language(Locale.KOREAN));

        assertThat(robot.lookup("#tab-services .tab-label").queryLabeled().getText()).isEqualTo("서비스");
        assertThat(console.session.mainView().tabs().getSelectionModel().getSelectedIndex()).as("the dashboard tab").isEqualTo(1);
        assertThat(console.session.mainView().servicesView().table().getSelectionModel().getSelectedItem()).isSameAs(row("orders"));
        assertThat(console.session.services().selectedProperty().get()).isSameAs(row("orders"));
        assertThat(console.session.dashboard().tile("orders#0")).as("the chart and its history").isSameAs(tile);
        assertThat(console.session.dashboard().events()).first().isSameAs(event);
        assertThat(robot.lookup("#detail-tile").tryQuery()).as("the chosen instance, larger").isPresent();
        assertThat(tile.getBadgeText()).startsWith("제한됨");
        assertThat(robot.lookup("#status").queryLabeled().getText()).isEqualTo(notice);
        assertThat(robot.lookup("#traffic-rate").queryAs(TextField.class).getText()).isEqualTo("750");
        assertThat(robot.lookup("#traffic-size").queryAs(TextField.class).getText()).isEqualTo("2 MiB");
        assertThat(robot.lookup("#traffic-service").queryAs(ComboBox.class).getValue()).isEqualTo("orders");
        assertThat(robot.lookup("#traffic-toggle").queryButton().getText()).isEqualTo("테스트 트래픽 시작");
    }
}
