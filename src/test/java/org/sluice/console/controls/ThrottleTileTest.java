package org.sluice.console.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import atlantafx.base.theme.PrimerLight;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ThrottleTileTest {
    private static final PseudoClass THROTTLED = PseudoClass.getPseudoClass("throttled");
    private static final PseudoClass FLASHING = PseudoClass.getPseudoClass("flashing");
    private static final PseudoClass FLAPPING = PseudoClass.getPseudoClass("flapping");
    private static final long START = 1_700_000_000_000L;

    private final AtomicLong clock = new AtomicLong(START);
    private InstanceTileViewModel model;
    private ThrottleTile tile;

    @Start
    void start(Stage stage) {
        I18n i18n = new I18n(Locale.ENGLISH);
        model = new InstanceTileViewModel("orders", 1, 2, i18n, clock::get);
        tile = new ThrottleTile(model, i18n.bundle());
        Scene scene = new Scene(new StackPane(tile), 320, 200);
        scene.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private void feed(long fromMs, long toMs, double memory) {
        for (long t = fromMs; t <= toMs; t += 200) {
            model.addSample(new InstanceSample(t, memory, 12, 2, 0, 0, 0, 0, 1.0, 2.0));
        }
    }

    /**
     * Twenty seconds of samples, then {@code entries} entries into Throttled 3 s apart, each back to
     * Normal {@code normalAfterMs} later, and one more entry 3 s after the last: the instance ends
     * throttled, at {@code START + entries * 3 s} on the clock.
     */
    private void flap(int entries, long normalAfterMs) {
        feed(START - 20_000, START, 50);
        for (int i = 0; i <= entries; i++) {
            long time = START + i * 3_000L;
            clock.set(time);
            model.applyThrottle(new ThrottleTransition(time, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                    Set.of(Cause.CONCURRENCY), Optional.empty()));
            if (i < entries) {
                clock.set(time + normalAfterMs);
                model.applyThrottle(new ThrottleTransition(time + normalAfterMs, ThrottleState.THROTTLED, ThrottleState.NORMAL,
                        Set.of(), Optional.empty()));
            }
        }
    }

    private void pulse(FxRobot robot) {
        robot.interact(() -> tile.pulse(clock.get()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String badge(FxRobot robot) {
        return robot.lookup(".throttle-tile-badge").queryAs(Label.class).getText();
    }

    @Test
    void flashesOnThrottlingThenStaysMarkedUntilNormal(FxRobot robot) {
        robot.interact(() -> feed(START - 20_000, START, 50));
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).doesNotContain(THROTTLED, FLASHING);
        assertThat(badge(robot)).isEqualTo("Normal");
        assertThat(tile.getWindowMillis()).isEqualTo(ThrottleTile.DEFAULT_WINDOW_MILLIS);

        robot.interact(() -> {
            feed(START + 200, START + 1_000, 72);
            model.applyThrottle(new ThrottleTransition(START + 200, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                    Set.of(Cause.MEMORY), Optional.empty()));
        });
        clock.set(START + 1_000);
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).contains(THROTTLED, FLASHING);
        assertThat(badge(robot)).startsWith("Throttled").contains("Memory");

        clock.set(START + 1_000 + InstanceTileViewModel.FLASH_MILLIS);
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).contains(THROTTLED).doesNotContain(FLASHING);
        assertThat(badge(robot)).isEqualTo("Throttled · Memory · 3 s");

        robot.interact(() -> model.applyThrottle(new ThrottleTransition(START + 5_000, ThrottleState.THROTTLED,
                ThrottleState.NORMAL, Set.of(),
                Optional.of(new ThrottleEpisode(START + 200, OptionalLong.of(START + 5_000), Set.of(Cause.MEMORY))))));
        clock.set(START + 5_000);
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).doesNotContain(THROTTLED, FLASHING);
        assertThat(badge(robot)).isEqualTo("Normal");
    }

    @Test
    void theFlashBlinksByTheClock(FxRobot robot) {
        robot.interact(() -> model.applyThrottle(new ThrottleTransition(START, ThrottleState.NORMAL,
                ThrottleState.THROTTLED, Set.of(Cause.CONCURRENCY), Optional.empty())));
        pulse(robot);
        var flash = robot.lookup(".throttle-tile-flash").query();
        assertThat(flash.isVisible()).isTrue();

        clock.set(START + ThrottleTile.FLASH_HALF_PERIOD_MILLIS);
        pulse(robot);
        assertThat(flash.isVisible()).isFalse();

        clock.set(START + 2 * ThrottleTile.FLASH_HALF_PERIOD_MILLIS);
        pulse(robot);
        assertThat(flash.isVisible()).isTrue();

        clock.set(START + InstanceTileViewModel.FLASH_MILLIS);
        pulse(robot);
        assertThat(flash.isVisible()).isFalse();
    }

    @Test
    void redrawsOnlyWhenSomethingDrawnChanged(FxRobot robot) {
        robot.interact(() -> feed(START - 10_000, START, 40));
        pulse(robot);
        int drawn = tile.drawCount();

        clock.addAndGet(16);
        pulse(robot);
        clock.addAndGet(16);
        pulse(robot);
        assertThat(tile.drawCount()).as("idle pulses draw nothing").isEqualTo(drawn);

        robot.interact(() -> {
            feed(START + 200, START + 400, 41);
            tile.pulse(clock.get());
            tile.pulse(clock.get() + 16);
        });
        assertThat(tile.drawCount()).as("two samples, one frame, one draw").isEqualTo(drawn + 1);

        robot.interact(() -> tile.setWindowMillis(5 * 60_000));
        pulse(robot);
        assertThat(tile.drawCount()).isEqualTo(drawn + 2);
    }

    @Test
    void aTileShownForAnotherInstanceShowsThatOnesKeyStateAndHistoryAtOnce(FxRobot robot) {
        // The tile's instance throttled and flashing, its history ending now.
        robot.interact(() -> {
            feed(START - 20_000, START, 72);
            model.applyThrottle(new ThrottleTransition(START, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                    Set.of(Cause.MEMORY), Optional.empty()));
        });
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).contains(THROTTLED, FLASHING);
        int drawn = tile.drawCount();

        // Another instance, Normal, whose history ended ten minutes ago.
        InstanceTileViewModel other = new InstanceTileViewModel("billing", 0, 2, new I18n(Locale.ENGLISH), clock::get);
        long otherEnd = START - 600_000;
        for (long t = otherEnd - 20_000; t <= otherEnd; t += 200) {
            other.addSample(new InstanceSample(t, 30, 3, 2, 0, 0, 0, 0, 1.0, 2.0));
        }
        robot.interact(() -> tile.show(other));

        // No pulse yet: what a wall shows in the frame it rebinds the tile.
        assertThat(tile.getModel()).isSameAs(other);
        assertThat(robot.lookup(".throttle-tile-title").queryAs(Label.class).getText()).isEqualTo("billing#0");
        assertThat(badge(robot)).isEqualTo("Normal");
        assertThat(tile.getPseudoClassStates()).doesNotContain(THROTTLED, FLASHING, FLAPPING);
        assertThat(robot.lookup(".throttle-tile-flash").query().isVisible()).isFalse();
        assertThat(tile.drawCount()).as("drawn at once").isEqualTo(drawn + 1);
        assertThat(tile.timeAt(0)).as("the left edge of the charts: the other's minute").hasValue(otherEnd - 60_000);

        // The first instance's changes no longer reach the tile.
        robot.interact(() -> model.applyThrottle(new ThrottleTransition(START + 1_000, ThrottleState.THROTTLED,
                ThrottleState.NORMAL, Set.of(), Optional.empty())));
        robot.interact(() -> other.applyThrottle(new ThrottleTransition(otherEnd, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY), Optional.empty())));
        assertThat(badge(robot)).startsWith("Throttled · Messages in process");
    }

    @Test
    void enteringThrottledRedrawsTheChartsOnceAndTheFlashAndItsMarksRedrawNothing(FxRobot robot) {
        robot.interact(() -> {
            tile.setWindowMillis(60 * 60_000);
            feed(START - 20_000, START, 50);
        });
        pulse(robot);
        int drawn = tile.drawCount();

        // The entry, then the pulses of its flash, each followed by the scene's CSS pass for the marks.
        robot.interact(() -> model.applyThrottle(new ThrottleTransition(START, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY), Optional.empty())));
        for (long t = START; t <= START + InstanceTileViewModel.FLASH_MILLIS + 500; t += ThrottleTile.FLASH_HALF_PERIOD_MILLIS) {
            clock.set(t);
            pulse(robot);
            robot.interact(tile::applyCss);
        }
        assertThat(tile.getPseudoClassStates()).contains(THROTTLED).doesNotContain(FLASHING);
        assertThat(tile.drawCount()).as("one drawing of the hour's history for the entry").isEqualTo(drawn + 1);
    }

    @Test
    void aFlappingTileDrawsOncePerSampleAndThrottleChangeNotAtEveryPulse(FxRobot robot) {
        robot.interact(() -> flap(5, 1_500));
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).contains(FLAPPING);
        int drawn = tile.drawCount();

        // One second of pulses, 60 of them, while throttled and flapping, with five samples in it.
        robot.interact(() -> {
            for (int frame = 1; frame <= 60; frame++) {
                long now = START + 15_000 + frame * 1_000L / 60;
                clock.set(now);
                if (frame % 12 == 0) {
                    model.addSample(new InstanceSample(now, 50, 110, 2, 0, 0, 0, 0, 1.0, 2.0));
                }
                tile.pulse(now);
                tile.applyCss();
            }
        });

        assertThat(tile.drawCount() - drawn).as("draws in a second of pulses").isLessThanOrEqualTo(5);
    }

    @Test
    void aFlappingInstanceIsMarkedFlappingInsteadOfThrottledAndDoesNotBlink(FxRobot robot) {
        robot.interact(() -> flap(4, 1_000));
        pulse(robot);
        assertThat(tile.getPseudoClassStates()).contains(FLAPPING).doesNotContain(THROTTLED, FLASHING);
        assertThat(robot.lookup(".throttle-tile-flash").query().isVisible()).isFalse();
        assertThat(badge(robot)).isEqualTo("Flapping · throttled 5 times in 12 s");
    }

    @Test
    void hoveringTheChartsReadsOutTheTimeAndBothValuesAgainstTheirThresholds(FxRobot robot) {
        robot.interact(() -> {
            tile.showReadoutOnHover();
            // The first half of the minute at 30 %, the second at 65 %, always 12 messages in process.
            feed(START - 60_000, START - 30_000, 30);
            feed(START - 29_800, START, 65);
        });
        pulse(robot);
        Label readout = robot.lookup(".throttle-tile-readout").queryAs(Label.class);
        assertThat(readout.isVisible()).as("nothing until hovered").isFalse();

        // Three quarters across the plot: about 15 s before the newest sample.
        Canvas canvas = robot.lookup((javafx.scene.Node n) -> n instanceof Canvas).queryAs(Canvas.class);
        javafx.geometry.Bounds area = canvas.localToScreen(canvas.getLayoutBounds());
        robot.moveTo(new javafx.geometry.Point2D(area.getMinX() + area.getWidth() * 0.7, area.getMinY() + area.getHeight() / 2));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(readout.isVisible()).isTrue();
        String[] lines = readout.getText().split("\n");
        assertThat(lines).hasSize(3);
        // Said as the console's lists say a time, in English here: "3:43:12 PM".
        java.time.LocalTime shown = java.time.LocalTime.parse(lines[0], java.time.format.DateTimeFormatter
                .ofLocalizedTime(java.time.format.FormatStyle.MEDIUM).withLocale(java.util.Locale.ENGLISH));
        java.time.LocalTime newest = java.time.Instant.ofEpochMilli(START).atZone(java.time.ZoneId.systemDefault()).toLocalTime();
        assertThat(java.time.Duration.between(shown, newest).toSeconds()).isBetween(5L, 29L);
        assertThat(lines[1]).isEqualTo("Memory 65 % (high 70 %, low 60 %)");
        assertThat(lines[2]).isEqualTo("Messages in process 12 (high 200, low 80)");

        robot.moveTo(new javafx.geometry.Point2D(area.getMinX() - 40, area.getMinY() - 40));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(readout.isVisible()).as("gone when the pointer leaves").isFalse();
    }

    /**
     * A flip of a flapping instance changes its badge's words ("Flapping · throttled 12 times in
     * 40 s"), and a label whose text changes asks its parents for a layout. The tile's size does not
     * follow what it shows, so the layout stops at the tile: its badge is placed again, and nothing
     * above it is laid out for it (issue 12, a flapping instance's pulses).
     */
    @Test
    void aNewBadgeLaysOutTheTileAloneNotWhatHoldsIt(FxRobot robot) {
        StackPane holder = (StackPane) tile.getParent();
        Label badge = robot.lookup(".throttle-tile-badge").queryAs(Label.class);
        robot.interact(() -> feed(START - 20_000, START, 50));
        pulse(robot);
        double before = badge.getWidth();
        boolean[] dirty = new boolean[3];
        robot.interact(() -> {
            model.applyThrottle(new ThrottleTransition(START, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                    Set.of(Cause.CONCURRENCY), Optional.empty()));
            tile.pulse(START);
            dirty[0] = holder.isNeedsLayout();
            dirty[1] = tile.getScene().getRoot().isNeedsLayout();
            dirty[2] = tile.isNeedsLayout();
        });
        assertThat(dirty[0]).as("the tile's parent asked for a layout by the new badge").isFalse();
        assertThat(dirty[1]).as("the scene's root asked for a layout by the new badge").isFalse();
        assertThat(dirty[2]).as("the tile itself to be laid out again").isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(badge.getText()).startsWith("Throttled");
        assertThat(badge.getWidth()).as("the badge laid out for its new words").isNotEqualTo(before);
        assertThat(badge.getWidth()).isEqualTo(badge.prefWidth(-1), org.assertj.core.data.Offset.offset(1.0));
    }
}
