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
}
