package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.SplitPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The services tab's split while the dashboard is shown (issue 12): out of the window, it is left
 * alone, pulse after pulse, whatever changes in it or around it, and shown again it fits the window.
 */
@ExtendWith(ApplicationExtension.class)
class ServicesSplitLayoutTest {
    /** Pulses let pass after a change before watching, and pulses watched. */
    private static final int SETTLING_PULSES = 5;
    private static final int WATCHED_PULSES = 12;

    private ConsoleFixture console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders", "billing");
        // The dashboard from the start, as the console left open on it: the services tab is never shown.
        console.session.mainView().showDashboard();
    }

    @AfterEach
    void close() throws Exception {
        try {
            WaitForAsyncUtils.asyncFx(() -> {
                stage.setWidth(1400);
                stage.setHeight(820);
            }).get(10, TimeUnit.SECONDS);
        } finally {
            console.close();
        }
    }

    @Test
    void theHiddenServicesSplitIsLeftAloneAndFitsTheWindowWhenShownAgain(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        robot.interact(() -> console.session.mainView().tabs().getSelectionModel().select(0));
        SplitPane split = onFx(() -> servicesSplit(robot));
        robot.interact(() -> console.session.mainView().showDashboard());
        pulses(SETTLING_PULSES);
        LayoutWatch watch = onFx(() -> new LayoutWatch(split));
        try {
            pulses(WATCHED_PULSES);
            assertThat(onFx(watch::seen)).as("the hidden split laid out while nothing changes").isEmpty();

            robot.interact(() -> stage.setHeight(stage.getHeight() - 40));
            pulses(WATCHED_PULSES);
            assertThat(onFx(watch::seen)).as("the hidden split laid out once the window is 40 px shorter").isEmpty();
        } finally {
            onFx(watch::release);
        }
        // Shown again, the split fills its tab's new height and keeps what decision 0039 gives each side.
        robot.clickOn("#tab-services .tab-label");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> split.getHeight())).as("the split's height in the shorter window")
                .isEqualTo(onFx(() -> split.getParent().getLayoutBounds().getHeight()));
        for (Node side : onFx(() -> List.copyOf(split.getItems()))) {
            assertThat(onFx(() -> side.getLayoutBounds().getHeight())).as("%s height", side.getStyleClass())
                    .isGreaterThanOrEqualTo(onFx(() -> side.minHeight(-1)));
        }
    }

    private static SplitPane servicesSplit(FxRobot robot) {
        return (SplitPane) robot.lookup(".split-pane").queryAll().stream()
                .filter(n -> n instanceof SplitPane s && s.getItems().stream().anyMatch(i -> i.getStyleClass().contains("details-view")))
                .findFirst().orElseThrow();
    }

    /**
     * What lays {@code split} out, as it happens: a layout asked of the split or of either side, the
     * divider moving, or a side or its slot in the split moved or resized.
     */
    private static final class LayoutWatch {
        private final List<String> seen = new ArrayList<>();
        private final List<Runnable> release = new ArrayList<>();

        LayoutWatch(SplitPane split) {
            watchLayout(split, "split");
            javafx.beans.value.ChangeListener<Number> divider = (o, was, now) -> seen.add("divider " + was + " -> " + now);
            split.getDividers().getFirst().positionProperty().addListener(divider);
            release.add(() -> split.getDividers().getFirst().positionProperty().removeListener(divider));
            for (Node side : split.getItems()) {
                String name = side.getStyleClass().toString();
                watchLayout((Parent) side, name);
                for (Node node : List.of(side, side.getParent())) {
                    javafx.beans.value.ChangeListener<Object> moved = (o, was, now) -> seen.add(name + " geometry " + was + " -> " + now);
                    node.layoutBoundsProperty().addListener(moved);
                    node.layoutYProperty().addListener(moved);
                    release.add(() -> {
                        node.layoutBoundsProperty().removeListener(moved);
                        node.layoutYProperty().removeListener(moved);
                    });
                }
            }
        }

        private void watchLayout(Parent parent, String name) {
            javafx.beans.value.ChangeListener<Boolean> asked = (o, was, now) -> {
                if (now) {
                    seen.add(name + " layout asked for");
                }
            };
            parent.needsLayoutProperty().addListener(asked);
            release.add(() -> parent.needsLayoutProperty().removeListener(asked));
        }

        List<String> seen() {
            return List.copyOf(seen);
        }

        Void clear() {
            seen.clear();
            return null;
        }

        Void release() {
            release.forEach(Runnable::run);
            return null;
        }
    }

    /** Lets {@code count} pulses pass, asking for each so that none depends on something else animating. */
    private void pulses(int count) throws Exception {
        CountDownLatch done = new CountDownLatch(count);
        WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Scene scene = stage.getScene();
            Runnable each = new Runnable() {
                @Override
                public void run() {
                    done.countDown();
                    if (done.getCount() == 0) {
                        scene.removePostLayoutPulseListener(this);
                    } else {
                        Platform.requestNextPulse();
                    }
                }
            };
            scene.addPostLayoutPulseListener(each);
            Platform.requestNextPulse();
        }).get(10, TimeUnit.SECONDS);
        assertThat(done.await(15, TimeUnit.SECONDS)).as("%d pulses", count).isTrue();
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * While the dashboard is shown, a change to a row of the hidden grid (its instance throttled and
     * back, as a flapping instance's is at each change) makes the row's cells ask for a layout, up
     * through the grid to the window's root, and the grid was laid out whole for it in that pulse
     * though nothing of it can be seen (issue 12, a flapping instance's pulses). The hidden grid is now
     * out of the window, and the row says what changed when its tab shows.
     */
    @Test
    void aChangeToARowOfTheHiddenGridIsLaidOutWhenTheGridShows(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        waitUntil(() -> console.session.services().row("orders").map(r -> r.instancesProperty().get() == 1).orElse(false));
        pulses(SETTLING_PULSES);
        Parent tabs = onFx(() -> console.session.mainView().tabs());
        boolean[] dirty = new boolean[1];
        robot.interact(() -> {
            console.session.services().apply(List.of(new org.sluice.fleet.FleetEvent.ThrottleChanged("orders", 0,
                    new org.sluice.throttle.ThrottleTransition(System.currentTimeMillis(), org.sluice.throttle.ThrottleState.NORMAL,
                            org.sluice.throttle.ThrottleState.THROTTLED, java.util.Set.of(org.sluice.throttle.Cause.MEMORY),
                            java.util.Optional.empty()))));
            dirty[0] = tabs.isNeedsLayout();
        });
        assertThat(onFx(() -> console.session.services().row("orders").orElseThrow().throttledProperty().get())).isOne();
        assertThat(dirty[0]).as("the tabs asked for a layout by a row of the hidden grid").isFalse();

        robot.interact(() -> console.session.mainView().tabs().getSelectionModel().select(0));
        waitUntil(() -> onFx(() -> robot.lookup("#services-table .table-cell").queryAll().stream()
                .anyMatch(n -> String.valueOf(((javafx.scene.control.Labeled) n).getText()).contains("1 throttled"))));
    }

    /**
     * A tab that is not shown keeps its content out of the window's scene (issue 12). TabPane keeps
     * every tab's content in the scene, hidden, and what changed there still marked the window for a
     * new frame: a row's buttons enabled or disabled, a state's spinner made or dropped. A frame in
     * which nothing that can be seen changed is painted whole by JavaFX, 12 to 18 ms with software
     * rendering, a dozen times a minute behind the dashboard. Shown again, the grid is as it was left,
     * with what changed meanwhile.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aTabThatIsNotShownHasItsContentOutOfTheWindow(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        robot.interact(() -> console.session.mainView().tabs().getSelectionModel().select(0));
        javafx.scene.control.TableView<?> table = onFx(() -> (javafx.scene.control.TableView<?>) robot.lookup("#services-table").query());
        robot.interact(() -> ((javafx.scene.control.TableView<Object>) (javafx.scene.control.TableView<?>) table).getSelectionModel()
                .select(console.session.services().row("billing").orElseThrow()));

        robot.interact(() -> console.session.mainView().showDashboard());
        assertThat(onFx(table::getScene)).as("the services grid's scene while the dashboard is shown").isNull();
        robot.interact(() -> console.session.services().apply(List.of(new org.sluice.fleet.FleetEvent.ThrottleChanged("orders", 0,
                new org.sluice.throttle.ThrottleTransition(System.currentTimeMillis(), org.sluice.throttle.ThrottleState.NORMAL,
                        org.sluice.throttle.ThrottleState.THROTTLED, java.util.Set.of(org.sluice.throttle.Cause.MEMORY),
                        java.util.Optional.empty())))));

        robot.interact(() -> console.session.mainView().tabs().getSelectionModel().select(0));
        assertThat(onFx(table::getScene)).as("the services grid's scene once its tab is shown").isSameAs(stage.getScene());
        assertThat(onFx(() -> table.getSelectionModel().getSelectedItem())).as("the row selected before")
                .isSameAs(onFx(() -> console.session.services().row("billing").orElseThrow()))
                .isSameAs(onFx(() -> console.session.services().selectedProperty().get()));
        waitUntil(() -> onFx(() -> robot.lookup("#services-table .table-cell").queryAll().stream()
                .anyMatch(n -> String.valueOf(((javafx.scene.control.Labeled) n).getText()).contains("1 throttled"))));
        robot.interact(() -> console.session.mainView().showDashboard());
        assertThat(onFx(() -> robot.lookup(".dashboard-view").tryQuery().map(Node::getScene).orElse(null)))
                .as("the dashboard's scene while shown").isSameAs(stage.getScene());
    }
}
