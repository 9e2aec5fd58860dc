package org.sluice.console.controls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.PixelReader;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The charts as the operator reads them, taken from the pixels the painter leaves on a canvas. */
@ExtendWith(ApplicationExtension.class)
class ThrottleTilePainterTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final Color THROTTLED = Color.RED;
    private static final ThrottleTilePainter.Palette PALETTE = new ThrottleTilePainter.Palette(Color.BLUE, Color.BLACK,
            Color.GRAY, Color.YELLOW, Color.ORANGE, Color.DARKRED, THROTTLED);
    // A 300 x 160 canvas with a 13 px key font: the memory chart's plot spans y 13-77 with its 70 %
    // line near y 32, the messages chart's y 96-160 with its high line near y 106, and the plots
    // end some 30 px short of the right edge, where the threshold labels go.
    private static final double WIDTH = 300;
    private static final double HEIGHT = 160;
    private static final int MEMORY_ROW = 20;
    private static final int MESSAGES_ROW = 100;

    @Test
    void throttledPeriodsAreShadedOnBothChartsWhereTheyFallInTheWindowAndNowhereElse() throws Exception {
        InstanceTileViewModel model = new InstanceTileViewModel("orders", 0, 2, new I18n(Locale.ENGLISH), () -> NOW);
        for (long t = NOW - 60_000; t <= NOW; t += 200) {
            model.addSample(new InstanceSample(t, 10, 0, 2, 0, 0, 0, 0, 1.0, 2.0));
        }
        // One period 50 to 40 s ago, and one that began 30 s ago and goes on.
        model.applyThrottle(new ThrottleTransition(NOW - 50_000, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY), Optional.empty()));
        model.applyThrottle(new ThrottleTransition(NOW - 40_000, ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of(),
                Optional.of(new ThrottleEpisode(NOW - 50_000, OptionalLong.of(NOW - 40_000), Set.of(Cause.MEMORY)))));
        model.applyThrottle(new ThrottleTransition(NOW - 30_000, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY), Optional.empty()));

        PixelReader pixels = WaitForAsyncUtils.asyncFx(() -> {
            Canvas canvas = new Canvas(WIDTH, HEIGHT);
            new ThrottleTilePainter(model, new I18n(Locale.ENGLISH).bundle()).paint(canvas.getGraphicsContext2D(),
                    WIDTH, HEIGHT, Font.font(13), PALETTE, 60_000, NOW);
            SnapshotParameters parameters = new SnapshotParameters();
            parameters.setFill(Color.TRANSPARENT);
            return canvas.snapshot(parameters, null).getPixelReader();
        }).get(10, TimeUnit.SECONDS);

        // With a plot about 270 px wide, a minute's window puts 10 s at about 45 px.
        for (int row : new int[] {MEMORY_ROW, MESSAGES_ROW}) {
            assertThat(pixels.getColor(20, row)).as("before the first period, row %d", row).isNotEqualTo(THROTTLED);
            assertThat(pixels.getColor(68, row)).as("in the first period, row %d", row).isEqualTo(THROTTLED);
            assertThat(pixels.getColor(112, row)).as("between the periods, row %d", row).isNotEqualTo(THROTTLED);
            assertThat(pixels.getColor(200, row)).as("in the period still open, row %d", row).isEqualTo(THROTTLED);
        }
    }

    @Test
    void theTimeAxisLabelsTheWindowWithClockTimesThatFitAndNotOverlap() throws Exception {
        long end = 1_700_049_600_000L; // 12:00:00 UTC
        InstanceTileViewModel model = new InstanceTileViewModel("orders", 0, 2, new I18n(Locale.ENGLISH), () -> end);
        for (long t = end - 15 * 60_000; t <= end; t += 1_000) {
            model.addSample(new InstanceSample(t, 10, 0, 2, 0, 0, 0, 0, 1.0, 2.0));
        }
        // A 24-hour clock, as British English says a time.
        ThrottleTilePainter painter = WaitForAsyncUtils.asyncFx(
                () -> new ThrottleTilePainter(model, new I18n(Locale.ENGLISH).bundle(), ZoneOffset.UTC, Locale.UK)).get(10, TimeUnit.SECONDS);

        PixelReader pixels = paint(painter, 60_000);
        // Every 15 s across a minute; the one at the left edge would be cut in half, so it is left out.
        assertThat(painter.lastTimeTicks()).extracting(ThrottleTilePainter.Tick::label)
                .containsExactly("11:59:15", "11:59:30", "11:59:45", "12:00:00");
        ThrottleTilePainter.Tick first = painter.lastTimeTicks().get(0);
        assertThat(first.x()).isCloseTo(painter.lastTimeTicks().get(3).x() / 4, within(1.0));
        assertThat(inked(pixels, (int) first.x(), (int) HEIGHT - 8)).as("the label is drawn under its tick").isTrue();

        paint(painter, 15 * 60_000);
        assertThat(painter.lastTimeTicks()).extracting(ThrottleTilePainter.Tick::label)
                .as("longer windows count in minutes").containsExactly("11:50", "11:55", "12:00");
    }

    @Test
    void theTimeAxisSaysClockTimesAsTheConsolesListsDoInItsLanguage() throws Exception {
        long end = 1_700_063_580_000L; // 15:53:00 UTC
        InstanceTileViewModel model = new InstanceTileViewModel("orders", 0, 2, new I18n(Locale.ENGLISH), () -> end);
        for (long t = end - 15 * 60_000; t <= end; t += 1_000) {
            model.addSample(new InstanceSample(t, 10, 0, 2, 0, 0, 0, 0, 1.0, 2.0));
        }
        for (Locale locale : List.of(Locale.ENGLISH, Locale.KOREAN)) {
            I18n i18n = new I18n(locale);
            ThrottleTilePainter painter = WaitForAsyncUtils.asyncFx(
                    () -> new ThrottleTilePainter(model, i18n.bundle(), ZoneOffset.UTC, i18n.locale())).get(10, TimeUnit.SECONDS);
            // As the events, the operation log and the status line say it: "3:53:00 PM", "오후 3:53:00".
            java.time.format.DateTimeFormatter lists = java.time.format.DateTimeFormatter
                    .ofLocalizedTime(java.time.format.FormatStyle.MEDIUM).withLocale(locale).withZone(ZoneOffset.UTC);
            paint(painter, 60_000);
            assertThat(painter.lastTimeTicks()).as("a minute in %s", locale).extracting(ThrottleTilePainter.Tick::label)
                    .isNotEmpty().allMatch(label -> label.equals(lists.format(java.time.LocalTime.parse(label, lists))));
            assertThat(painter.lastTimeTicks().get(0).label()).as("a minute in %s", locale)
                    .isEqualTo(lists.format(java.time.Instant.ofEpochMilli(end - 30_000)));
            // Coarser steps leave the seconds out, in the locale's short form: "3:50 PM", "오후 3:50".
            java.time.format.DateTimeFormatter coarse = java.time.format.DateTimeFormatter
                    .ofLocalizedTime(java.time.format.FormatStyle.SHORT).withLocale(locale).withZone(ZoneOffset.UTC);
            paint(painter, 15 * 60_000);
            assertThat(painter.lastTimeTicks()).as("a quarter of an hour in %s", locale).extracting(ThrottleTilePainter.Tick::label)
                    .isNotEmpty().contains(coarse.format(java.time.Instant.ofEpochMilli(end - 3 * 60_000)))
                    .allMatch(label -> label.equals(coarse.format(java.time.LocalTime.parse(label, coarse))));
        }
    }

    @Test
    void aFullMinuteIsDrawnAsOneRectanglePerColumnWithoutAGap() throws Exception {
        // A flapping instance's messages: 30 and 110 in turns every 1.5 s, a sample every 250 ms, for a
        // full minute; memory steady at 50 %.
        InstanceTileViewModel model = new InstanceTileViewModel("orders", 0, 2, new I18n(Locale.ENGLISH), () -> NOW);
        for (long t = NOW - 60_000; t <= NOW; t += 250) {
            long concurrent = Math.floorMod(t / 1_500, 2) == 0 ? 30 : 110;
            model.addSample(new InstanceSample(t, 50, concurrent, 2, 0, 0, 0, 0, 1.0, 2.0));
        }
        ThrottleTilePainter painter = WaitForAsyncUtils.asyncFx(
                () -> new ThrottleTilePainter(model, new I18n(Locale.ENGLISH).bundle(), ZoneOffset.UTC)).get(10, TimeUnit.SECONDS);

        PixelReader pixels = paint(painter, 60_000);

        // Stroking a path of a few hundred segments at every sample was most of the software
        // renderer's work on the dashboard; a column's span of the line is one filled rectangle,
        // so the two lines take one per column of the plot (some 270 each) and no stroke.
        assertThat(painter.lastSeriesFills()).as("rectangles of the two series").isBetween(2 * 250, 2 * 280);
        // A 10 px chart font: the memory plot spans y 13 to 70.5, so 50 % is near y 42.
        int memoryLine = 42;
        for (int x = 1; x < WIDTH - 40; x++) {
            assertThat(lineAt(pixels, x, memoryLine)).as("the memory line at x %d", x).isTrue();
        }
        // The messages plot spans y 89.5 to 147 for up to 240 in process: 110 is near y 121, 30 near y 140.
        // The line jumps between them 40 times in the minute, each jump inked unbroken over two columns.
        int jumps = 0;
        for (int x = 1; x < WIDTH - 40; x++) {
            boolean unbroken = true;
            for (int y = 123; y <= 138; y++) {
                unbroken &= lineAt(pixels, x, y) || lineAt(pixels, x + 1, y);
            }
            if (unbroken) {
                jumps++;
                x++;
            }
        }
        assertThat(jumps).as("places where the messages line runs unbroken from 110 to 30").isGreaterThanOrEqualTo(36);
    }

    private static PixelReader paint(ThrottleTilePainter painter, long window) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            Canvas canvas = new Canvas(WIDTH, HEIGHT);
            painter.paint(canvas.getGraphicsContext2D(), WIDTH, HEIGHT, Font.font(13), PALETTE, window, 0);
            SnapshotParameters parameters = new SnapshotParameters();
            parameters.setFill(Color.TRANSPARENT);
            return canvas.snapshot(parameters, null).getPixelReader();
        }).get(10, TimeUnit.SECONDS);
    }

    /** Whether the series' colour is within 4 px above or below (x, y). */
    private static boolean lineAt(PixelReader pixels, int x, int y) {
        for (int dy = -4; dy <= 4; dy++) {
            Color color = pixels.getColor(x, y + dy);
            if (color.getOpacity() > 0.5 && color.getBlue() > 0.6 && color.getRed() < 0.4) {
                return true;
            }
        }
        return false;
    }

    /** Whether anything is drawn within 6 px of (x, y). */
    private static boolean inked(PixelReader pixels, int x, int y) {
        for (int dx = -6; dx <= 6; dx++) {
            for (int dy = -4; dy <= 4; dy++) {
                if (pixels.getColor(Math.max(0, x + dx), y + dy).getOpacity() > 0.3) {
                    return true;
                }
            }
        }
        return false;
    }
}
