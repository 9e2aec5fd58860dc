package org.sluice.console.controls;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;

import javafx.beans.InvalidationListener;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.css.CssMetaData;
import javafx.css.PseudoClass;
import javafx.css.SimpleStyleableObjectProperty;
import javafx.css.StyleableObjectProperty;
import javafx.css.Styleable;
import javafx.css.StyleablePropertyFactory;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.console.viewmodel.SampleHistory;

/**
 * A live tile of one role instance: a header with the instance's key and a badge ("Normal", or
 * "Throttled · MEMORY · 12 s"), over two small charts drawn on one {@link Canvas}: memory in use
 * against its 60 % and 70 % thresholds, and messages in process against 40 and 100 &times; cores.
 * The band between each pair of thresholds and the periods the instance was throttled are shaded.
 *
 * <p>The tile does nothing on its own: the dashboard calls {@link #pulse(long)} once per frame for
 * every tile. A pulse moves the view model's clock on, sets the {@code :throttled} and
 * {@code :flashing} pseudo-classes, blinks the flash at 2 Hz while the instance has just entered
 * Throttled, and redraws the charts only when the view model's revision, the window, the size or a
 * color has changed. Its nodes are made once; the charts draw straight from the view model's
 * primitive history, one path per series whatever the number of samples.
 *
 * <p>Colors come from the stylesheet {@code throttle-tile.css} through the CSS properties
 * {@code -sluice-tile-line}, {@code -sluice-tile-text}, {@code -sluice-tile-grid},
 * {@code -sluice-tile-band}, {@code -sluice-tile-low}, {@code -sluice-tile-danger} and
 * {@code -sluice-tile-throttled}, which default to the theme's looked-up colors.
 */
public final class ThrottleTile extends Region {
    /** The time the charts span unless told otherwise: the last minute. */
    public static final long DEFAULT_WINDOW_MILLIS = 60_000;
    /** Half a blink of the flash: on for 250 ms, off for 250 ms. */
    static final long FLASH_HALF_PERIOD_MILLIS = 250;
    /** A pause between samples longer than this breaks the line (the instance was gone). */
    private static final long GAP_MILLIS = 2_000;
    /** Headroom of the messages chart over the high threshold. */
    private static final double MESSAGES_HEADROOM = 1.2;
    private static final double GAP = 6;
    private static final String STYLESHEET = ThrottleTile.class.getResource("throttle-tile.css").toExternalForm();

    private static final PseudoClass THROTTLED = PseudoClass.getPseudoClass("throttled");
    private static final PseudoClass FLASHING = PseudoClass.getPseudoClass("flashing");

    private static final StyleablePropertyFactory<ThrottleTile> STYLES =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());
    private static final CssMetaData<ThrottleTile, Paint> LINE =
            STYLES.createPaintCssMetaData("-sluice-tile-line", tile -> tile.lineColor, Color.web("#0969da"));
    private static final CssMetaData<ThrottleTile, Paint> TEXT =
            STYLES.createPaintCssMetaData("-sluice-tile-text", tile -> tile.textColor, Color.web("#57606a"));
    private static final CssMetaData<ThrottleTile, Paint> GRID =
            STYLES.createPaintCssMetaData("-sluice-tile-grid", tile -> tile.gridColor, Color.web("#d0d7de"));
    private static final CssMetaData<ThrottleTile, Paint> BAND =
            STYLES.createPaintCssMetaData("-sluice-tile-band", tile -> tile.bandColor, Color.web("#fff8c5"));
    private static final CssMetaData<ThrottleTile, Paint> LOW =
            STYLES.createPaintCssMetaData("-sluice-tile-low", tile -> tile.lowColor, Color.web("#bf8700"));
    private static final CssMetaData<ThrottleTile, Paint> DANGER =
            STYLES.createPaintCssMetaData("-sluice-tile-danger", tile -> tile.dangerColor, Color.web("#cf222e"));
    private static final CssMetaData<ThrottleTile, Paint> THROTTLED_FILL =
            STYLES.createPaintCssMetaData("-sluice-tile-throttled", tile -> tile.throttledColor, Color.web("#ff8182", 0.4));

    private final StyleableObjectProperty<Paint> lineColor = color(LINE, "lineColor");
    private final StyleableObjectProperty<Paint> textColor = color(TEXT, "textColor");
    private final StyleableObjectProperty<Paint> gridColor = color(GRID, "gridColor");
    private final StyleableObjectProperty<Paint> bandColor = color(BAND, "bandColor");
    private final StyleableObjectProperty<Paint> lowColor = color(LOW, "lowColor");
    private final StyleableObjectProperty<Paint> dangerColor = color(DANGER, "dangerColor");
    private final StyleableObjectProperty<Paint> throttledColor = color(THROTTLED_FILL, "throttledColor");
    private final LongProperty windowMillis = new SimpleLongProperty(this, "windowMillis", DEFAULT_WINDOW_MILLIS);

    private final InstanceTileViewModel model;
    private final String memoryTitle;
    private final String messagesTitle;
    private final MessageFormat percent;
    private final String memoryHighLabel;
    private final String memoryLowLabel;
    private final String messagesHighLabel;
    private final String messagesLowLabel;

    private final Region flash = new Region();
    private final Label title = new Label();
    private final Label badge = new Label();
    private final Canvas canvas = new Canvas();
    private final Text measure = new Text();

    private boolean dirty = true;
    private long drawnRevision = -1;
    private long lastPulseMillis;
    private int draws;
    private Font chartFont;
    private double labelColumn;

    /**
     * @param model  the instance to show
     * @param bundle the console's words ({@code org.sluice.console.messages}) in the user's language
     */
    public ThrottleTile(InstanceTileViewModel model, ResourceBundle bundle) {
        this.model = Objects.requireNonNull(model, "model");
        memoryTitle = bundle.getString("tile.chart.memory");
        messagesTitle = bundle.getString("tile.chart.messages");
        percent = new MessageFormat(bundle.getString("tile.value.percent"), bundle.getLocale());
        memoryHighLabel = percentText(model.memoryHighPercent());
        memoryLowLabel = percentText(model.memoryLowPercent());
        messagesHighLabel = Long.toString(model.concurrencyHigh());
        messagesLowLabel = Long.toString(model.concurrencyLow());
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("throttle-tile");
        flash.getStyleClass().add("throttle-tile-flash");
        flash.setManaged(false);
        flash.setMouseTransparent(true);
        flash.setVisible(false);
        title.getStyleClass().add("throttle-tile-title");
        title.setText(model.key());
        title.setMinWidth(0);
        badge.getStyleClass().add("throttle-tile-badge");
        badge.setMinWidth(0);
        getChildren().addAll(flash, title, badge, canvas);
    }

    private void initListeners() {
        badge.textProperty().bind(model.badgeTextProperty());
        InvalidationListener redraw = observable -> dirty = true;
        for (StyleableObjectProperty<Paint> color : List.of(lineColor, textColor, gridColor, bandColor, lowColor,
                dangerColor, throttledColor)) {
            color.addListener(redraw);
        }
        windowMillis.addListener(redraw);
        title.fontProperty().addListener(observable -> {
            chartFont = null;
            dirty = true;
        });
    }

    /** The instance this tile shows. */
    public InstanceTileViewModel getModel() {
        return model;
    }

    /** How much time the charts span, ending at the newest sample; 60 s unless set. */
    public LongProperty windowMillisProperty() {
        return windowMillis;
    }

    public long getWindowMillis() {
        return windowMillis.get();
    }

    public void setWindowMillis(long millis) {
        if (millis < 1_000) {
            throw new IllegalArgumentException("the window must be at least one second, was " + millis + " ms");
        }
        windowMillis.set(millis);
    }

    /**
     * Brings the tile up to {@code nowMs} of the console's clock. Call it once per frame, on the
     * JavaFX thread; it redraws only what has changed.
     */
    public void pulse(long nowMs) {
        pulse(nowMs, true);
    }

    /**
     * As {@link #pulse(long)}, but a tile that is not {@code shown} (scrolled out of its viewport)
     * keeps its charts as they are until it is shown again: redrawing a canvas that is clipped away
     * still made the renderer repaint the whole window.
     */
    public void pulse(long nowMs, boolean shown) {
        lastPulseMillis = nowMs;
        model.tick(nowMs);
        pseudoClassStateChanged(THROTTLED, model.isMarked());
        pseudoClassStateChanged(FLASHING, model.isFlashing());
        boolean blinkOn = model.isFlashing()
                && Math.floorMod((nowMs - model.getFlashStartedMs()) / FLASH_HALF_PERIOD_MILLIS, 2) == 0;
        if (flash.isVisible() != blinkOn) {
            flash.setVisible(blinkOn);
        }
        if (shown && (dirty || drawnRevision != model.getRevision())) {
            draw();
        }
    }

    /** How many times the charts were drawn; lets a test see that an idle pulse draws nothing. */
    int drawCount() {
        return draws;
    }

    @Override
    public String getUserAgentStylesheet() {
        return STYLESHEET;
    }

    /** The CSS properties of the tile, its own and a Region's. */
    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return STYLES.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return getClassCssMetaData();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 300;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 190;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 160;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 120;
    }

    @Override
    protected void layoutChildren() {
        double width = getWidth();
        double height = getHeight();
        flash.resizeRelocate(0, 0, width, height);
        Insets insets = getInsets();
        double x = insets.getLeft();
        double y = insets.getTop();
        double contentWidth = Math.max(0, width - insets.getLeft() - insets.getRight());
        double contentHeight = Math.max(0, height - insets.getTop() - insets.getBottom());
        double titleWidth = snapSizeX(title.prefWidth(-1));
        double titleHeight = snapSizeY(title.prefHeight(-1));
        double badgeWidth = snapSizeX(Math.min(badge.prefWidth(-1), contentWidth));
        double badgeHeight = snapSizeY(badge.prefHeight(-1));
        double headerHeight;
        if (titleWidth + GAP + badgeWidth <= contentWidth) {
            headerHeight = Math.max(titleHeight, badgeHeight);
            title.resizeRelocate(x, y, contentWidth - badgeWidth - GAP, headerHeight);
            badge.resizeRelocate(x + contentWidth - badgeWidth, y + (headerHeight - badgeHeight) / 2, badgeWidth, badgeHeight);
        } else {
            // Too narrow for both on one line: the badge goes under the key rather than cutting either short.
            headerHeight = titleHeight + 2 + badgeHeight;
            title.resizeRelocate(x, y, contentWidth, titleHeight);
            badge.resizeRelocate(x, y + titleHeight + 2, badgeWidth, badgeHeight);
        }
        double canvasTop = y + headerHeight + GAP;
        double canvasWidth = snapSizeX(contentWidth);
        double canvasHeight = snapSizeY(Math.max(0, contentHeight - headerHeight - GAP));
        canvas.relocate(x, canvasTop);
        if (canvas.getWidth() != canvasWidth || canvas.getHeight() != canvasHeight) {
            canvas.setWidth(canvasWidth);
            canvas.setHeight(canvasHeight);
            draw();
        }
    }

    private void draw() {
        dirty = false;
        drawnRevision = model.getRevision();
        draws++;
        double width = canvas.getWidth();
        double height = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, width, height);
        if (width < 1 || height < 1) {
            return;
        }
        Font font = chartFont();
        g.setFont(font);
        double lineHeight = Math.ceil(font.getSize() * 1.3);
        double plotWidth = Math.max(1, width - labelColumn - 4);
        double chartHeight = (height - GAP) / 2;
        double plotHeight = Math.max(1, chartHeight - lineHeight);

        SampleHistory samples = model.samples();
        long window = Math.max(1_000, windowMillis.get());
        long end = samples.isEmpty() ? lastPulseMillis : samples.timeAt(samples.size() - 1);
        long start = end - window;
        int from = samples.firstAtOrAfter(start);

        double memoryTop = lineHeight;
        double messagesTop = chartHeight + GAP + lineHeight;
        double messagesMax = Math.max(samples.maxConcurrentFrom(from), MESSAGES_HEADROOM * model.concurrencyHigh());

        // The band first, then the translucent throttled periods over it, then lines and text on top.
        shadeBand(g, plotWidth, memoryTop, plotHeight, 100, model.memoryLowPercent(), model.memoryHighPercent());
        shadeBand(g, plotWidth, messagesTop, plotHeight, messagesMax, model.concurrencyLow(), model.concurrencyHigh());
        shadeThrottledPeriods(g, start, end, plotWidth, memoryTop, plotHeight);
        shadeThrottledPeriods(g, start, end, plotWidth, messagesTop, plotHeight);
        drawThresholds(g, plotWidth, memoryTop, plotHeight, 100, model.memoryLowPercent(), model.memoryHighPercent(),
                memoryLowLabel, memoryHighLabel);
        drawThresholds(g, plotWidth, messagesTop, plotHeight, messagesMax, model.concurrencyLow(),
                model.concurrencyHigh(), messagesLowLabel, messagesHighLabel);

        g.setStroke(lineColor.get());
        g.setLineWidth(1.5);
        strokeSeries(g, true, from, start, window, plotWidth, memoryTop, plotHeight, 100);
        strokeSeries(g, false, from, start, window, plotWidth, messagesTop, plotHeight, messagesMax);

        String memoryNow = samples.isEmpty() ? "" : percentText(samples.memoryAt(samples.size() - 1));
        String messagesNow = samples.isEmpty() ? "" : Long.toString(samples.concurrentAt(samples.size() - 1));
        drawTitle(g, memoryTitle, memoryNow, plotWidth, memoryTop - 3);
        drawTitle(g, messagesTitle, messagesNow, plotWidth, messagesTop - 3);
    }

    private void shadeThrottledPeriods(GraphicsContext g, long start, long end, double plotWidth, double top, double plotHeight) {
        g.setFill(throttledColor.get());
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

    private void shadeBand(GraphicsContext g, double plotWidth, double top, double plotHeight, double max,
                           double low, double high) {
        double yHigh = y(high, top, plotHeight, max);
        g.setFill(bandColor.get());
        g.fillRect(0, yHigh, plotWidth, y(low, top, plotHeight, max) - yHigh);
    }

    private void drawThresholds(GraphicsContext g, double plotWidth, double top, double plotHeight, double max,
                                double low, double high, String lowLabel, String highLabel) {
        double yHigh = y(high, top, plotHeight, max);
        double yLow = y(low, top, plotHeight, max);
        g.setLineWidth(1);
        g.setStroke(gridColor.get());
        g.strokeLine(0, Math.floor(top + plotHeight) + 0.5, plotWidth, Math.floor(top + plotHeight) + 0.5);
        g.setStroke(dangerColor.get());
        g.strokeLine(0, Math.floor(yHigh) + 0.5, plotWidth, Math.floor(yHigh) + 0.5);
        g.setStroke(lowColor.get());
        g.strokeLine(0, Math.floor(yLow) + 0.5, plotWidth, Math.floor(yLow) + 0.5);

        double labelX = plotWidth + 4;
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(dangerColor.get());
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(highLabel, labelX, Math.max(yHigh + 1, top + g.getFont().getSize()));
        g.setFill(lowColor.get());
        g.setTextBaseline(VPos.TOP);
        g.fillText(lowLabel, labelX, Math.min(yLow - 1, top + plotHeight - g.getFont().getSize()));
    }

    private void drawTitle(GraphicsContext g, String name, String value, double plotWidth, double baseline) {
        g.setTextBaseline(VPos.BASELINE);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(textColor.get());
        g.fillText(name, 0, baseline);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setFill(lineColor.get());
        g.fillText(value, plotWidth, baseline);
    }

    /**
     * Draws one series as a single path. Where several samples fall in one pixel column the path
     * only runs from their lowest to their highest value, so a 15-minute window costs no more than
     * the tile is wide.
     */
    private void strokeSeries(GraphicsContext g, boolean memory, int from, long start, long window,
                              double plotWidth, double top, double plotHeight, double max) {
        SampleHistory samples = model.samples();
        g.beginPath();
        boolean penDown = false;
        boolean pending = false;
        int column = 0;
        double first = 0;
        double lowest = 0;
        double highest = 0;
        double last = 0;
        long previousTime = 0;
        for (int i = from; i < samples.size(); i++) {
            long time = samples.timeAt(i);
            double value = memory ? samples.memoryAt(i) : samples.concurrentAt(i);
            double y = y(value, top, plotHeight, max);
            int pixel = (int) Math.floor(x(time, start, window, plotWidth));
            boolean gap = pending && time - previousTime > GAP_MILLIS;
            previousTime = time;
            if (pending && pixel == column && !gap) {
                lowest = Math.min(lowest, y);
                highest = Math.max(highest, y);
                last = y;
                continue;
            }
            if (pending) {
                penDown = runColumn(g, column, first, lowest, highest, last, penDown);
            }
            if (gap) {
                penDown = false;
            }
            pending = true;
            column = pixel;
            first = y;
            lowest = y;
            highest = y;
            last = y;
        }
        if (pending) {
            runColumn(g, column, first, lowest, highest, last, penDown);
        }
        g.stroke();
    }

    private static boolean runColumn(GraphicsContext g, int column, double first, double lowest, double highest,
                                     double last, boolean penDown) {
        double x = column + 0.5;
        if (penDown) {
            g.lineTo(x, first);
        } else {
            g.moveTo(x, first);
        }
        if (lowest != highest) {
            g.lineTo(x, lowest);
            g.lineTo(x, highest);
        }
        g.lineTo(x, last);
        return true;
    }

    private static double x(long time, long start, long window, double plotWidth) {
        return (double) (time - start) / window * plotWidth;
    }

    private static double y(double value, double top, double plotHeight, double max) {
        double clamped = Math.max(0, Math.min(max, value));
        return top + plotHeight - clamped / max * plotHeight;
    }

    private Font chartFont() {
        if (chartFont == null) {
            Font base = title.getFont();
            chartFont = Font.font(base.getFamily(), FontWeight.NORMAL, Math.max(9, Math.round(base.getSize() * 0.8)));
            measure.setFont(chartFont);
            labelColumn = 0;
            for (String label : List.of(memoryHighLabel, memoryLowLabel, messagesHighLabel, messagesLowLabel)) {
                measure.setText(label);
                labelColumn = Math.max(labelColumn, Math.ceil(measure.getLayoutBounds().getWidth()));
            }
        }
        return chartFont;
    }

    private String percentText(double value) {
        return percent.format(new Object[] {Long.toString(Math.round(value))});
    }

    private StyleableObjectProperty<Paint> color(CssMetaData<ThrottleTile, Paint> meta, String name) {
        return new SimpleStyleableObjectProperty<>(meta, this, name, meta.getInitialValue(this));
    }
}
