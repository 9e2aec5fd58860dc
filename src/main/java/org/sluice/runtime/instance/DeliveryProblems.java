package org.sluice.runtime.instance;

import java.time.InstantSource;

/**
 * Reports a failing destination to the host as a {@code problem}, at most once per period, so a
 * destination that is down does not turn every refused message into a line on the host's screen.
 */
final class DeliveryProblems {
    private static final long PERIOD_MS = 5_000;

    private final InstantSource clock;
    private final ProtocolWriter out;
    private long lastReportMs = Long.MIN_VALUE;

    DeliveryProblems(InstantSource clock, ProtocolWriter out) {
        this.clock = clock;
        this.out = out;
    }

    synchronized void report(String reason) {
        long now = clock.millis();
        if (lastReportMs == Long.MIN_VALUE || now - lastReportMs >= PERIOD_MS) {
            lastReportMs = now;
            out.emit(new ProtocolEvent.Problem("the destination failed: " + reason));
        }
    }
}
