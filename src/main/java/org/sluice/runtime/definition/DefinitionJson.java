package org.sluice.runtime.definition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes service definitions as JSON, mapping them to {@link ServiceDefinition} through
 * Jackson's tree model so the domain record carries no annotations.
 *
 * <p>One definition is an object such as
 * {@code {"name":"orders","units":2,"coresPerInstance":1,"memoryMb":256,"validate":"xml",
 * "transform":"/path/t.xsl","source":"dir:/path/inbox","destination":"dir:/path/outbox"}}.
 * {@code name} and {@code destination} are required; the others default to 1, 1, 256,
 * {@code none}, none and none. Unknown fields are an error. A file of several definitions is
 * {@code {"services":[...]}}.
 *
 * <p>Reading checks the shape of the JSON only; whether the values make a valid service is
 * {@link ServiceDefinition#problems()}.
 */
public final class DefinitionJson {
    private static final Set<String> FIELDS = Set.of("name", "units", "coresPerInstance", "memoryMb",
            "validate", "transform", "source", "destination");
    /** Text after the document, or a field given twice in one object, is an error. */
    private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private DefinitionJson() {
    }

    /** Reads one definition from a file. */
    public static ServiceDefinition readDefinition(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return definition(tree(in), "");
        }
    }

    /** Reads one definition from JSON text. */
    public static ServiceDefinition readDefinition(String json) throws DefinitionJsonException {
        return definition(tree(json), "");
    }

    /** Reads {@code {"services":[...]}} from a file. */
    public static List<ServiceDefinition> readServices(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return services(tree(in));
        }
    }

    /** Reads {@code {"services":[...]}} from JSON text. */
    public static List<ServiceDefinition> readServices(String json) throws DefinitionJsonException {
        return services(tree(json));
    }

    /** One definition as a JSON object, fields in the documented order; absent optional values are left out. */
    public static String write(ServiceDefinition definition) {
        try {
            return MAPPER.writeValueAsString(node(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** As {@link #write}, as a tree, for a document that holds definitions. */
    public static ObjectNode node(ServiceDefinition definition) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", definition.name());
        node.put("units", definition.units());
        node.put("coresPerInstance", definition.coresPerInstance());
        node.put("memoryMb", definition.memoryMb());
        node.put("validate", definition.validate().fileName());
        definition.transformFile().ifPresent(t -> node.put("transform", t));
        definition.sourceSpec().ifPresent(s -> node.put("source", s));
        node.put("destination", definition.destination());
        return node;
    }

    private static JsonNode tree(String json) throws DefinitionJsonException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    private static JsonNode tree(InputStream in) throws IOException {
        try {
            return MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    private static DefinitionJsonException unreadable(JsonProcessingException e) {
        var where = e.getLocation();
        return fieldGivenTwice(e)
                .map(field -> new DefinitionJsonException("", "gives the field '" + field + "' twice"
                        + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")))
                .orElseGet(() -> new DefinitionJsonException("", "is not well-formed JSON: " + e.getOriginalMessage()));
    }

    /** The field that {@code e} found given twice in one object, when that is what it is about. */
    public static java.util.Optional<String> fieldGivenTwice(JsonProcessingException e) {
        String said = e.getOriginalMessage();
        String prefix = "Duplicate field '";
        if (said == null || !said.startsWith(prefix) || said.lastIndexOf('\'') < prefix.length()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(said.substring(prefix.length(), said.lastIndexOf('\'')));
    }

    private static List<ServiceDefinition> services(JsonNode root) throws DefinitionJsonException {
        if (root == null || !root.isObject()) {
            throw new DefinitionJsonException("", "must be a JSON object with a \"services\" array");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"services".equals(name)) {
                throw new DefinitionJsonException(name, "is not a known field");
            }
        }
        JsonNode services = root.get("services");
        if (services == null || !services.isArray()) {
            throw new DefinitionJsonException("services", "must be an array of service definitions");
        }
        List<ServiceDefinition> definitions = new ArrayList<>();
        ArrayNode array = (ArrayNode) services;
        for (int i = 0; i < array.size(); i++) {
            definitions.add(definition(array.get(i), "services[" + i + "]."));
        }
        return List.copyOf(definitions);
    }

    private static ServiceDefinition definition(JsonNode node, String prefix) throws DefinitionJsonException {
        if (node == null || !node.isObject()) {
            throw new DefinitionJsonException(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            String name = fields.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new DefinitionJsonException(prefix + name, "is not a known field");
            }
        }
        String name = text(node, prefix, "name", true);
        int units = integer(node, prefix, "units", ServiceDefinition.MIN_UNITS);
        int cores = integer(node, prefix, "coresPerInstance", ServiceDefinition.DEFAULT_CORES);
        int memory = integer(node, prefix, "memoryMb", ServiceDefinition.DEFAULT_MEMORY_MB);
        String validateName = text(node, prefix, "validate", false);
        Validation validate = Validation.NONE;
        if (validateName != null) {
            validate = Validation.fromFileName(validateName).orElseThrow(() -> new DefinitionJsonException(
                    prefix + "validate", "must be xml, json or none, was '" + validateName + "'"));
        }
        String transform = text(node, prefix, "transform", false);
        String source = text(node, prefix, "source", false);
        String destination = text(node, prefix, "destination", true);
        return new ServiceDefinition(name, units, cores, memory, validate, transform, source, destination);
    }

    private static String text(JsonNode node, String prefix, String field, boolean required)
            throws DefinitionJsonException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new DefinitionJsonException(prefix + field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new DefinitionJsonException(prefix + field, "must be a string, was " + value);
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String prefix, String field, int fallback)
            throws DefinitionJsonException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new DefinitionJsonException(prefix + field, "must be a whole number, was " + value);
        }
        return value.intValue();
    }
}
