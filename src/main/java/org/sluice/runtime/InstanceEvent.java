package org.sluice.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

import org.sluice.lifecycle.RestartCause;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleTransition;

/** What a role instance reports to its host. */
public sealed interface InstanceEvent {

    /**
     * The instance accepts messages on {@code port}, at {@code address}: this machine's loopback
     * for a child process, the address the host reached it at for an instance that runs elsewhere.
     */
    record Ready(int port, long pid, InetSocketAddress address) implements InstanceEvent {
        public Ready {
            Objects.requireNonNull(address, "address");
        }

        /** A child process's readiness: it takes messages on this machine's loopback. */
        public Ready(int port, long pid) {
            this(port, pid, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    /**
     * A measurement, with the latencies of every message since the instance started when it
     * sends them.
     */
    record Sampled(InstanceSample sample, Optional<LatencyHistogram> latency) implements InstanceEvent {
        public Sampled {
            Objects.requireNonNull(latency, "latency");
        }

        /** A measurement without latencies. */
        public Sampled(InstanceSample sample) {
            this(sample, Optional.empty());
        }
    }

    /** Its throttle state or causes changed. */
    record Throttle(ThrottleTransition transition) implements InstanceEvent {
    }

    /** A throttle episode ended. */
    record EpisodeEnded(ThrottleEpisode episode) implements InstanceEvent {
    }

    /** Something the operator should see. */
    record Problem(String message) implements InstanceEvent {
    }

    /**
     * The host starts the instance again in {@code delayMs} after it exited without being asked
     * to ({@link RestartCause#CRASH}), or after it did not come back when the host restarted
     * ({@link RestartCause#HOST_RESTART}); {@code attempt} counts the crashes, or the tries, in a row.
     */
    record Restarting(int attempt, long delayMs, RestartCause cause) implements InstanceEvent {
        public Restarting {
            Objects.requireNonNull(cause, "cause");
        }

        /** After a crash. */
        public Restarting(int attempt, long delayMs) {
            this(attempt, delayMs, RestartCause.CRASH);
        }
    }

    /** The host leaves the instance down after {@code crashes} crashes, or tries after a host restart, in a row. */
    record GaveUp(int crashes, RestartCause cause) implements InstanceEvent {
        public GaveUp {
            Objects.requireNonNull(cause, "cause");
        }

        /** After crashes. */
        public GaveUp(int crashes) {
            this(crashes, RestartCause.CRASH);
        }
    }

    /** The process ended; {@code requested} is true when the host asked it to stop. */
    record Exited(int status, boolean requested) implements InstanceEvent {
    }
}
