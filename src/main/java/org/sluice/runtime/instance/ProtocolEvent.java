package org.sluice.runtime.instance;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

/**
 * One line a role instance prints on standard output for its host, as the protocol of
 * docs/runtime.md has it. {@link ProtocolEvents} turns each into its JSON line and back. The host
 * reads these lines and passes on what it needs as {@code org.sluice.runtime.InstanceEvent}s,
 * which carry the throttle package's own types rather than the wire's fields.
 */
public sealed interface ProtocolEvent {

    /** The instance accepts messages on {@code port}. */
    record Ready(int port, long pid) implements ProtocolEvent {
    }

    /**
     * One measurement of the instance, taken at least every 250 ms.
     *
     * @param latency the latencies of every message since the instance started; empty from an
     *                instance of a Sluice that did not send them yet
     */
    record Sampled(long timeMs, double memoryPercent, long concurrent, int cores, long received, long processed,
                   long failed, long refusedBusy, long latencyP50Ms, long latencyP99Ms, ThrottleState state,
                   Set<Cause> causes, Optional<LatencyHistogram> latency) implements ProtocolEvent {
        public Sampled {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(latency, "latency");
            causes = copy(causes);
        }

        /** A measurement without a latency histogram. */
        public Sampled(long timeMs, double memoryPercent, long concurrent, int cores, long received, long processed,
                       long failed, long refusedBusy, long latencyP50Ms, long latencyP99Ms, ThrottleState state,
                       Set<Cause> causes) {
            this(timeMs, memoryPercent, concurrent, cores, received, processed, failed, refusedBusy, latencyP50Ms,
                    latencyP99Ms, state, causes, Optional.empty());
        }
    }

    /** The throttle state or the set of causes changed. */
    record Throttle(long timeMs, ThrottleState previous, ThrottleState state, Set<Cause> causes)
            implements ProtocolEvent {
        public Throttle {
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(state, "state");
            causes = copy(causes);
        }
    }

    /** A throttle episode ended. */
    record Episode(long startMs, long endMs, Set<Cause> causes) implements ProtocolEvent {
        public Episode {
            causes = copy(causes);
        }

        /** How long the instance was throttled. */
        public long durationMs() {
            return endMs - startMs;
        }
    }

    /**
     * Something the operator should see. Its text is cut to {@value #MAX_MESSAGE_CHARS} characters,
     * a marker at its end saying how many more there were: the text may carry whatever a destination
     * answered, and one such line must not push every other line out of the lines an instance keeps
     * for a follower that comes back (docs/runtime.md, decision 0038).
     */
    record Problem(String message) implements ProtocolEvent {
        /** The most characters of a problem's text that are kept; enough for any message of Sluice's own and a stack frame or two. */
        public static final int MAX_MESSAGE_CHARS = 4000;
        /** The marker's most characters: its count has at most ten digits. */
        private static final int MARKER_ROOM = 40;

        public Problem {
            Objects.requireNonNull(message, "message");
            if (message.length() > MAX_MESSAGE_CHARS) {
                // Room for the marker within the limit, so that a text cut once is never cut again when read.
                int keep = MAX_MESSAGE_CHARS - MARKER_ROOM;
                // Never half a character: a lone surrogate would not survive being written as UTF-8.
                if (Character.isHighSurrogate(message.charAt(keep - 1))) {
                    keep--;
                }
                message = message.substring(0, keep) + "\u2026 [" + (message.length() - keep) + " more characters cut]";
            }
        }
    }

    /**
     * The instance has acted on {@code suspend} ({@code open} false: it refuses messages and its
     * pull source is still) or on {@code resume} ({@code open} true: it takes messages again).
     */
    record Gate(boolean open) implements ProtocolEvent {
    }

    /** The instance is about to exit cleanly. */
    record Stopped() implements ProtocolEvent {
    }

    private static Set<Cause> copy(Set<Cause> causes) {
        return causes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(causes));
    }
}
