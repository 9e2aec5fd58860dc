package org.sluice.fleet.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed sign-ins per client address and says how long the next answer to that address
 * waits: nothing for the first failure, then a pause that doubles with each failure in a row up
 * to a ceiling. A success clears the count; so does a quarter of an hour without failures. A
 * guesser is never answered faster than the last time, and one address's guessing does not slow
 * another's.
 */
final class FailedAttempts {
    private static final long FORGET_AFTER_MS = Duration.ofMinutes(15).toMillis();
    private static final int MAX_ADDRESSES = 10_000;

    private record Entry(int count, long lastMs) {
    }

    private final Map<String, Entry> byAddress = new ConcurrentHashMap<>();
    private final long firstPauseMs;
    private final long maxPauseMs;
    private final LongSupplier clock;

    FailedAttempts(Duration firstPause, Duration maxPause, LongSupplier clock) {
        this.firstPauseMs = firstPause.toMillis();
        this.maxPauseMs = maxPause.toMillis();
        this.clock = clock;
    }

    /** Records a failure from {@code address}; returns how long to wait before answering it. */
    long failed(String address) {
        long now = clock.getAsLong();
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.values().removeIf(e -> now - e.lastMs() > FORGET_AFTER_MS);
        }
        Entry entry = byAddress.compute(address, (a, e) ->
                e == null || now - e.lastMs() > FORGET_AFTER_MS ? new Entry(1, now) : new Entry(e.count() + 1, now));
        return pauseFor(entry.count());
    }

    /** Forgets the failures of {@code address}: it signed in. */
    void succeeded(String address) {
        byAddress.remove(address);
    }

    private long pauseFor(int failures) {
        if (failures <= 1) {
            return 0;
        }
        int doublings = Math.min(failures - 2, 30);
        return Math.min(maxPauseMs, firstPauseMs << doublings);
    }
}
