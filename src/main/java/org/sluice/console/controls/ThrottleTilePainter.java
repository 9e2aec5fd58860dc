package org.sluice.console.controls;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.ResourceBundle;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Paint;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.console.viewmodel.SampleHistory;
import org.sluice.console.viewmodel.ThrottleChartData;

/**
 * Draws the two charts of a {@link ThrottleTile}: memory in use against its 60 % and 70 %
 * thresholds over messages in process against 40 and 100 &times; cores, each with the band between
 * its thresholds and the periods the instance was throttled shaded, and each titled with its latest
 * value, over a time axis they share that marks clock times.
 *
 * <p>Everything it draws with is handed to it: the area's size, the font of the tile's key, the
 * colours the stylesheet resolved, the time window and the instance's history. It holds no node
 * and knows nothing of CSS, layout or pulses, so the tile alone decides when a drawing is due.
 */
final class ThrottleTilePainter {
    /** A pause between samples longer than this breaks the line (the instance was gone). */
    private static final long GAP_MILLIS = 2_000;
    /** Headroom of the messages chart over the high threshold. */
    private static final double MESSAGES_HEADROOM = 1.2;
    /** The steps the time axis may mark, shortest first: 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min. */
    private static final long[] TICK_STEPS = {5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
            900_000, 1_800_000};
    /** The least space between two time labels. */
    private static final double TICK_LABEL_GAP = 12;
    /** How thick the series' lines are drawn, in pixels. */
    private static final double LINE_WIDTH = 1.5;
    /** The space between the memory chart and the messages chart. */
    private static final double CHART_GAP = 6;

    /** A mark of the time axis: where it is across the plot, and the clock time it says. */
    record Tick(double x, String label) {
    }

    /** The colours of the charts, as the tile's {@code -sluice-tile-*} properties resolve them. */
    record Palette(Paint line, Paint text, Paint grid, Paint band, Paint low, Paint danger, Paint throttled) {
    }

    private final ThrottleChartData model;
    private final String memoryTitle;
    private final String messagesTitle;
    private final MessageFormat percent;
    private final String memoryHighLabel;
    private final String memoryLowLabel;
    private final String messagesHighLabel;
    private final String messagesLowLabel;
    private final Text measure = new Text();
    private final ZoneId zone;
    /** Clock times on the time axis where its marks are seconds apart, and minutes apart. */
    private final DateTimeFormatter seconds;
    private final DateTimeFormatter minutes;
    private List<Tick> timeTicks = List.of();
    /** The time span and plot width last drawn, so a point can be read back as a time. */
    private long shownStart;
    private long shownWindow;
    private double shownPlotWidth;

    /** The key's font the chart font was last derived from. */
    private Font keyFont;
    private Font chartFont;
    private double labelColumn;
    private double timeLabelWidth;
    /** The rectangles the series took in the last drawing, for tests. */
    private int seriesFills;

    /**
     * @param model  the instance whose history and thresholds are drawn
     * @param bundle the console's words ({@code org.sluice.console.messages}) in the user's language
     */
    ThrottleTilePainter(ThrottleChartData model, ResourceBundle bundle) {
        this(model, bundle, ZoneId.systemDefault());
    }

    /** @param zone the time zone the time axis reads its clock times in */
    ThrottleTilePainter(ThrottleChartData model, ResourceBundle bundle, ZoneId zone) {
        this(model, bundle, zone, localeOf(bundle));
    }

    /**
     * @param locale how the time axis says clock times: as the console's lists say them, "3:43:12 PM"
     *               or "오후 3:43:12", and without the seconds where the marks are minutes apart
     */
    ThrottleTilePainter(ThrottleChartData model, ResourceBundle bundle, ZoneId zone, Locale locale) {
        this.model = Objects.requireNonNull(model, "model");
        this.zone = Objects.requireNonNull(zone, "zone");
        seconds = DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM).withLocale(locale);
        minutes = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale);
        memoryTitle = bundle.getString("tile.chart.memory");
        messagesTitle = bundle.getString("tile.chart.messages");
        percent = new MessageFormat(bundle.getString("tile.value.percent"), bundle.getLocale());
        memoryHighLabel = percentText(model.memoryHighPercent());
        memoryLowLabel = percentText(model.memoryLowPercent());
        messagesHighLabel = Long.toString(model.concurrencyHigh());
        messagesLowLabel = Long.toString(model.concurrencyLow());
    }

    /**
     * Clears a {@code width} by {@code height} area at the origin of {@code g} and draws both charts
     * in it.
     *
     * @param keyFont      the font the tile shows its key in; a canvas takes no CSS font, so the
     *                     charts follow the key's family at 80 % of its size
     * @param windowMillis how much time the charts span, ending at the newest sample
     * @param endWhenEmpty where the window ends while there is no sample yet
     */
    void paint(GraphicsContext g, double width, double height, Font keyFont, Palette palette, long windowMillis,
               long endWhenEmpty) {
        long window = Math.max(1_000, windowMillis);
        SampleHistory samples = model.samplesFor(window);
        long end = samples.isEmpty() ? endWhenEmpty : samples.timeAt(samples.size() - 1);
        paintSpan(g, width, height, keyFont, palette, samples, end - window, window);
    }

    /**
     * Clears a {@code width} by {@code height} area at the origin of {@code g} and draws both charts
     * from {@code startMs} to {@code endMs} exactly, the plot's width mapping to that range, as an
     * incident bundle's chart of its range; samples outside it are left out.
     */
    void paintRange(GraphicsContext g, double width, double height, Font keyFont, Palette palette, long startMs, long endMs) {
        long window = Math.max(1_000, endMs - startMs);
        paintSpan(g, width, height, keyFont, palette, model.samplesFor(window), startMs, window);
    }

    private void paintSpan(GraphicsContext g, double width, double height, Font keyFont, Palette palette, SampleHistory samples,
                           long start, long window) {
        g.clearRect(0, 0, width, height);
        if (width < 1 || height < 1) {
            return;
        }
        Font font = chartFont(keyFont);
        g.setFont(font);
        double lineHeight = Math.ceil(font.getSize() * 1.3);
        double plotWidth = Math.max(1, width - labelColumn - 4);
        // The time axis takes a line under both charts, which share it.
        double chartHeight = (height - lineHeight - CHART_GAP) / 2;
        double plotHeight = Math.max(1, chartHeight - lineHeight);

        long end = start + window;
        int from = samples.firstAtOrAfter(start);
        // One past the newest sample drawn: the live tile ends at its newest, a bundle's range may end before.
        int to = samples.firstAtOrAfter(end + 1);

        double memoryTop = lineHeight;
        double messagesTop = chartHeight + CHART_GAP + lineHeight;
        double messagesMax = Math.max(maxConcurrent(samples, from, to), MESSAGES_HEADROOM * model.concurrencyHigh());

        // The band first, then the translucent throttled periods over it, then lines and text on top.
        shadeBand(g, palette, plotWidth, memoryTop, plotHeight, 100, model.memoryLowPercent(), model.memoryHighPercent());
        shadeBand(g, palette, plotWidth, messagesTop, plotHeight, messagesMax, model.concurrencyLow(), model.concurrencyHigh());
        shadeThrottledPeriods(g, palette, start, end, plotWidth, memoryTop, plotHeight);
        shadeThrottledPeriods(g, palette, start, end, plotWidth, messagesTop, plotHeight);
        drawThresholds(g, palette, plotWidth, memoryTop, plotHeight, 100, model.memoryLowPercent(),
                model.memoryHighPercent(), memoryLowLabel, memoryHighLabel);
        drawThresholds(g, palette, plotWidth, messagesTop, plotHeight, messagesMax, model.concurrencyLow(),
                model.concurrencyHigh(), messagesLowLabel, messagesHighLabel);

        timeTicks = timeTicks(start, window, plotWidth, width);
        shownStart = start;
        shownWindow = window;
        shownPlotWidth = plotWidth;
        drawTimeAxis(g, palette, memoryTop, messagesTop + plotHeight, plotHeight);

        g.setFill(palette.line());
        seriesFills = 0;
        traceSeries(g, samples, true, from, to, start, window, plotWidth, memoryTop, plotHeight, 100);
        traceSeries(g, samples, false, from, to, start, window, plotWidth, messagesTop, plotHeight, messagesMax);

        String memoryNow = to <= from ? "" : percentText(samples.memoryAt(to - 1));
        String messagesNow = to <= from ? "" : Long.toString(samples.concurrentAt(to - 1));
        drawTitle(g, palette, memoryTitle, memoryNow, plotWidth, memoryTop - 3);
        drawTitle(g, palette, messagesTitle, messagesNow, plotWidth, messagesTop - 3);
    }

    /**
     * The clock times to mark under the charts: the shortest step whose labels keep a gap between
     * them, at whole multiples of the step in the local zone, leaving out a label the edges would cut.
     */
    private List<Tick> timeTicks(long start, long window, double plotWidth, double width) {
        long step = TICK_STEPS[TICK_STEPS.length - 1];
        for (long candidate : TICK_STEPS) {
            if ((double) candidate / window * plotWidth >= timeLabelWidth + TICK_LABEL_GAP) {
                step = candidate;
                break;
            }
        }
        DateTimeFormatter format = step < 60_000 ? seconds : minutes;
        long offset = zone.getRules().getOffset(Instant.ofEpochMilli(start)).getTotalSeconds() * 1000L;
        long first = Math.floorDiv(start + offset + step - 1, step) * step - offset;
        List<Tick> ticks = new ArrayList<>();
        for (long time = first; time <= start + window; time += step) {
            double x = x(time, start, window, plotWidth);
            if (x - timeLabelWidth / 2 >= 0 && x + timeLabelWidth / 2 <= width) {
                ticks.add(new Tick(x, format.format(Instant.ofEpochMilli(time).atZone(zone))));
            }
        }
        return List.copyOf(ticks);
    }

    /** The language {@code bundle} is in; the base bundle is English. */
    static Locale localeOf(ResourceBundle bundle) {
        return bundle.getLocale() == null || bundle.getLocale().getLanguage().isEmpty() ? Locale.ENGLISH : bundle.getLocale();
    }

    /** A faint line across both charts at each tick, a mark under the lower one, and the clock time under it. */
    private void drawTimeAxis(GraphicsContext g, Palette palette, double top, double bottom, double plotHeight) {
        g.setLineWidth(1);
        g.setStroke(palette.grid());
        g.setGlobalAlpha(0.5);
        for (Tick tick : timeTicks) {
            double x = Math.floor(tick.x()) + 0.5;
            g.strokeLine(x, top, x, top + plotHeight);
            g.strokeLine(x, bottom - plotHeight, x, bottom);
        }
        g.setGlobalAlpha(1);
        g.setFill(palette.text());
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (Tick tick : timeTicks) {
            double x = Math.floor(tick.x()) + 0.5;
            g.strokeLine(x, bottom, x, bottom + 3);
            g.fillText(tick.label(), tick.x(), bottom + 3);
        }
    }

    private void shadeThrottledPeriods(GraphicsContext g, Palette palette, long start, long end, double plotWidth,
                                       double top, double plotHeight) {
        g.setFill(palette.throttled());
        long window = end - start;
        for (int i = 0; i < model.throttledPeriodCount(); i++) {
            long periodStart = model.throttledPeriodStartMs(i);
            long periodEnd = model.throttledPeriodEndMs(i);
            if (periodEnd == InstanceTileViewModel.OPEN) {
                periodEnd = end;
            }
            if (periodEnd < start || periodStart > end) {
                continue;
            }
            double left = x(Math.max(periodStart, start), start, window, plotWidth);
            double right = x(Math.min(periodEnd, end), start, window, plotWidth);
            g.fillRect(Math.floor(left), top, Math.max(1, Math.ceil(right) - Math.floor(left)), plotHeight);
        }
    }

    private static void shadeBand(GraphicsContext g, Palette palette, double plotWidth, double top, double plotHeight,
                                  double max, double low, double high) {
        double yHigh = y(high, top, plotHeight, max);
        g.setFill(palette.band());
        g.fillRect(0, yHigh, plotWidth, y(low, top, plotHeight, max) - yHigh);
    }

    private static void drawThresholds(GraphicsContext g, Palette palette, double plotWidth, double top, double plotHeight,
                                       double max, double low, double high, String lowLabel, String highLabel) {
        double yHigh = y(high, top, plotHeight, max);
        double yLow = y(low, top, plotHeight, max);
        g.setLineWidth(1);
        g.setStroke(palette.grid());
        g.strokeLine(0, Math.floor(top + plotHeight) + 0.5, plotWidth, Math.floor(top + plotHeight) + 0.5);
        g.setStroke(palette.danger());
        g.strokeLine(0, Math.floor(yHigh) + 0.5, plotWidth, Math.floor(yHigh) + 0.5);
        g.setStroke(palette.low());
        g.strokeLine(0, Math.floor(yLow) + 0.5, plotWidth, Math.floor(yLow) + 0.5);

        double labelX = plotWidth + 4;
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(palette.danger());
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(highLabel, labelX, Math.max(yHigh + 1, top + g.getFont().getSize()));
        g.setFill(palette.low());
        g.setTextBaseline(VPos.TOP);
        g.fillText(lowLabel, labelX, Math.min(yLow - 1, top + plotHeight - g.getFont().getSize()));
    }

    private static void drawTitle(GraphicsContext g, Palette palette, String name, String value, double plotWidth,
                                  double baseline) {
        g.setTextBaseline(VPos.BASELINE);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(palette.text());
        g.fillText(name, 0, baseline);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setFill(palette.line());
        g.fillText(value, plotWidth, baseline);
    }

    /**
     * Draws one series as a line {@link #LINE_WIDTH} thick, one filled rectangle per pixel column:
     * the span of the column that the line between the samples passes through, widened by half the
     * line's width above and below. Where several samples fall in one column it spans their lowest to
     * their highest value, so a 15-minute window costs no more than the tile is wide.
     *
     * <p>Not a stroked path: the software renderer rasterises a stroke's outline scanline by
     * scanline, and at a sample every 250 ms each tile's two lines were most of its work on the
     * dashboard; a rectangle is filled directly (docs/perf.md, "What a flapping tile costs the
     * renderer"; decision 0035).
     */
    private void traceSeries(GraphicsContext g, SampleHistory samples, boolean memory, int from, int to, long start, long window,
                             double plotWidth, double top, double plotHeight, double max) {
        Trace trace = new Trace(g);
        boolean penDown = false;
        double previousX = 0;
        double previousY = 0;
        long previousTime = 0;
        for (int i = from; i < to; i++) {
            long time = samples.timeAt(i);
            double value = memory ? samples.memoryAt(i) : samples.concurrentAt(i);
            double x = Math.min(x(time, start, window, plotWidth), Math.max(0, plotWidth - 1e-9));
            double y = y(value, top, plotHeight, max);
            if (penDown && time - previousTime <= GAP_MILLIS) {
                trace.segment(previousX, previousY, x, y);
            } else {
                // The first sample, or the first after a gap (the instance was gone): the line starts afresh.
                trace.cover((int) Math.floor(x), y, y);
            }
            penDown = true;
            previousX = x;
            previousY = y;
            previousTime = time;
        }
        trace.flush();
        seriesFills += trace.fills;
    }

    /** The most messages in process of the samples drawn, positions {@code from} to {@code to} - 1. */
    private static long maxConcurrent(SampleHistory samples, int from, int to) {
        long max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, samples.concurrentAt(i));
        }
        return max;
    }

    /** Gathers what the line covers in each pixel column and fills each column once. */
    private static final class Trace {
        private final GraphicsContext g;
        private int column = Integer.MIN_VALUE;
        private double top;
        private double bottom;
        private int fills;

        Trace(GraphicsContext g) {
            this.g = g;
        }

        /** The straight line from (x0, y0) to (x1, y1), x0 &lt;= x1, split at the column edges it crosses. */
        void segment(double x0, double y0, double x1, double y1) {
            int first = (int) Math.floor(x0);
            int last = (int) Math.floor(x1);
            if (first == last || x1 <= x0) {
                cover(first, y0, y1);
                return;
            }
            double slope = (y1 - y0) / (x1 - x0);
            for (int c = first; c <= last; c++) {
                double left = Math.max(x0, c);
                double right = Math.min(x1, c + 1);
                cover(c, y0 + slope * (left - x0), y0 + slope * (right - x0));
            }
        }

        /** Adds the span from {@code ya} to {@code yb} to column {@code c}, filling the last column when c is another. */
        void cover(int c, double ya, double yb) {
            if (c != column) {
                flush();
                column = c;
                top = Double.POSITIVE_INFINITY;
                bottom = Double.NEGATIVE_INFINITY;
            }
            top = Math.min(top, Math.min(ya, yb));
            bottom = Math.max(bottom, Math.max(ya, yb));
        }

        void flush() {
            if (column != Integer.MIN_VALUE) {
                double half = LINE_WIDTH / 2;
                g.fillRect(column, top - half, 1, bottom - top + LINE_WIDTH);
                fills++;
                column = Integer.MIN_VALUE;
            }
        }
    }

    private static double x(long time, long start, long window, double plotWidth) {
        return (double) (time - start) / window * plotWidth;
    }

    private static double y(double value, double top, double plotHeight, double max) {
        double clamped = Math.max(0, Math.min(max, value));
        return top + plotHeight - clamped / max * plotHeight;
    }

    /** The chart font for {@code key}, and the width of the threshold labels in it; measured once per font. */
    private Font chartFont(Font key) {
        if (chartFont == null || !key.equals(keyFont)) {
            keyFont = key;
            chartFont = Font.font(key.getFamily(), FontWeight.NORMAL, Math.max(9, Math.round(key.getSize() * 0.8)));
            measure.setFont(chartFont);
            labelColumn = 0;
            for (String label : List.of(memoryHighLabel, memoryLowLabel, messagesHighLabel, messagesLowLabel)) {
                measure.setText(label);
                labelColumn = Math.max(labelColumn, Math.ceil(measure.getLayoutBounds().getWidth()));
            }
            // The widest a clock time is said: with two-digit hours, before and after noon.
            timeLabelWidth = 0;
            for (LocalTime time : List.of(LocalTime.of(0, 58, 58), LocalTime.of(12, 58, 58), LocalTime.of(10, 58, 58),
                    LocalTime.of(22, 58, 58))) {
                measure.setText(seconds.format(time));
                timeLabelWidth = Math.max(timeLabelWidth, Math.ceil(measure.getLayoutBounds().getWidth()));
            }
        }
        return chartFont;
    }

    /** The time at {@code x} across the charts as last drawn; empty off the plot or before any drawing. */
    OptionalLong timeAt(double x) {
        if (shownWindow == 0 || x < 0 || x > shownPlotWidth) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(shownStart + Math.round(x / shownPlotWidth * shownWindow));
    }

    /** How many rectangles the two series took in the last drawing. */
    int lastSeriesFills() {
        return seriesFills;
    }

    /** The time axis's marks as last drawn. */
    List<Tick> lastTimeTicks() {
        return timeTicks;
    }

    private String percentText(double value) {
        return percent.format(new Object[] {Long.toString(Math.round(value))});
    }
}
