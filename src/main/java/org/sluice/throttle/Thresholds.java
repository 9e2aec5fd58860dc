package org.sluice.throttle;

/**
 * The throttling thresholds. They are constants of the system: nothing can change them and
 * throttling cannot be switched off.
 *
 * <p>A criterion starts throttling when its value reaches its high threshold (value &ge; high) and
 * stops when it comes back to its low threshold (value &le; low).
 */
public final class Thresholds {
    /** Memory in use, as a percentage of the instance's budget, at or below which memory throttling ends. */
    public static final double MEMORY_LOW_PERCENT = 60.0;
    /** Memory in use, as a percentage of the instance's budget, at or above which memory throttling starts. */
    public static final double MEMORY_HIGH_PERCENT = 70.0;
    /** Messages in process per core at or below which concurrency throttling ends. */
    public static final int CONCURRENCY_LOW_PER_CORE = 40;
    /** Messages in process per core at or above which concurrency throttling starts. */
    public static final int CONCURRENCY_HIGH_PER_CORE = 100;

    private Thresholds() {
    }

    /** The low concurrency threshold of an instance with {@code cores} processors: 40 &times; cores. */
    public static long concurrencyLow(int cores) {
        requireCores(cores);
        return (long) CONCURRENCY_LOW_PER_CORE * cores;
    }

    /** The high concurrency threshold of an instance with {@code cores} processors: 100 &times; cores. */
    public static long concurrencyHigh(int cores) {
        requireCores(cores);
        return (long) CONCURRENCY_HIGH_PER_CORE * cores;
    }

    private static void requireCores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, was " + cores);
        }
    }
}
