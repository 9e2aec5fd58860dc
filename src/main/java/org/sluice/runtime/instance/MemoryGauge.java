package org.sluice.runtime.instance;

/** Reads how much of its memory budget an instance is using. */
@FunctionalInterface
public interface MemoryGauge {

    /**
     * Memory in use as a percentage of the budget, 0 to 100.
     *
     * @param inProcessBytes the bytes of the messages accepted and not yet answered, which are live
     */
    double percentInUse(long inProcessBytes);

    /**
     * Brings the next reading up to date, at a cost: for the heap, a full collection. The monitor
     * calls it only while memory throttles, at most once a second, because a reading made of
     * after-collection figures would otherwise keep counting delivered messages until the
     * collector next ran on its own.
     */
    default void refresh() {
        // A reading that is always current needs nothing.
    }
}
