package org.sluice.console.controls;

import java.util.List;
import java.time.ZoneId;
import java.util.Objects;
import java.util.OptionalLong;
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
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

import org.sluice.console.viewmodel.InstanceTileViewModel;

/**
 * A live tile of one role instance: a header with the instance's key and a badge ("Normal", or
 * "Throttled · MEMORY · 12 s"), over two small charts on one {@link Canvas}: memory in use against
 * its thresholds, and messages in process against theirs.
 *
 * <p>The tile is the control around the charts: its CSS properties, the layout of its header and
 * canvas, the flash, and when to redraw. What the charts look like is {@code ThrottleTilePainter}'s
 * business; the tile hands it the canvas, the key's font, the resolved colours and the window.
 *
 * <p>The tile does nothing on its own: the dashboard calls {@link #pulse(long)} once per frame for
 * every tile. A pulse moves the view model's clock on, sets the {@code :throttled},
 * {@code :flapping} and {@code :flashing} pseudo-classes, blinks the flash at 2 Hz while the instance has just entered
 * Throttled, and redraws the charts only when the view model's revision, the window, the size, the
 * font or a color has changed. Its nodes are made once.
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
    private static final double GAP = 6;
    private static final String STYLESHEET = ThrottleTile.class.getResource("throttle-tile.css").toExternalForm();

    private static final PseudoClass THROTTLED = PseudoClass.getPseudoClass("throttled");
    private static final PseudoClass FLASHING = PseudoClass.getPseudoClass("flashing");
    private static final PseudoClass FLAPPING = PseudoClass.getPseudoClass("flapping");

    // The light theme's colours, which a chart outside the window (an incident bundle's) is drawn in.
    private static final Color DEFAULT_LINE = Color.web("#0969da");
    private static final Color DEFAULT_TEXT = Color.web("#57606a");
    private static final Color DEFAULT_GRID = Color.web("#d0d7de");
    private static final Color DEFAULT_BAND = Color.web("#fff8c5");
    private static final Color DEFAULT_LOW = Color.web("#bf8700");
    private static final Color DEFAULT_DANGER = Color.web("#cf222e");
    private static final Color DEFAULT_THROTTLED = Color.web("#ff8182", 0.4);
    /** The charts' colours where no stylesheet applies, on a white ground. */
    static final ThrottleTilePainter.Palette DEFAULT_PALETTE = new ThrottleTilePainter.Palette(DEFAULT_LINE, DEFAULT_TEXT,
            DEFAULT_GRID, DEFAULT_BAND, DEFAULT_LOW, DEFAULT_DANGER, DEFAULT_THROTTLED);

    private static final StyleablePropertyFactory<ThrottleTile> STYLES =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());
    private static final CssMetaData<ThrottleTile, Paint> LINE =
            STYLES.createPaintCssMetaData("-sluice-tile-line", tile -> tile.lineColor, DEFAULT_LINE);
    private static final CssMetaData<ThrottleTile, Paint> TEXT =
            STYLES.createPaintCssMetaData("-sluice-tile-text", tile -> tile.textColor, DEFAULT_TEXT);
    private static final CssMetaData<ThrottleTile, Paint> GRID =
            STYLES.createPaintCssMetaData("-sluice-tile-grid", tile -> tile.gridColor, DEFAULT_GRID);
    private static final CssMetaData<ThrottleTile, Paint> BAND =
            STYLES.createPaintCssMetaData("-sluice-tile-band", tile -> tile.bandColor, DEFAULT_BAND);
    private static final CssMetaData<ThrottleTile, Paint> LOW =
            STYLES.createPaintCssMetaData("-sluice-tile-low", tile -> tile.lowColor, DEFAULT_LOW);
    private static final CssMetaData<ThrottleTile, Paint> DANGER =
            STYLES.createPaintCssMetaData("-sluice-tile-danger", tile -> tile.dangerColor, DEFAULT_DANGER);
    private static final CssMetaData<ThrottleTile, Paint> THROTTLED_FILL =
            STYLES.createPaintCssMetaData("-sluice-tile-throttled", tile -> tile.throttledColor, DEFAULT_THROTTLED);

    private final StyleableObjectProperty<Paint> lineColor = color(LINE, "lineColor");
    private final StyleableObjectProperty<Paint> textColor = color(TEXT, "textColor");
    private final StyleableObjectProperty<Paint> gridColor = color(GRID, "gridColor");
    private final StyleableObjectProperty<Paint> bandColor = color(BAND, "bandColor");
    private final StyleableObjectProperty<Paint> lowColor = color(LOW, "lowColor");
    private final StyleableObjectProperty<Paint> dangerColor = color(DANGER, "dangerColor");
    private final StyleableObjectProperty<Paint> throttledColor = color(THROTTLED_FILL, "throttledColor");
    private final LongProperty windowMillis = new SimpleLongProperty(this, "windowMillis", DEFAULT_WINDOW_MILLIS);

    private final ResourceBundle bundle;
    private InstanceTileViewModel model;
    private ThrottleTilePainter painter;
    /** How the time axis says clock times. */
    private final java.util.Locale locale;

    private final Region flash = new Region();
    private final Label title = new Label();
    private final Label badge = new Label();
    private final Canvas canvas = new Canvas();
    private final Label readout = new Label();
    private final Region cursor = new Region();
    private final ZoneId zone;

    private boolean dirty = true;
    private long drawnRevision = -1;
    private long lastPulseMillis;
    private int draws;

    private ThrottleTilePainter painter(InstanceTileViewModel shown) {
        return new ThrottleTilePainter(shown, bundle, zone, locale);
    }

    /**
     * @param model  the instance to show
     * @param bundle the console's words ({@code org.sluice.console.messages}) in the user's language
     */
    public ThrottleTile(InstanceTileViewModel model, ResourceBundle bundle) {
        this(model, bundle, ZoneId.systemDefault());
    }

    /** @param zone the time zone the time axis and the readout show clock times in */
    public ThrottleTile(InstanceTileViewModel model, ResourceBundle bundle, ZoneId zone) {
        this(model, bundle, zone, null);
    }

    /**
     * @param locale how the time axis says clock times, as the console's lists do; null for the
     *               language of {@code bundle}
     */
    public ThrottleTile(InstanceTileViewModel model, ResourceBundle bundle, ZoneId zone, java.util.Locale locale) {
        this.model = Objects.requireNonNull(model, "model");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.locale = locale == null ? ThrottleTilePainter.localeOf(bundle) : locale;
        this.painter = painter(model);
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
        readout.getStyleClass().add("throttle-tile-readout");
        readout.setManaged(false);
        readout.setMouseTransparent(true);
        readout.setVisible(false);
        cursor.getStyleClass().add("throttle-tile-cursor");
        cursor.setManaged(false);
        cursor.setMouseTransparent(true);
        cursor.setVisible(false);
        getChildren().addAll(flash, title, badge, canvas, cursor, readout);
    }

    private void initListeners() {
        badge.textProperty().bind(model.badgeTextProperty());
        InvalidationListener redraw = observable -> dirty = true;
        for (StyleableObjectProperty<Paint> color : List.of(lineColor, textColor, gridColor, bandColor, lowColor,
                dangerColor, throttledColor)) {
            color.addListener(redraw);
        }
        windowMillis.addListener(redraw);
        // The charts take their font from the key's, so a new one changes what they look like.
        title.fontProperty().addListener(redraw);
    }

    /** Stops showing the instance's badge: the tile's view is gone (a language switch made another). */
    public void dispose() {
        badge.textProperty().unbind();
    }

    /**
     * Lets the pointer read the charts: hovering them shows the time under it and the memory and
     * messages in process of the nearest sample against their thresholds. The dashboard's detail
     * chart does this; the wall's small tiles do not.
     */
    public void showReadoutOnHover() {
        canvas.setOnMouseMoved(e -> {
            OptionalLong time = painter.timeAt(e.getX());
            java.util.Optional<String> text = time.isPresent()
                    ? model.readoutAt(time.getAsLong(), windowMillis.get(), zone) : java.util.Optional.empty();
            if (text.isEmpty()) {
                hideReadout();
                return;
            }
            readout.setText(text.get());
            readout.autosize();
            double x = canvas.getLayoutX() + e.getX();
            double left = x + 12 + readout.getWidth() <= getWidth() ? x + 12 : Math.max(0, x - 12 - readout.getWidth());
            readout.relocate(left, canvas.getLayoutY() + 2);
            cursor.resizeRelocate(Math.floor(x), canvas.getLayoutY(), 1, canvas.getHeight());
            readout.setVisible(true);
            cursor.setVisible(true);
        });
        canvas.setOnMouseExited(e -> hideReadout());
    }

    private void hideReadout() {
        readout.setVisible(false);
        cursor.setVisible(false);
    }

    /** The instance this tile shows. */
    public InstanceTileViewModel getModel() {
        return model;
    }

    /**
     * Shows another instance from now on, as a wall that keeps only the tiles in view does with
     * the tile of one that scrolled away: its key, badge and marks at once, and its charts drawn
     * at once when the tile already has its size, so that nothing of the instance shown before is
     * left on screen for a frame.
     */
    public void show(InstanceTileViewModel next) {
        Objects.requireNonNull(next, "next");
        if (next == model) {
            return;
        }
        model = next;
        painter = painter(next);
        title.setText(next.key());
        badge.textProperty().bind(next.badgeTextProperty());
        hideReadout();
        showState(lastPulseMillis);
        dirty = true;
        if (canvas.getWidth() > 0 && canvas.getHeight() > 0) {
            draw();
        }
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
        showState(nowMs);
        if (shown && (dirty || drawnRevision != model.getRevision())) {
            draw();
        }
    }

    /** Sets the marks of the instance's state and the flash's blink at {@code nowMs}. */
    private void showState(long nowMs) {
        // A flapping instance is marked steadily as flapping, not red and back every few seconds.
        pseudoClassStateChanged(THROTTLED, model.isMarked() && !model.isFlapping());
        pseudoClassStateChanged(FLAPPING, model.isFlapping());
        pseudoClassStateChanged(FLASHING, model.isFlashing());
        boolean blinkOn = model.isFlashing()
                && Math.floorMod((nowMs - model.getFlashStartedMs()) / FLASH_HALF_PERIOD_MILLIS, 2) == 0;
        if (flash.isVisible() != blinkOn) {
            flash.setVisible(blinkOn);
        }
    }

    /** The time at {@code x} across the charts as last drawn, for tests; empty off the plot or before any drawing. */
    OptionalLong timeAt(double x) {
        return painter.timeAt(x);
    }

    /**
     * Whether a part of the charts, of some area, lies in {@code sceneArea} (bounds in the scene's
     * coordinates). A tile whose header alone is in a scroll pane's view has its charts clipped away
     * whole: a frame whose only change is such a canvas has no dirty region inside the window, and the
     * renderer then paints the whole window (docs/perf.md, "Whole-window repaints at one height: found").
     */
    public boolean chartsIn(Bounds sceneArea) {
        Bounds charts = canvas.localToScene(canvas.getLayoutBounds());
        return Math.min(charts.getMaxX(), sceneArea.getMaxX()) > Math.max(charts.getMinX(), sceneArea.getMinX())
                && Math.min(charts.getMaxY(), sceneArea.getMaxY()) > Math.max(charts.getMinY(), sceneArea.getMinY());
    }

    /** How many times the charts were drawn; lets a test see that an idle pulse draws nothing. */
    public int drawCount() {
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

    /**
     * Lays out the tile alone, not what holds it: its sizes are fixed and do not follow what it
     * shows, so a new badge ("Flapping · throttled 12 times in 40 s", at each change of a flapping
     * instance) or a new key needs its own children placed again and nothing above it. A label's new
     * text asks its parents for a layout all the way up to the window's root, which re-laid the
     * dashboard, its split and the tabs in each of a flapping instance's pulses (issue 12).
     */
    @Override
    public void requestLayout() {
        setNeedsLayout(true);
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
        ThrottleTilePainter.Palette palette = new ThrottleTilePainter.Palette(lineColor.get(), textColor.get(),
                gridColor.get(), bandColor.get(), lowColor.get(), dangerColor.get(), throttledColor.get());
        painter.paint(canvas.getGraphicsContext2D(), canvas.getWidth(), canvas.getHeight(), title.getFont(), palette,
                windowMillis.get(), lastPulseMillis);
    }

    private StyleableObjectProperty<Paint> color(CssMetaData<ThrottleTile, Paint> meta, String name) {
        return new SimpleStyleableObjectProperty<>(meta, this, name, meta.getInitialValue(this));
    }
}
