package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleHistoryTest {
    @Test
    void keepsSamplesOldestFirst() {
        SampleHistory history = new SampleHistory(4);
        history.add(100, 10.5, 3);
        history.add(200, 20.5, 7);

        assertThat(history.size()).isEqualTo(2);
        assertThat(history.timeAt(0)).isEqualTo(100);
        assertThat(history.memoryAt(1)).isEqualTo(20.5);
        assertThat(history.concurrentAt(1)).isEqualTo(7);
    }

    @Test
    void aFullRingReplacesTheOldestSample() {
        SampleHistory history = new SampleHistory(3);
        for (int i = 1; i <= 7; i++) {
            history.add(i * 100L, i, i * 10L);
        }

        assertThat(history.size()).isEqualTo(3);
        assertThat(history.capacity()).isEqualTo(3);
        assertThat(new long[] {history.timeAt(0), history.timeAt(1), history.timeAt(2)}).containsExactly(500, 600, 700);
        assertThat(history.memoryAt(0)).isEqualTo(5.0);
        assertThat(history.concurrentAt(2)).isEqualTo(70);
        assertThatThrownBy(() -> history.timeAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void findsTheFirstSampleOfAWindowAcrossTheWrap() {
        SampleHistory history = new SampleHistory(5);
        for (int i = 0; i < 8; i++) {
            history.add(i * 250L, 50, i);
        }
        // kept: 750, 1000, 1250, 1500, 1750

        assertThat(history.firstAtOrAfter(0)).isZero();
        assertThat(history.firstAtOrAfter(1000)).isEqualTo(1);
        assertThat(history.firstAtOrAfter(1100)).isEqualTo(2);
        assertThat(history.firstAtOrAfter(1751)).isEqualTo(5);
        assertThat(history.maxConcurrentFrom(3)).isEqualTo(7);
    }

    @Test
    void aSampleOlderThanTheNewestIsNotKept() {
        SampleHistory history = new SampleHistory(5);
        assertThat(history.add(1000, 50, 1)).isTrue();
        assertThat(history.add(900, 60, 2)).isFalse();
        assertThat(history.add(1000, 55, 2)).isTrue();

        assertThat(history.size()).isEqualTo(2);
        assertThat(history.memoryAt(1)).isEqualTo(55.0);
    }
}
