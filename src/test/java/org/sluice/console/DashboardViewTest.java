package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.controls.ThrottleTile;
import org.sluice.fleet.FleetEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The dashboard's wall with many instances: only the tiles in view are nodes, and each shows its own instance. */
@ExtendWith(ApplicationExtension.class)
class DashboardViewTest {
    private static final PseudoClass THROTTLED = PseudoClass.getPseudoClass("throttled");
    /** 150 services of two instances each: the 300 instances of issue 14. */
    private static final int SERVICES = 150;
    private ConsoleFixture console;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.ENGLISH);
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }

    private static String service(int i) {
        return String.format("svc%03d", i);
    }

    /** Every instance sampled once, and svc001#1 throttled; as one pulse's events. */
    private void addInstances(FxRobot robot) {
        long now = System.currentTimeMillis();
        List<FleetEvent> events = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            for (int index = 0; index < 2; index++) {
                events.add(new FleetEvent.InstanceSampled(service(i), index,
                        new InstanceSample(now, 20 + i % 50, index, 1, 0, 0, 0, 0, 1.0, 2.0)));
            }
        }
        events.add(new FleetEvent.ThrottleChanged(service(1), 1, new ThrottleTransition(now, ThrottleState.NORMAL,
                ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        robot.interact(() -> console.session.dashboard().apply(events));
    }

    private static List<ThrottleTile> tileNodes(FxRobot robot) {
        return robot.lookup("#tile-wall").queryAll().stream().findFirst().map(wall -> robot.from(wall).lookup(".throttle-tile")
                .queryAll().stream().map(ThrottleTile.class::cast).toList()).orElse(List.of());
    }

    private static ScrollPane scroll(FxRobot robot) {
        Node node = robot.lookup("#tile-wall").query();
        while (!(node instanceof ScrollPane)) {
            node = node.getParent();
        }
        return (ScrollPane) node;
    }

    /** How many tiles fit the scroll pane's view, and a row more above and below it, with a part row at each edge. */
    private static int fitInView(ScrollPane scroll) {
        int columns = Math.max(1, (int) Math.floor((scroll.getViewportBounds().getWidth() - 20 + 10) / 310));
        int rows = (int) Math.ceil(scroll.getViewportBounds().getHeight() / 200) + 1;
        return columns * (rows + 2);
    }

    private static javafx.geometry.Bounds sceneBounds(Node node) {
        return node.localToScene(node.getLayoutBounds());
    }

    private static String title(ThrottleTile tile) {
        return ((Label) tile.lookup(".throttle-tile-title")).getText();
    }

    private static String badge(ThrottleTile tile) {
        return ((Label) tile.lookup(".throttle-tile-badge")).getText();
    }

    @Test
    void onlyTheTilesInViewAreNodesAndATileScrolledBackInShowsItsOwnInstance(FxRobot robot) throws Exception {
        robot.clickOn("#tab-dashboard .tab-label");
        addInstances(robot);
        waitUntil(() -> onFx(() -> console.session.dashboardView().tile(service(0) + "#0") != null));
        ScrollPane scroll = scroll(robot);

        int bound = onFx(() -> fitInView(scroll));
        assertThat(bound).as("the view holds a few rows of tiles").isLessThan(40);
        assertThat(onFx(() -> tileNodes(robot).size())).as("tile nodes with 300 instances").isBetween(1, bound);
        // Side by side in the order the instances came, as the flow of tiles was.
        javafx.geometry.Bounds first = onFx(() -> sceneBounds(console.session.dashboardView().tile(service(0) + "#0")));
        javafx.geometry.Bounds second = onFx(() -> sceneBounds(console.session.dashboardView().tile(service(0) + "#1")));
        assertThat(second.getMinX() - first.getMinX()).isEqualTo(310);
        assertThat(second.getMinY()).isEqualTo(first.getMinY());
        assertThat(first.getWidth()).isEqualTo(300);
        assertThat(first.getHeight()).isEqualTo(190);

        // The end of the wall: the last instance's tile, and still only a screenful of nodes.
        String last = service(SERVICES - 1) + "#1";
        robot.interact(() -> scroll.setVvalue(scroll.getVmax()));
        waitUntil(() -> onFx(() -> console.session.dashboardView().tile(last) != null));
        assertThat(onFx(() -> title(console.session.dashboardView().tile(last)))).isEqualTo(last);
        assertThat(onFx(() -> console.session.dashboardView().tile(service(0) + "#0"))).as("scrolled away").isNull();
        assertThat(onFx(() -> tileNodes(robot).size())).isBetween(1, bound);

        // Back at the top, every node shows its own instance: its key, badge, marks and view model.
        robot.interact(() -> scroll.setVvalue(scroll.getVmin()));
        String throttled = service(1) + "#1";
        waitUntil(() -> onFx(() -> console.session.dashboardView().tile(throttled) != null));
        onFx(() -> {
            for (ThrottleTile tile : tileNodes(robot)) {
                String key = tile.getModel().key();
                assertThat(tile.getModel()).isSameAs(console.session.dashboard().tile(key));
                assertThat(title(tile)).isEqualTo(key);
                assertThat(badge(tile)).as(key).isEqualTo(tile.getModel().getBadgeText());
                assertThat(tile.getPseudoClassStates().contains(THROTTLED)).as(key).isEqualTo(key.equals(throttled));
            }
            return null;
        });
        assertThat(onFx(() -> badge(console.session.dashboardView().tile(throttled)))).startsWith("Throttled · Memory");
        assertThat(onFx(() -> tileNodes(robot).size())).isBetween(1, bound);
    }

    /** The charts' canvas of a tile. */
    private static Node charts(ThrottleTile tile) {
        return tile.getChildrenUnmodifiable().stream().filter(javafx.scene.canvas.Canvas.class::isInstance).findFirst().orElseThrow();
    }

    /** A new sample of a tile's instance, so that the tile has something to draw. */
    private void sample(FxRobot robot, ThrottleTile tile) {
        robot.interact(() -> console.session.dashboard().apply(List.of(new FleetEvent.InstanceSampled(tile.getModel().service(),
                tile.getModel().index(), new InstanceSample(System.currentTimeMillis(), 77, 3, 1, 0, 0, 0, 0, 1.0, 2.0)))));
    }

    /**
     * A tile whose header is in view but whose charts are below the view's edge keeps its charts
     * until they show: drawn, the canvas is clipped away whole, and a frame whose only change lies
     * outside the window is one the renderer paints whole (docs/perf.md, "Whole-window repaints at
     * one height: found").
     */
    @Test
    void aTileWhoseChartsAreClippedAwayIsNotRedrawnUntilTheyShow(FxRobot robot) throws Exception {
        robot.clickOn("#tab-dashboard .tab-label");
        addInstances(robot);
        waitUntil(() -> onFx(() -> console.session.dashboardView().tile(service(0) + "#0") != null));
        ScrollPane scroll = scroll(robot);
        Node viewport = onFx(() -> scroll.lookup(".viewport"));
        Node wall = robot.lookup("#tile-wall").query();
        // A tile of the row kept below the view; the view's bottom edge is moved to halfway down its header.
        ThrottleTile cut = onFx(() -> {
            javafx.geometry.Bounds view = sceneBounds(viewport);
            return tileNodes(robot).stream().filter(t -> sceneBounds(t).getMinY() > view.getMaxY())
                    .min(java.util.Comparator.comparingDouble(t -> sceneBounds(t).getMinY())).orElseThrow();
        });
        robot.interact(() -> {
            javafx.geometry.Bounds view = sceneBounds(viewport);
            double by = sceneBounds(cut).getMinY() + charts(cut).getLayoutY() / 2 - view.getMaxY();
            double range = wall.getLayoutBounds().getHeight() - view.getHeight();
            scroll.setVvalue((scroll.getVvalue() * range + by) / range);
        });
        WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> {
            javafx.geometry.Bounds view = sceneBounds(viewport);
            assertThat(sceneBounds(cut).intersects(view)).as("the tile's header in view").isTrue();
            assertThat(sceneBounds(charts(cut)).getMinY()).as("its charts' top, below the view's bottom").isGreaterThanOrEqualTo(view.getMaxY());
            return null;
        });
        ThrottleTile whole = onFx(() -> console.session.dashboardView().tile(service(0) + "#0"));
        int cutDrawn = onFx(cut::drawCount);
        int wholeDrawn = onFx(whole::drawCount);

        sample(robot, cut);
        sample(robot, whole);
        robot.interact(() -> console.session.dashboardView().pulse(System.currentTimeMillis()));
        assertThat(onFx(whole::drawCount)).as("a tile in view, drawn again").isGreaterThan(wholeDrawn);
        assertThat(onFx(cut::drawCount)).as("the tile whose charts are clipped away, not drawn").isEqualTo(cutDrawn);

        // Scrolled until its charts show, it draws what it has kept.
        robot.interact(() -> {
            double range = wall.getLayoutBounds().getHeight() - sceneBounds(viewport).getHeight();
            scroll.setVvalue((scroll.getVvalue() * range + charts(cut).getLayoutY()) / range);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> console.session.dashboardView().pulse(System.currentTimeMillis()));
        assertThat(onFx(cut::drawCount)).as("drawn once its charts show").isGreaterThan(cutDrawn);
    }

    /** One change of svc001#0's throttle state, Normal to Throttled or back, as one pulse's events. */
    /** Shows the dashboard, then has service 1's instance enter and leave Throttled {@code changes} times in all. */
    private void flipOnTheDashboard(FxRobot robot, int changes) {
        robot.clickOn("#tab-dashboard .tab-label");
        for (int i = 0; i < changes; i++) {
            flip(robot, i % 2 == 0);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void flip(FxRobot robot, boolean entering) {
        ThrottleTransition transition = entering
                ? new ThrottleTransition(System.currentTimeMillis(), ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY),
                        Optional.empty())
                : new ThrottleTransition(System.currentTimeMillis(), ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of(), Optional.empty());
        robot.interact(() -> console.session.dashboard().apply(List.of(new FleetEvent.ThrottleChanged(service(1), 0, transition))));
    }

    private static List<javafx.scene.control.ListCell<?>> eventCells(FxRobot robot) {
        return robot.from(robot.lookup("#throttle-events").<Node>query()).lookup(".list-cell").queryAll().stream()
                .<javafx.scene.control.ListCell<?>>map(n -> (javafx.scene.control.ListCell<?>) n).filter(c -> !c.isEmpty()).toList();
    }

    /**
     * A flapping instance adds an event at the top of the list at each change, and every event
     * below moves down a cell, Throttled where Normal was and back. Each cell then takes the colour
     * of its new event by a pseudo-class, not by a change of its style classes, which would make
     * JavaFX match the cell against every rule of the stylesheets again (issue 12: the cells of the
     * list cost the most of a flapping instance's frames).
     */
    @Test
    void theEventsListsCellsFollowTheirEventsColourWithoutBeingStyledAnew(FxRobot robot) throws Exception {
        flipOnTheDashboard(robot, 8);
        waitUntil(() -> onFx(() -> eventCells(robot).size() >= 3));
        List<javafx.scene.control.ListCell<?>> cells = onFx(() -> eventCells(robot));
        int[] styleClassChanges = {0};
        onFx(() -> {
            cells.forEach(c -> c.getStyleClass().addListener((javafx.collections.ListChangeListener<String>) change -> styleClassChanges[0]++));
            return null;
        });

        flip(robot, true);
        WaitForAsyncUtils.waitForFxEvents();
        flip(robot, false);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(styleClassChanges[0]).as("changes of the cells' style classes over two new events").isZero();
        onFx(() -> {
            java.util.Set<javafx.scene.paint.Paint> throttled = new java.util.HashSet<>();
            java.util.Set<javafx.scene.paint.Paint> normal = new java.util.HashSet<>();
            for (javafx.scene.control.ListCell<?> cell : eventCells(robot)) {
                boolean entered = ((org.sluice.console.viewmodel.ThrottleEvent) cell.getItem()).entered();
                assertThat(cell.getText()).as("the event's words").contains(entered ? "is throttled" : "is normal again");
                (entered ? throttled : normal).add(cell.getTextFill());
            }
            assertThat(throttled).as("one colour for the events into Throttled").hasSize(1);
            assertThat(normal).as("one colour for the events back to Normal").hasSize(1);
            assertThat(throttled).as("not the colour of the events back to Normal").doesNotContainAnyElementsOf(normal);
            return null;
        });
    }

    /**
     * A flapping instance's notification line counts on at each entry ("throttled 5 times in 9 s"):
     * its text changes, and a label whose text changes asks its parents for a layout up to the
     * window's root. The line's height does not follow its words (one line, cut with an ellipsis),
     * so it lays out its own children and nothing above it (issue 12, a flapping instance's pulses).
     */
    @Test
    void theNotificationLinesNewCountLaysOutTheLineAloneNotTheWindow(FxRobot robot) throws Exception {
        flipOnTheDashboard(robot, 8);
        javafx.scene.Parent bar = robot.lookup("#throttle-notice").query();
        Label text = robot.lookup("#throttle-notice-text").queryAs(Label.class);
        waitUntil(() -> onFx(() -> bar.isVisible() && text.getText().contains("is flapping")));
        String before = onFx(text::getText);
        boolean[] dirty = new boolean[2];
        robot.interact(() -> {
            console.session.dashboard().apply(List.of(new FleetEvent.ThrottleChanged(service(1), 0, new ThrottleTransition(
                    System.currentTimeMillis(), ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty()))));
            dirty[0] = bar.getParent().isNeedsLayout();
            dirty[1] = bar.isNeedsLayout();
        });
        assertThat(onFx(text::getText)).as("the count went on").isNotEqualTo(before).contains("is flapping");
        assertThat(dirty[0]).as("what holds the line asked for a layout by its new count").isFalse();
        assertThat(dirty[1]).as("the line itself to be laid out again").isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> text.getWidth())).as("the words laid out in the line").isGreaterThan(0);
        assertThat(onFx(() -> text.isNeedsLayout() || bar.isNeedsLayout())).isFalse();
    }

    /**
     * Each change of a flapping instance adds an event at the top of the events list, and the list
     * then asked its parents for a layout up to the window's root: the dashboard's split, its side
     * and the tabs were laid out again in each such pulse, though the list's size does not follow its
     * events. The list now lays out its own cells and nothing above it (issue 12, a flapping
     * instance's pulses), and its new top line shows the new event.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aNewEventLaysOutTheEventsListAloneNotWhatHoldsIt(FxRobot robot) throws Exception {
        flipOnTheDashboard(robot, 4);
        waitUntil(() -> onFx(() -> eventCells(robot).size() >= 4));
        javafx.scene.control.ListView<?> events = onFx(() -> (javafx.scene.control.ListView<?>) robot.lookup("#throttle-events").query());
        boolean[] dirty = new boolean[3];
        java.util.concurrent.CountDownLatch listed = new java.util.concurrent.CountDownLatch(1);
        // Read as the list takes the event, a frame after it came (the test above).
        javafx.collections.ListChangeListener<Object> taken = change -> {
            dirty[0] = events.getParent().isNeedsLayout();
            dirty[1] = events.getScene().getRoot().isNeedsLayout();
            dirty[2] = events.isNeedsLayout();
            listed.countDown();
        };
        robot.interact(() -> {
            ((javafx.collections.ObservableList<Object>) events.getItems()).addListener(taken);
            console.session.dashboard().apply(List.of(new FleetEvent.ThrottleChanged(service(1), 0, new ThrottleTransition(
                    System.currentTimeMillis(), ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty()))));
        });
        assertThat(listed.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the event listed").isTrue();
        robot.interact(() -> ((javafx.collections.ObservableList<Object>) events.getItems()).removeListener(taken));
        assertThat(dirty[0]).as("what holds the events list asked for a layout by a new event").isFalse();
        assertThat(dirty[1]).as("the window's root asked for a layout by a new event").isFalse();
        assertThat(dirty[2]).as("the list itself to be laid out again").isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil(() -> onFx(() -> eventCells(robot).stream().anyMatch(c -> c.getIndex() == 0
                && String.valueOf(c.getText()).endsWith("svc001#0 is throttled: Memory"))));
    }

    /**
     * A new event reaches the events list on the frame after the one in which it arrived (issue 12).
     * The frame in which an instance changes state already redraws its tile, the detail chart and the
     * notification; the list, whose every line moves down for a new event, was laid out and painted in
     * that same frame, and with software rendering such a frame went over its 8 ms about once a
     * second while an instance flapped. A frame later, nobody can tell, and each frame stays short.
     */
    @Test
    void aNewEventReachesTheEventsListOnTheFrameAfterTheOneItArrivedIn(FxRobot robot) throws Exception {
        flipOnTheDashboard(robot, 4);
        waitUntil(() -> onFx(() -> eventCells(robot).size() >= 4));
        javafx.scene.control.ListView<?> events = onFx(() -> (javafx.scene.control.ListView<?>) robot.lookup("#throttle-events").query());
        int[] shown = new int[2];
        robot.interact(() -> {
            shown[0] = events.getItems().size();
            console.session.dashboard().apply(List.of(new FleetEvent.ThrottleChanged(service(1), 0, new ThrottleTransition(
                    System.currentTimeMillis(), ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty()))));
            console.session.dashboardView().pulse(System.currentTimeMillis());
            shown[1] = events.getItems().size();
        });
        assertThat(shown[1]).as("events listed at the end of the frame the event arrived in").isEqualTo(shown[0]);
        assertThat(onFx(() -> console.session.dashboard().events().size())).as("events the dashboard holds").isEqualTo(shown[0] + 1);
        waitUntil(() -> onFx(() -> eventCells(robot).stream().anyMatch(c -> c.getIndex() == 0
                && String.valueOf(c.getText()).endsWith("svc001#0 is throttled: Memory"))));
        assertThat(onFx(() -> List.copyOf(events.getItems()))).as("the events listed, a frame later")
                .isEqualTo(onFx(() -> List.copyOf(console.session.dashboard().events())));
    }
}
