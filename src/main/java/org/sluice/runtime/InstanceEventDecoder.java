package org.sluice.runtime;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;

import org.sluice.runtime.instance.ProtocolEvent;
import org.sluice.runtime.instance.ProtocolEvents;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a role instance's event lines as the host sees them, the same for every transport (a child
 * process's standard output, an instance's event stream over the network): a line that is not an
 * event is passed over with a warning, and each event is turned into the {@link InstanceEvent} its
 * listener gets. The gate and stopped events have no instance event of their own; each transport
 * acts on them as its commands need.
 */
final class InstanceEventDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceEventDecoder.class);

    private final String service;
    private final int index;
    private final IntFunction<InetSocketAddress> addressOf;

    /**
     * @param addressOf where the instance takes messages, given the port its ready event names
     */
    InstanceEventDecoder(String service, int index, IntFunction<InetSocketAddress> addressOf) {
        this.service = service;
        this.index = index;
        this.addressOf = addressOf;
    }

    /** The event on {@code line}, or empty (with a warning logged) when the line is not one. */
    Optional<ProtocolEvent> parse(String line) {
        return parseNumbered(line).map(ProtocolEvents.Numbered::event);
    }

    /**
     * The event on {@code line} and its number, which an event stream over the network gives and
     * standard output does not; empty (with a warning logged) when the line is not an event.
     */
    Optional<ProtocolEvents.Numbered> parseNumbered(String line) {
        try {
            return Optional.of(ProtocolEvents.parseNumbered(line));
        } catch (ProtocolEvents.MalformedEventException e) {
            LOG.warn("{} instance {} sent something that is not an event: {}", service, index, e.getMessage());
            return Optional.empty();
        }
    }

    /** What the listener is told of {@code wire}; empty for the gate and stopped events. */
    Optional<InstanceEvent> decode(ProtocolEvent wire) {
        return switch (wire) {
            case ProtocolEvent.Ready r -> Optional.of(new InstanceEvent.Ready(r.port(), r.pid(), addressOf.apply(r.port())));
            case ProtocolEvent.Sampled s -> Optional.of(new InstanceEvent.Sampled(new InstanceSample(s.timeMs(),
                    s.memoryPercent(), s.concurrent(), s.cores(), s.received(), s.processed(), s.failed(),
                    s.refusedBusy(), s.latencyP50Ms(), s.latencyP99Ms()), s.latency()));
            case ProtocolEvent.Throttle t -> Optional.of(new InstanceEvent.Throttle(new ThrottleTransition(t.timeMs(),
                    t.previous(), t.state(), t.causes(), Optional.empty())));
            case ProtocolEvent.Episode e -> Optional.of(new InstanceEvent.EpisodeEnded(
                    new ThrottleEpisode(e.startMs(), OptionalLong.of(e.endMs()), e.causes())));
            case ProtocolEvent.Problem p -> Optional.of(new InstanceEvent.Problem(p.message()));
            // The gate confirms a command and stopped precedes the end: the transport acts on both.
            case ProtocolEvent.Gate g -> Optional.empty();
            case ProtocolEvent.Stopped s -> Optional.empty();
        };
    }

    /** Tells {@code listener} of {@code event}; a listener that throws is logged, not passed up to the reader. */
    void deliver(InstanceListener listener, InstanceEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("{} instance {}: an event listener failed", service, index, e);
        }
    }
}
