package org.sluice.runtime.instance;

import java.util.List;
import java.util.Objects;

/**
 * The latencies of every message a role instance has answered since its process started, in
 * buckets: {@code counts[i]} messages took more than {@code boundsMs[i-1]} and at most
 * {@code boundsMs[i]} milliseconds; the last count is of those over the largest bound. It goes
 * to the host with each sample and becomes the {@code sluice_instance_latency_seconds} histogram.
 *
 * @param boundsMs the buckets' upper bounds, rising
 * @param counts   the messages in each bucket (not cumulative), one more than there are bounds
 * @param sumMs    the latencies of all of them added up
 */
public record LatencyHistogram(List<Long> boundsMs, List<Long> counts, long sumMs) {
    public LatencyHistogram {
        boundsMs = List.copyOf(boundsMs);
        counts = List.copyOf(counts);
        if (counts.size() != boundsMs.size() + 1) {
            throw new IllegalArgumentException("a latency histogram has one more count than bounds (the messages over the largest), "
                    + "but has " + boundsMs.size() + " bounds and " + counts.size() + " counts");
        }
        for (int i = 1; i < boundsMs.size(); i++) {
            if (boundsMs.get(i) <= boundsMs.get(i - 1)) {
                throw new IllegalArgumentException("the bounds of a latency histogram rise, but " + boundsMs.get(i)
                        + " follows " + boundsMs.get(i - 1));
            }
        }
        if (counts.stream().anyMatch(c -> c < 0) || sumMs < 0) {
            throw new IllegalArgumentException("a latency histogram counts nothing below 0: " + counts + ", sum " + sumMs);
        }
    }

    /** Messages counted, in all buckets. */
    public long count() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatencyHistogram h && h.sumMs == sumMs && h.boundsMs.equals(boundsMs) && h.counts.equals(counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(boundsMs, counts, sumMs);
    }
}
