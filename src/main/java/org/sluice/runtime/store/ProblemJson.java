package org.sluice.runtime.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.sluice.lifecycle.Problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link Problem} as JSON, one shape for the management API and the store:
 * {@code {"code": "instance-not-ready", "arguments": {"instance": "0", "seconds": "30"}, "inner": {…}}},
 * {@code inner} left out when there is none.
 */
public final class ProblemJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProblemJson() {
    }

    public static ObjectNode write(Problem problem) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("code", problem.code());
        ObjectNode arguments = node.putObject("arguments");
        problem.arguments().forEach(arguments::put);
        problem.inner().ifPresent(inner -> node.set("inner", write(inner)));
        return node;
    }

    /** The problem of {@code node}; empty when it is missing or has no code (a host older than problems). */
    public static Optional<Problem> read(JsonNode node) {
        if (node == null || !node.path("code").isTextual()) {
            return Optional.empty();
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        node.path("arguments").properties().forEach(e -> arguments.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new Problem(node.path("code").asText(), arguments, read(node.get("inner"))));
    }

    public static String text(Problem problem) {
        return write(problem).toString();
    }

    /** The problem of a text {@link #text} wrote; empty for null or a text that is not one. */
    public static Optional<Problem> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return read(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
