package org.sluice.fleet.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOverOneToAHundred() {
        Percentiles p = new Percentiles();
        for (long v = 100; v >= 1; v--) {
            p.add(v);
        }
        assertThat(p.percentile(50)).isEqualTo(50);
        assertThat(p.percentile(99)).isEqualTo(99);
        assertThat(p.percentile(100)).isEqualTo(100);
        assertThat(p.percentile(0.5)).isEqualTo(1);
    }

    @Test
    void smallSetsAndGrowth() {
        Percentiles one = new Percentiles();
        one.add(7);
        assertThat(one.percentile(50)).isEqualTo(7);
        assertThat(one.percentile(99)).isEqualTo(7);

        Percentiles many = new Percentiles();
        for (int i = 0; i < 5_000; i++) {
            many.add(i < 4_900 ? 1 : 1_000);
        }
        assertThat(many.count()).isEqualTo(5_000);
        assertThat(many.percentile(50)).isEqualTo(1);
        assertThat(many.percentile(98)).isEqualTo(1);
        assertThat(many.percentile(99)).isEqualTo(1_000);
    }

    @Test
    void refusesNothingRecordedAndPercentilesOutOfRange() {
        Percentiles empty = new Percentiles();
        assertThatThrownBy(() -> empty.percentile(50)).isInstanceOf(IllegalStateException.class);
        empty.add(1);
        assertThatThrownBy(() -> empty.percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> empty.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
