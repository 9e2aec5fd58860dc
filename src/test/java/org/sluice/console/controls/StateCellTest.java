package org.sluice.console.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import atlantafx.base.theme.PrimerLight;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.StateSummary;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The grid's state cell as the operator reads it: the state, and a badge when instances are throttled or flapping. */
@ExtendWith(ApplicationExtension.class)
class StateCellTest {
    private static final StateSummary FIRST = new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.THROTTLED, "1 of 2 throttled", "1/2");
    /** The first row's state, which a test changes as a service row's changes in the grid. */
    private final javafx.beans.property.ObjectProperty<StateSummary> first = new javafx.beans.property.SimpleObjectProperty<>(FIRST);
    private TableColumn<StateSummary, StateSummary> state;

    @Start
    void start(Stage stage) {
        TableView<StateSummary> table = new TableView<>();
        I18n i18n = new I18n(Locale.ENGLISH);
        state = new TableColumn<>("State");
        state.setCellValueFactory(c -> c.getValue() == FIRST ? first : new ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new StateCell<>(i18n::state));
        state.setPrefWidth(300);
        table.getColumns().add(state);
        table.setItems(FXCollections.observableArrayList(
                FIRST,
                new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.FLAPPING, "1 of 2 flapping", "1/2"),
                new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.NONE, "", "")));
        Scene scene = new Scene(table, 400, 200);
        scene.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private StateCell<?> cell(FxRobot robot, int row) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup((Node n) -> n instanceof StateCell<?> c && c.getIndex() == row).queryAs(StateCell.class);
    }

    private static Label badge(StateCell<?> cell) {
        return (Label) cell.getGraphic().lookup(".state-badge");
    }

    @Test
    void aThrottledServiceShowsItsStateWithARedBadgeSayingHowMany(FxRobot robot) {
        StateCell<?> cell = cell(robot, 0);
        assertThat(((Label) cell.getGraphic().lookup(".state-text")).getText()).isEqualTo("Active");
        Label badge = badge(cell);
        assertThat(badge.isVisible()).isTrue();
        assertThat(badge.getText()).isEqualTo("1 of 2 throttled");
        assertThat(badge.getStyleClass()).contains("badge-throttled").doesNotContain("badge-flapping");
        assertThat(cell.getGraphic().getStyleClass()).contains("state-ok");
    }

    @Test
    void aFlappingServiceHasItsOwnBadgeAndAQuietServiceNone(FxRobot robot) {
        Label flapping = badge(cell(robot, 1));
        assertThat(flapping.getText()).isEqualTo("1 of 2 flapping");
        assertThat(flapping.getStyleClass()).contains("badge-flapping").doesNotContain("badge-throttled");
        assertThat(badge(cell(robot, 2)).isVisible()).as("nothing throttled, no badge").isFalse();
    }

    @Test
    void aMarkedServicesBadgeSaysItWholeWhenHoveredAndAQuietServiceCarriesNoTooltip(FxRobot robot) throws Exception {
        StateCell<?> throttled = cell(robot, 0);
        StateCell<?> quiet = cell(robot, 2);
        assertThat(WaitForAsyncUtils.asyncFx(() -> badge(throttled).getTooltip().getText()).get()).isEqualTo("1 of 2 throttled");
        // The grid's first frame makes a state cell a row; most rows have no badge, and need no tooltip.
        assertThat(WaitForAsyncUtils.asyncFx(() -> badge(quiet).getTooltip()).get()).as("a quiet service's hidden badge").isNull();
    }

    @Test
    void aNewCountWithTheSameStateAndMarkLeavesTheStyleClassesAloneAndAnotherMarkChangesThem(FxRobot robot) {
        StateCell<?> cell = cell(robot, 0);
        Node box = cell.getGraphic();
        Label badge = badge(cell);
        // Each change of a node's style classes has it and its children's styles worked out again
        // on the next pulse: a grid whose throttle counts move must not pay that for nothing.
        AtomicInteger changes = new AtomicInteger();
        ListChangeListener<String> counting = c -> changes.incrementAndGet();
        robot.interact(() -> {
            box.getStyleClass().addListener(counting);
            badge.getStyleClass().addListener(counting);
            first.set(new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.THROTTLED, "2 of 2 throttled", "2/2"));
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(cell(robot, 0)).isSameAs(cell);
        assertThat(badge.getText()).isEqualTo("2 of 2 throttled");
        assertThat(changes).as("style class changes for a new count").hasValue(0);

        robot.interact(() -> first.set(new StateSummary(ServiceState.STOPPED, StateSummary.Mark.FLAPPING, "1 of 2 flapping", "1/2")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(badge.getStyleClass()).contains("badge-flapping").doesNotContain("badge-throttled");
        assertThat(box.getStyleClass()).contains("state-off").doesNotContain("state-ok");
        robot.interact(() -> first.set(new StateSummary(ServiceState.STOPPED, StateSummary.Mark.NONE, "", "")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(badge.isVisible()).isFalse();
        assertThat(badge.getStyleClass()).doesNotContain("badge-flapping", "badge-throttled");
        robot.interact(() -> {
            box.getStyleClass().removeListener(counting);
            badge.getStyleClass().removeListener(counting);
        });
    }

    @Test
    void onlyAServiceInATransitionHasASpinningIndicatorAndOneThatSettledStopsItsSpinning(FxRobot robot) {
        StateCell<?> cell = cell(robot, 0);
        javafx.scene.control.ProgressIndicator progress = robot.from(cell.getGraphic())
                .lookup((Node n) -> n instanceof javafx.scene.control.ProgressIndicator).queryAs(javafx.scene.control.ProgressIndicator.class);
        // A hidden indicator that is indeterminate still animates, in every row of the grid, shown or not.
        assertThat(progress.isIndeterminate()).as("an Active service's indicator").isFalse();
        robot.interact(() -> first.set(new StateSummary(ServiceState.STARTING, StateSummary.Mark.NONE, "", "")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(progress.isVisible()).isTrue();
        assertThat(progress.isIndeterminate()).as("a Starting service's indicator").isTrue();
        robot.interact(() -> first.set(FIRST));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(progress.isVisible()).isFalse();
        assertThat(progress.isIndeterminate()).as("once Active again").isFalse();
    }

    @Test
    void inAColumnTooNarrowForItsWordsTheBadgeSaysItsFiguresWholeAndItsTooltipTheWords(FxRobot robot) throws Exception {
        robot.interact(() -> state.setPrefWidth(150));
        StateCell<?> cell = cell(robot, 0);
        Label badge = badge(cell);
        assertThat(badge.getText()).isEqualTo("1/2");
        assertThat(badge.isTextTruncated()).as("the figures, whole").isFalse();
        assertThat(((Label) cell.getGraphic().lookup(".state-text")).isTextTruncated()).as("the state's word").isFalse();
        assertThat(WaitForAsyncUtils.asyncFx(() -> badge.getTooltip().getText()).get()).isEqualTo("1 of 2 throttled");

        robot.interact(() -> state.setPrefWidth(300));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(badge.getText()).as("room again for the words").isEqualTo("1 of 2 throttled");
        assertThat(badge.isTextTruncated()).isFalse();
    }
}
