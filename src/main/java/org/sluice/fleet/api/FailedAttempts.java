package org.sluice.fleet.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed sign-ins per client address and says how long the next answer to that address
 * waits: nothing for the first failure, then a pause that doubles with each failure in a row up
 * to a ceiling. A success clears the count; so does a quarter of an hour without failures. A
 * guesser is never answered faster than the last time, and one address's guessing does not slow
 * another's. An IPv6 client counts as its /64 network, which one machine can fill with addresses,
 * and the table holds at most {@value #MAX_ADDRESSES} sources: past that, the one quiet longest
 * is forgotten.
 */
final class FailedAttempts {
    private static final long FORGET_AFTER_MS = Duration.ofMinutes(15).toMillis();
    static final int MAX_ADDRESSES = 10_000;

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
        String key = sourceOf(address);
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.values().removeIf(e -> now - e.lastMs() > FORGET_AFTER_MS);
            // Still full of recent guessers (many addresses at once): the one quiet longest goes, so
            // the table never grows past its bound.
            while (byAddress.size() >= MAX_ADDRESSES) {
                byAddress.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().lastMs()))
                        .ifPresent(oldest -> byAddress.remove(oldest.getKey(), oldest.getValue()));
            }
        }
        Entry entry = byAddress.compute(key, (a, e) ->
                e == null || now - e.lastMs() > FORGET_AFTER_MS ? new Entry(1, now) : new Entry(e.count() + 1, now));
        return pauseFor(entry.count());
    }

    /** Forgets the failures of {@code address}: it signed in. */
    void succeeded(String address) {
        byAddress.remove(sourceOf(address));
    }

    /**
     * Whom failures are counted against: an IPv4 address, or an IPv6 address's /64 network, which
     * one machine can fill with addresses of its own.
     */
    static String sourceOf(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // A literal: the JDK parses it without asking any name service.
            byte[] bytes = InetAddress.getByName(address.replaceAll("%.*$", "")).getAddress();
            return bytes.length != 16 ? address : String.format("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64",
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** How many sources are counted now. */
    int size() {
        return byAddress.size();
    }

    private long pauseFor(int failures) {
        if (failures <= 1) {
            return 0;
        }
        int doublings = Math.min(failures - 2, 30);
        return Math.min(maxPauseMs, firstPauseMs << doublings);
    }
}
