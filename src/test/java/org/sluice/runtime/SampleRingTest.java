package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.sluice.throttle.RecordedSample;
import org.sluice.throttle.Sample;
import org.sluice.throttle.SampleWindow;

class SampleRingTest {

    @Test
    void keepsEverySampleInOrderWithItsRunAndAnswersARangeWithBothEndsIncluded() {
        SampleRing ring = new SampleRing(100);
        int first = ring.newRun();
        ring.add(first, new Sample(1_000, 12.3, 5, 2));
        ring.add(first, new Sample(1_000, 70.0, 5, 2));
        int second = ring.newRun();
        ring.add(second, new Sample(1_200, 0.1, 250, 2));
        ring.add(second, new Sample(1_400, 100.0, 0, 2));

        assertThat(second).isEqualTo(first + 1);
        SampleWindow window = ring.window(1_000, 1_200);
        assertThat(window.samples()).containsExactly(
                new RecordedSample(first, new Sample(1_000, 12.3, 5, 2)),
                new RecordedSample(first, new Sample(1_000, 70.0, 5, 2)),
                new RecordedSample(second, new Sample(1_200, 0.1, 250, 2)));
        assertThat(window.keptSinceMs()).hasValue(1_000);
    }

    @Test
    void aFullRingDropsItsOldestSamplesAndSaysSinceWhenItKeepsThem() {
        SampleRing ring = new SampleRing(3);
        int run = ring.newRun();
        for (long t = 0; t < 5; t++) {
            ring.add(run, new Sample(t * 200, 50.0, t, 1));
        }

        SampleWindow window = ring.window(0, Long.MAX_VALUE);
        assertThat(window.samples()).extracting(s -> s.sample().timeMs()).containsExactly(400L, 600L, 800L);
        assertThat(window.keptSinceMs()).hasValue(400);
        assertThat(ring.window(0, 300).samples()).isEmpty();
    }

    @Test
    void anEmptyRingKeepsNothingAndSaysSo() {
        SampleWindow window = new SampleRing(10).window(0, Long.MAX_VALUE);

        assertThat(window.samples()).isEmpty();
        assertThat(window.keptSinceMs()).isEqualTo(OptionalLong.empty());
    }

    @Test
    void growsItsArraysOnlyAsSamplesComeSoThatAQuietInstanceCostsLittle() {
        SampleRing ring = new SampleRing(SampleWindow.MAX_SAMPLES);
        assertThat(ring.allocatedSamples()).isLessThanOrEqualTo(1_024);
        int run = ring.newRun();
        for (long t = 0; t < 3_000; t++) {
            ring.add(run, new Sample(t, 1.0, 0, 1));
        }

        assertThat(ring.allocatedSamples()).isBetween(3_000, 6_000);
        assertThat(ring.window(0, Long.MAX_VALUE).samples()).hasSize(3_000);
    }
}
