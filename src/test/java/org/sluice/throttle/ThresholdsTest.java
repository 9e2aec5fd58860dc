package org.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void memoryThresholdsAreSixtyAndSeventyPercent() {
        assertThat(Thresholds.MEMORY_LOW_PERCENT).isEqualTo(60.0);
        assertThat(Thresholds.MEMORY_HIGH_PERCENT).isEqualTo(70.0);
    }

    @ParameterizedTest
    @CsvSource({"1,40,100", "2,80,200", "8,320,800"})
    void concurrencyThresholdsScaleWithCores(int cores, long low, long high) {
        assertThat(Thresholds.concurrencyLow(cores)).isEqualTo(low);
        assertThat(Thresholds.concurrencyHigh(cores)).isEqualTo(high);
    }

    @Test
    void aZeroCoreInstanceHasNoThresholds() {
        assertThatThrownBy(() -> Thresholds.concurrencyHigh(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
