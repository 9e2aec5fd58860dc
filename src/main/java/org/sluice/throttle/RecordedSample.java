package org.sluice.throttle;

import java.util.Objects;

/**
 * A sample as the host kept it: what the instance's governor saw, and which run of the instance
 * took it. Each time the host starts an instance again its process begins with a fresh governor,
 * so a replay that reproduces the governor's decisions begins again at each new run.
 *
 * @param run    the run of the instance that took it, counted from 1 since the host began keeping
 *               the instance's samples
 * @param sample what the governor saw
 */
public record RecordedSample(int run, Sample sample) {
    public RecordedSample {
        Objects.requireNonNull(sample, "sample");
        if (run < 1) {
            throw new IllegalArgumentException("runs are counted from 1, not " + run);
        }
    }
}
