package org.sluice.fleet.api;

import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a JSON value against a schema of an OpenAPI 3.0 document, for the part of the schema
 * language that the management API's document uses: {@code $ref}, {@code allOf}, {@code anyOf},
 * {@code type}, {@code nullable}, {@code required}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code enum}, {@code format: date-time},
 * {@code minimum} and {@code maximum}.
 *
 * <p>{@code nullable} means what OpenAPI 3.0.3 says: it adds {@code null} to the {@code type}
 * beside it and nothing more, so the schema's other constraints still apply to a null, among
 * them an {@code enum} without null and each schema of an {@code allOf}. A schema without a type
 * lets null through like any other value.
 *
 * <p>A schema that uses any other keyword (or another format) is reported rather than passed
 * over, so that the document cannot say something this check silently takes for granted; so is
 * {@code nullable} without a type, which says nothing, and a keyword beside {@code $ref}, which
 * readers of an OpenAPI 3.0 document ignore.
 */
final class SchemaCheck {
    private static final Set<String> KEYWORDS = Set.of("$ref", "allOf", "anyOf", "type", "nullable", "required",
            "properties", "additionalProperties", "items", "enum", "format", "minimum", "maximum");
    /** Words for people, which say nothing about the value. */
    private static final Set<String> ANNOTATIONS = Set.of("description", "example", "default");
    private static final int SHOWN = 60;

    private final JsonNode document;

    SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** The ways {@code value} departs from {@code schema}, each saying where; empty when it conforms. */
    List<String> problems(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "$", problems);
        return problems;
    }

    /**
     * The object {@code node} stands for: itself, or what its {@code $ref} points at within the
     * document (schemas, responses, parameters alike).
     *
     * @throws IllegalArgumentException when the reference leads nowhere
     */
    JsonNode resolve(JsonNode node) {
        JsonNode at = node;
        for (int hops = 0; at.has("$ref"); hops++) {
            String ref = at.path("$ref").asText();
            if (!ref.startsWith("#/") || hops > 16) {
                throw new IllegalArgumentException("the reference " + ref + " does not point into the document");
            }
            at = document.at(ref.substring(1));
            if (at.isMissingNode()) {
                throw new IllegalArgumentException("the reference " + ref + " leads nowhere");
            }
        }
        return at;
    }

    private void check(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (schema.has("$ref")) {
            if (schema.size() > 1) {
                problems.add(where + ": the schema has keywords beside $ref, which OpenAPI 3.0 ignores: " + schema);
            }
            try {
                check(resolve(schema), value, where, problems);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
            return;
        }
        if (!knownKeywords(schema, where, problems)) {
            return;
        }
        boolean typed = schema.has("type");
        boolean nullable = schema.path("nullable").asBoolean(false);
        if (nullable && !typed) {
            problems.add(where + ": nullable without a type, which changes nothing in OpenAPI 3.0.3: " + schema);
        }
        if (typed && !(value.isNull() && nullable) && !hasType(schema.path("type").asText(), value)) {
            problems.add(where + ": " + shown(value) + " is not of type " + schema.path("type").asText()
                    + (value.isNull() ? " (the schema is not nullable)" : ""));
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            check(part, value, where, problems);
        }
        checkAnyOf(schema, value, where, problems);
        checkEnum(schema, value, where, problems);
        checkFormat(schema, value, where, problems);
        checkRange(schema, value, where, problems);
        if (value.isObject()) {
            checkObject(schema, value, where, problems);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.path("items"), value.get(i), where + "[" + i + "]", problems);
            }
        }
    }

    private static boolean knownKeywords(JsonNode schema, String where, List<String> problems) {
        boolean known = true;
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYWORDS.contains(name) && !ANNOTATIONS.contains(name)) {
                problems.add(where + ": the schema uses '" + name + "', which this check does not know");
                known = false;
            }
        }
        return known;
    }

    private static boolean hasType(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        };
    }

    private void checkAnyOf(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (!schema.has("anyOf")) {
            return;
        }
        List<String> misses = new ArrayList<>();
        for (JsonNode part : schema.path("anyOf")) {
            List<String> own = new ArrayList<>();
            check(part, value, where, own);
            if (own.isEmpty()) {
                return;
            }
            misses.addAll(own);
        }
        problems.add(where + ": " + shown(value) + " fits none of anyOf: " + misses);
    }

    private static void checkEnum(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (!schema.has("enum")) {
            return;
        }
        for (JsonNode allowed : schema.path("enum")) {
            if (allowed.equals(value)) {
                return;
            }
        }
        problems.add(where + ": " + shown(value) + " is not one of " + schema.path("enum"));
    }

    private static void checkFormat(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (!schema.has("format")) {
            return;
        }
        String format = schema.path("format").asText();
        if (!format.equals("date-time")) {
            problems.add(where + ": the schema uses the format '" + format + "', which this check does not know");
        } else if (value.isTextual()) {
            try {
                DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.asText());
            } catch (DateTimeParseException e) {
                problems.add(where + ": " + shown(value) + " is not an ISO-8601 date and time with its offset");
            }
        }
    }

    private static void checkRange(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (!value.isNumber()) {
            return;
        }
        BigDecimal number = value.decimalValue();
        if (schema.has("minimum") && number.compareTo(schema.path("minimum").decimalValue()) < 0) {
            problems.add(where + ": " + value + " is below the minimum " + schema.path("minimum"));
        }
        if (schema.has("maximum") && number.compareTo(schema.path("maximum").decimalValue()) > 0) {
            problems.add(where + ": " + value + " is above the maximum " + schema.path("maximum"));
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String where, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(where + ": the required field '" + required.asText() + "' is missing");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String at = where + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.path(field.getKey()), field.getValue(), at, problems);
            } else if (additional.isObject()) {
                check(additional, field.getValue(), at, problems);
            } else if (additional.isBoolean() && !additional.asBoolean()) {
                problems.add(at + ": a field the schema does not have (additionalProperties is false)");
            }
        }
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "…";
    }
}
