package org.sluice.runtime.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

/**
 * Writes a {@link ServiceDefinition} as a JSON object and reads it back. Field names are those of
 * the record; {@code validate} is written as in definition files ({@code xml}, {@code json},
 * {@code none}); absent optional fields are left out. Unknown fields are ignored when reading,
 * so a later version may add fields without a migration.
 */
final class DefinitionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DefinitionJson() {
    }

    static String write(ServiceDefinition definition) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", definition.name());
        node.put("units", definition.units());
        node.put("coresPerInstance", definition.coresPerInstance());
        node.put("memoryMb", definition.memoryMb());
        node.put("validate", definition.validate().fileName());
        putIfPresent(node, "transform", definition.transform());
        putIfPresent(node, "source", definition.source());
        putIfPresent(node, "destination", definition.destination());
        return node.toString();
    }

    /** Reads a definition written by {@link #write}; throws {@link StoreException} naming the problem. */
    static ServiceDefinition read(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("A stored service definition is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new StoreException("A stored service definition is not a JSON object: " + json);
        }
        String validateName = text(node, "validate");
        Validation validate = validateName == null ? null : Validation.fromFileName(validateName)
                .orElseThrow(() -> new StoreException("A stored service definition has an unknown validate '"
                        + validateName + "'"));
        if (validate == null) {
            throw new StoreException("A stored service definition has no validate: " + json);
        }
        return new ServiceDefinition(text(node, "name"), integer(node, "units"), integer(node, "coresPerInstance"),
                integer(node, "memoryMb"), validate, text(node, "transform"), text(node, "source"),
                text(node, "destination"));
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new StoreException("A stored service definition has a " + field + " that is not text: " + value);
        }
        return value.textValue();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new StoreException("A stored service definition has no whole-number " + field + ": " + node);
        }
        return value.intValue();
    }
}
