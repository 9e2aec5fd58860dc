package org.sluice.runtime.instance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The wire form of {@link ProtocolEvent}s: one JSON object per line, fields in the order of
 * docs/runtime.md. The instance writes with {@link #toLine}; the host reads with {@link #parse}.
 */
public final class ProtocolEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProtocolEvents() {
    }

    /** A line that is not a protocol event. */
    public static final class MalformedEventException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedEventException(String message) {
            super(message);
        }
    }

    /**
     * A memory percentage as a sample line carries it: to the tenth. The instance's governor decides
     * on this figure too, so that the samples the host keeps replay to the same decisions.
     */
    public static double memoryAsPrinted(double memoryPercent) {
        return Math.round(memoryPercent * 10) / 10.0;
    }

    /**
     * An event and the number its instance gave it on its event stream. Standard output carries no
     * numbers, nor does the stream of an instance of an earlier Sluice.
     */
    public record Numbered(ProtocolEvent event, OptionalLong number) {
    }

    /** The JSON line of {@code event}, without a line break. */
    public static String toLine(ProtocolEvent event) {
        return write(node(event));
    }

    /**
     * The JSON line of {@code event} as an event stream carries it: its number last, as
     * {@code "seq"}, so that a reader which knows no numbers reads the same event.
     */
    public static String toLine(ProtocolEvent event, long number) {
        return write(node(event).put("seq", number));
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    private static ObjectNode node(ProtocolEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        if (event instanceof ProtocolEvent.Ready e) {
            node.put("event", "ready").put("port", e.port()).put("pid", e.pid());
        } else if (event instanceof ProtocolEvent.Sampled e) {
            node.put("event", "sample").put("timeMs", e.timeMs())
                    .put("memoryPercent", memoryAsPrinted(e.memoryPercent()))
                    .put("concurrent", e.concurrent()).put("cores", e.cores())
                    .put("received", e.received()).put("processed", e.processed())
                    .put("failed", e.failed()).put("refusedBusy", e.refusedBusy())
                    .put("latencyP50Ms", e.latencyP50Ms()).put("latencyP99Ms", e.latencyP99Ms())
                    .put("state", e.state().name());
            causes(node, e.causes());
            e.latency().ifPresent(latency -> {
                ObjectNode histogram = node.putObject("latency");
                latency.boundsMs().forEach(histogram.putArray("boundsMs")::add);
                latency.counts().forEach(histogram.putArray("counts")::add);
                histogram.put("sumMs", latency.sumMs());
            });
        } else if (event instanceof ProtocolEvent.Throttle e) {
            node.put("event", "throttle").put("timeMs", e.timeMs())
                    .put("previous", e.previous().name()).put("state", e.state().name());
            causes(node, e.causes());
        } else if (event instanceof ProtocolEvent.Episode e) {
            node.put("event", "episode").put("startMs", e.startMs()).put("endMs", e.endMs());
            causes(node, e.causes());
        } else if (event instanceof ProtocolEvent.Problem e) {
            node.put("event", "problem").put("message", e.message());
        } else if (event instanceof ProtocolEvent.Gate e) {
            node.put("event", "gate").put("open", e.open());
        } else if (event instanceof ProtocolEvent.Stopped) {
            node.put("event", "stopped");
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        return node;
    }

    /**
     * The event on one line of an instance's standard output.
     *
     * @throws MalformedEventException when the line is not JSON, names no known event or lacks a field
     */
    public static ProtocolEvent parse(String line) throws MalformedEventException {
        return parseNumbered(line).event();
    }

    /**
     * The event on one line and its number, if the line has one.
     *
     * @throws MalformedEventException when the line is not JSON, names no known event, lacks a field
     *                                 or has a number that is not a positive whole number
     */
    public static Numbered parseNumbered(String line) throws MalformedEventException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + line);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("not a JSON object: " + line);
        }
        OptionalLong number = OptionalLong.empty();
        if (node.hasNonNull("seq")) {
            long seq = number(node, "seq");
            if (seq < 1) {
                throw new MalformedEventException("seq must be 1 or more: " + line);
            }
            number = OptionalLong.of(seq);
        }
        return new Numbered(event(node, line), number);
    }

    private static ProtocolEvent event(JsonNode node, String line) throws MalformedEventException {
        String event = text(node, "event");
        switch (event) {
            case "ready":
                return new ProtocolEvent.Ready((int) number(node, "port"), number(node, "pid"));
            case "sample":
                return new ProtocolEvent.Sampled(number(node, "timeMs"), decimal(node, "memoryPercent"),
                        number(node, "concurrent"), (int) number(node, "cores"), number(node, "received"),
                        number(node, "processed"), number(node, "failed"), number(node, "refusedBusy"),
                        number(node, "latencyP50Ms"), number(node, "latencyP99Ms"), state(node, "state"),
                        causes(node), latency(node));
            case "throttle":
                return new ProtocolEvent.Throttle(number(node, "timeMs"), state(node, "previous"),
                        state(node, "state"), causes(node));
            case "episode":
                return new ProtocolEvent.Episode(number(node, "startMs"), number(node, "endMs"), causes(node));
            case "problem":
                return new ProtocolEvent.Problem(text(node, "message"));
            case "gate":
                JsonNode open = node.get("open");
                if (open == null || !open.isBoolean()) {
                    throw new MalformedEventException("'open' must be true or false: " + line);
                }
                return new ProtocolEvent.Gate(open.booleanValue());
            case "stopped":
                return new ProtocolEvent.Stopped();
            default:
                throw new MalformedEventException("unknown event '" + event + "': " + line);
        }
    }

    /** The histogram of a sample; an instance of an earlier Sluice sends none. */
    private static Optional<LatencyHistogram> latency(JsonNode node) throws MalformedEventException {
        JsonNode latency = node.get("latency");
        if (latency == null || latency.isNull()) {
            return Optional.empty();
        }
        if (!latency.isObject()) {
            throw new MalformedEventException("latency is not an object: " + node);
        }
        try {
            return Optional.of(new LatencyHistogram(numbers(latency, "boundsMs"), numbers(latency, "counts"),
                    number(latency, "sumMs")));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(e.getMessage() + ": " + node);
        }
    }

    private static List<Long> numbers(JsonNode node, String name) throws MalformedEventException {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw new MalformedEventException(name + " is not an array: " + node);
        }
        List<Long> numbers = new ArrayList<>(value.size());
        for (JsonNode n : value) {
            if (!n.isIntegralNumber()) {
                throw new MalformedEventException(name + " holds something other than whole numbers: " + node);
            }
            numbers.add(n.longValue());
        }
        return numbers;
    }

    private static void causes(ObjectNode node, Set<Cause> causes) {
        ArrayNode array = node.putArray("causes");
        causes.forEach(c -> array.add(c.name()));
    }

    private static JsonNode field(JsonNode node, String name) throws MalformedEventException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new MalformedEventException("missing " + name + ": " + node);
        }
        return value;
    }

    private static String text(JsonNode node, String name) throws MalformedEventException {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new MalformedEventException(name + " is not text: " + node);
        }
        return value.asText();
    }

    private static long number(JsonNode node, String name) throws MalformedEventException {
        JsonNode value = field(node, name);
        if (!value.isIntegralNumber()) {
            throw new MalformedEventException(name + " is not a whole number: " + node);
        }
        return value.longValue();
    }

    private static double decimal(JsonNode node, String name) throws MalformedEventException {
        JsonNode value = field(node, name);
        if (!value.isNumber()) {
            throw new MalformedEventException(name + " is not a number: " + node);
        }
        return value.doubleValue();
    }

    private static ThrottleState state(JsonNode node, String name) throws MalformedEventException {
        String value = text(node, name);
        try {
            return ThrottleState.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(name + " '" + value + "' is not NORMAL or THROTTLED: " + node);
        }
    }

    private static Set<Cause> causes(JsonNode node) throws MalformedEventException {
        JsonNode value = field(node, "causes");
        if (!value.isArray()) {
            throw new MalformedEventException("causes is not an array: " + node);
        }
        Set<Cause> causes = EnumSet.noneOf(Cause.class);
        for (JsonNode cause : value) {
            try {
                causes.add(Cause.valueOf(cause.asText()));
            } catch (IllegalArgumentException e) {
                throw new MalformedEventException("unknown cause '" + cause.asText() + "': " + node);
            }
        }
        return causes;
    }
}
