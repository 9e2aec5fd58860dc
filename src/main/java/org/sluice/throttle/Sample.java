package org.sluice.throttle;

import org.sluice.throttle.InvalidSampleException.Problem;

/**
 * One measurement of a role instance.
 *
 * @param timeMs             when it was taken, in milliseconds on the instance's clock
 * @param memoryPercent      memory in use as a percentage of the instance's memory budget, 0 to 100
 * @param concurrentMessages messages being processed at that moment
 * @param cores              processors the instance has, at least 1
 * @throws InvalidSampleException when a value is out of range
 */
public record Sample(long timeMs, double memoryPercent, long concurrentMessages, int cores) {
    public Sample {
        if (timeMs < 0) {
            throw new InvalidSampleException(Problem.NEGATIVE_TIME, timeMs);
        }
        if (Double.isNaN(memoryPercent) || Double.isInfinite(memoryPercent)) {
            throw new InvalidSampleException(Problem.MEMORY_NOT_A_NUMBER, memoryPercent);
        }
        if (memoryPercent < 0) {
            throw new InvalidSampleException(Problem.MEMORY_NEGATIVE, memoryPercent);
        }
        if (memoryPercent > 100) {
            throw new InvalidSampleException(Problem.MEMORY_OVER_100, memoryPercent);
        }
        if (concurrentMessages < 0) {
            throw new InvalidSampleException(Problem.NEGATIVE_CONCURRENCY, concurrentMessages);
        }
        if (cores < 1) {
            throw new InvalidSampleException(Problem.CORES_BELOW_ONE, cores);
        }
    }
}
