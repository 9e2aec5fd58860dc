package org.sluice.console.viewmodel;

import org.sluice.throttle.Thresholds;

/**
 * What the throttle charts draw of one instance: its thresholds, its samples and the periods it was
 * throttled. A live tile gives it as samples arrive ({@link InstanceTileViewModel}); an incident
 * bundle gives what the host kept of a time range ({@link RecordedChartData}).
 */
public interface ThrottleChartData {
    /** The instance's processor cores, which set its concurrency thresholds. */
    int cores();

    default double memoryLowPercent() {
        return Thresholds.MEMORY_LOW_PERCENT;
    }

    default double memoryHighPercent() {
        return Thresholds.MEMORY_HIGH_PERCENT;
    }

    /** Messages in process at or below which concurrency throttling ends. */
    default long concurrencyLow() {
        return Thresholds.concurrencyLow(cores());
    }

    /** Messages in process at or above which concurrency throttling starts. */
    default long concurrencyHigh() {
        return Thresholds.concurrencyHigh(cores());
    }

    /** The samples that cover {@code windowMillis}, oldest first. */
    SampleHistory samplesFor(long windowMillis);

    /** How many throttled periods are kept, oldest first. */
    int throttledPeriodCount();

    long throttledPeriodStartMs(int position);

    /** When throttled period {@code position} ended, or {@link InstanceTileViewModel#OPEN} while it goes on. */
    long throttledPeriodEndMs(int position);
}
