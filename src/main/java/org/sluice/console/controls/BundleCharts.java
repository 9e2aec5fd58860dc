package org.sluice.console.controls;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import javafx.application.Platform;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import org.sluice.console.viewmodel.RecordedChartData;
import org.sluice.fleet.bundle.IncidentBundle;
import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleEpisode;

/**
 * The charts of an incident bundle: each instance's samples over the bundle's range, drawn by the
 * tile's own painter in the light theme's colours on a white ground, as PNG.
 *
 * <p>It is called on the thread that writes the bundle. The painting goes into a canvas that is in
 * no scene, there; only the canvas's snapshot, which JavaFX takes on its own thread alone, is
 * handed to the FX thread, and the PNG is encoded back on the calling thread.
 */
public final class BundleCharts implements IncidentBundle.Charts {
    /** The charts' size in pixels: wide enough for an hour's minute marks. */
    public static final int WIDTH = 1200;
    public static final int HEIGHT = 480;
    private static final double KEY_FONT_SIZE = 15;

    private final ResourceBundle bundle;
    private final ZoneId zone;
    private final Executor fxThread;
    private final java.util.Locale locale;

    /**
     * @param bundle   the console's words in the user's language, for the charts' titles
     * @param zone     the zone the time axis reads its clock times in
     * @param fxThread runs the snapshot on the FX thread, {@code Platform::runLater} in the console
     */
    public BundleCharts(ResourceBundle bundle, ZoneId zone, Executor fxThread) {
        this(bundle, zone, null, fxThread);
    }

    /** @param locale how the time axis says clock times, as the console's lists do; null for the bundle's language */
    public BundleCharts(ResourceBundle bundle, ZoneId zone, java.util.Locale locale, Executor fxThread) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.locale = locale == null ? ThrottleTilePainter.localeOf(bundle) : locale;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
    }

    @Override
    public Optional<byte[]> draw(String service, int index, long fromMs, long toMs, List<Sample> samples, List<ThrottleEpisode> episodes) {
        Canvas canvas = new Canvas(WIDTH, HEIGHT);
        new ThrottleTilePainter(new RecordedChartData(samples, episodes), bundle, zone, locale)
                .paintRange(canvas.getGraphicsContext2D(), WIDTH, HEIGHT, Font.font(KEY_FONT_SIZE), ThrottleTile.DEFAULT_PALETTE, fromMs, toMs);
        return Optional.of(PngEncoder.encode(snapshot(canvas)));
    }

    private WritableImage snapshot(Canvas canvas) {
        SnapshotParameters white = new SnapshotParameters();
        white.setFill(Color.WHITE);
        if (Platform.isFxApplicationThread()) {
            return canvas.snapshot(white, null);
        }
        CompletableFuture<WritableImage> image = new CompletableFuture<>();
        fxThread.execute(() -> {
            try {
                image.complete(canvas.snapshot(white, null));
            } catch (RuntimeException e) {
                image.completeExceptionally(e);
            }
        });
        try {
            return image.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the chart's snapshot was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the chart could not be drawn: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
