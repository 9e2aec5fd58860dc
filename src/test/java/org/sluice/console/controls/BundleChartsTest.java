package org.sluice.console.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import javafx.application.Platform;
import javafx.scene.canvas.Canvas;
import javafx.scene.text.Font;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.RecordedChartData;
import org.sluice.throttle.Cause;
import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleEpisode;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** An incident bundle's chart spans the bundle's range, drawn from the samples it is given. */
@ExtendWith(ApplicationExtension.class)
class BundleChartsTest {
    private static final long FROM = 1_700_049_600_000L; // 12:00:00 UTC
    private static final long TO = FROM + 60_000;
    // 1200 x 480 with a 12 px chart font: the memory plot spans y 16-229 (95 % near y 27, 70 % near y 80)
    // and the plot some 1170 px across, so a second of the minute is about 19.5 px.
    private static final int ABOVE_THE_BAND = 60;

    /** 95 % for the range's first half and 10 % after, with samples before and after the range at 95 %; throttled from 30 to 45 s. */
    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (long t = FROM - 30_000; t <= TO + 30_000; t += 200) {
            boolean secondHalf = t >= FROM + 30_000 && t <= TO;
            samples.add(new Sample(t, secondHalf ? 10.0 : 95.0, 0, 2));
        }
        return samples;
    }

    private static final List<ThrottleEpisode> EPISODES = List.of(
            new ThrottleEpisode(FROM + 30_000, OptionalLong.of(FROM + 45_000), Set.of(Cause.MEMORY)));

    @Test
    void theChartOfABundleSpansItsRangeFromItsSamplesAndIsDrawnFromAThreadThatIsNotTheFxThread() throws Exception {
        assertThat(Platform.isFxApplicationThread()).isFalse();
        BundleCharts charts = new BundleCharts(new I18n(Locale.ENGLISH).bundle(), ZoneOffset.UTC, Platform::runLater);

        byte[] png = charts.draw("orders", 1, FROM, TO, samples(), EPISODES).orElseThrow();

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(BundleCharts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(BundleCharts.HEIGHT);
        int secondsIn15 = 292;
        int secondsIn37 = 731;
        int secondsIn52 = 1014;
        assertThat(pink(image.getRGB(secondsIn15, ABOVE_THE_BAND))).as("before the episode").isFalse();
        assertThat(pink(image.getRGB(secondsIn37, ABOVE_THE_BAND))).as("in the episode").isTrue();
        assertThat(pink(image.getRGB(secondsIn52, ABOVE_THE_BAND))).as("after it").isFalse();
        assertThat(lineNear(image, secondsIn15, 27)).as("95 % in the first half").isTrue();
        assertThat(lineNear(image, secondsIn52, 27)).as("10 % in the second half: the samples after the range are left out").isFalse();
    }

    @Test
    void aRangeIsPaintedAcrossThePlotFromItsStartToItsEnd() throws Exception {
        ThrottleTilePainter painter = WaitForAsyncUtils.asyncFx(() -> {
            ThrottleTilePainter p = new ThrottleTilePainter(new RecordedChartData(samples(), EPISODES), new I18n(Locale.ENGLISH).bundle(),
                    ZoneOffset.UTC);
            p.paintRange(new Canvas(600, 240).getGraphicsContext2D(), 600, 240, Font.font(13), ThrottleTile.DEFAULT_PALETTE, FROM, TO);
            return p;
        }).get(10, TimeUnit.SECONDS);

        assertThat(painter.timeAt(0)).hasValue(FROM);
        int plotEnd = 0;
        for (int x = 0; x < 600; x++) {
            if (painter.timeAt(x).isPresent()) {
                plotEnd = x;
            }
        }
        assertThat(plotEnd).as("the threshold labels take the right edge").isBetween(500, 590);
        assertThat(painter.timeAt(plotEnd).getAsLong()).as("the plot's right end is the range's end").isBetween(TO - 200, TO);
        assertThat(painter.lastTimeTicks()).extracting(ThrottleTilePainter.Tick::label).contains(java.time.format.DateTimeFormatter.ofLocalizedTime(java.time.format.FormatStyle.MEDIUM)
                .withLocale(Locale.ENGLISH).format(java.time.LocalTime.of(12, 0, 30)));
    }

    private static boolean pink(int rgb) {
        int red = (rgb >> 16) & 0xff;
        int green = (rgb >> 8) & 0xff;
        return red - green > 30;
    }

    private static boolean lineNear(BufferedImage image, int x, int y) {
        for (int dy = -3; dy <= 3; dy++) {
            int rgb = image.getRGB(x, y + dy);
            if ((rgb & 0xff) - ((rgb >> 16) & 0xff) > 60) {
                return true;
            }
        }
        return false;
    }
}
