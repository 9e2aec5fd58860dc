package org.sluice.throttle;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The samples of one role instance within a time range, oldest first, as far as the host still
 * keeps them.
 *
 * @param samples      those taken within the range, in the order the governor saw them, at most
 *                     {@link #MAX_SAMPLES}
 * @param keptSinceMs  the time of the oldest sample the host still keeps for the instance, whatever
 *                     the range; empty when it keeps none. A range that begins earlier has lost
 *                     its first samples.
 */
public record SampleWindow(List<RecordedSample> samples, OptionalLong keptSinceMs) {
    /**
     * The most samples a host keeps for one instance, and so the most one answer holds: one hour
     * at the instances' sampling period of 200 ms.
     */
    public static final int MAX_SAMPLES = 18_000;

    public SampleWindow {
        Objects.requireNonNull(keptSinceMs, "keptSinceMs");
        samples = List.copyOf(samples);
        if (samples.size() > MAX_SAMPLES) {
            throw new IllegalArgumentException("an answer holds at most " + MAX_SAMPLES + " samples, not " + samples.size());
        }
    }

    /** No sample kept at all. */
    public static SampleWindow none() {
        return new SampleWindow(List.of(), OptionalLong.empty());
    }
}
