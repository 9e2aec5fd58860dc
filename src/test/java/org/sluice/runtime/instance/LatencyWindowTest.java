package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LatencyWindowTest {
    @Test
    void anEmptyWindowHasNoLatenciesAndItsPercentilesAreZero() {
        LatencyWindow window = new LatencyWindow(8);
        assertThat(window.sorted()).isEmpty();
        assertThat(window.percentile(50)).isZero();
        assertThat(window.percentile(99)).isZero();
    }

    @Test
    void percentilesAreByNearestRank() {
        LatencyWindow window = new LatencyWindow(16);
        for (long v : new long[] {7, 3, 10, 1, 5, 9, 2, 8, 4, 6}) {
            window.record(v);
        }
        assertThat(window.sorted()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(window.percentile(50)).isEqualTo(5);
        assertThat(window.percentile(90)).isEqualTo(9);
        assertThat(window.percentile(99)).isEqualTo(10);
        assertThat(window.percentile(100)).isEqualTo(10);
        assertThat(window.percentile(1)).isEqualTo(1);
    }

    @Test
    void aZeroLatencyCountsAndANegativeOneCountsAsZero() {
        LatencyWindow window = new LatencyWindow(4);
        window.record(0);
        window.record(-5);
        window.record(3);
        assertThat(window.sorted()).containsExactly(0, 0, 3);
    }

    @Test
    void onlyTheMostRecentCapacityLatenciesCount() {
        LatencyWindow window = new LatencyWindow(4);
        for (long v = 1; v <= 10; v++) {
            window.record(v);
        }
        assertThat(window.sorted()).containsExactly(7, 8, 9, 10);
        assertThat(window.percentile(50)).isEqualTo(8);
    }

    @Test
    void theCapacityIsAPowerOfTwo() {
        assertThatThrownBy(() -> new LatencyWindow(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LatencyWindow(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LatencyWindow(1).sorted()).isEmpty();
    }

    @Test
    void recordsFromManyThreadsAtOnceAreAllKept() throws Exception {
        int threads = 4;
        int each = 256;
        LatencyWindow window = new LatencyWindow(threads * each);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long first = (long) t * each;
                done.add(pool.submit(() -> {
                    go.await();
                    for (long v = first; v < first + each; v++) {
                        window.record(v);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(window.sorted()).containsExactly(LongStream.range(0, (long) threads * each).toArray());
    }
}
