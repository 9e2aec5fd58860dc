package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The schema check that OpenApiDocumentTest relies on: each keyword lets through what it should and nothing else. */
class SchemaCheckTest {
    private static final JsonNode DOCUMENT = json("""
            {"components": {"schemas": {
              "Thing": {"type": "object", "required": ["name", "at"], "additionalProperties": false,
                "properties": {
                  "name": {"type": "string", "enum": ["a", "b"]},
                  "at": {"type": "string", "format": "date-time", "nullable": true},
                  "count": {"type": "integer", "minimum": 1, "maximum": 8},
                  "share": {"type": "number"},
                  "tags": {"type": "array", "items": {"type": "string"}},
                  "flag": {"type": "boolean"}}},
              "Holder": {"type": "object", "properties": {
                "thing": {"anyOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Null"}]}}},
              "Null": {"enum": [null]},
              "Alias": {"$ref": "#/components/schemas/Thing"}
            }}}
            """);
    private static final JsonNode THING = json("{\"$ref\": \"#/components/schemas/Thing\"}");
    private final SchemaCheck check = new SchemaCheck(DOCUMENT);

    private static JsonNode json(String text) {
        try {
            return ApiJson.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private List<String> problems(JsonNode schema, String value) {
        return check.problems(schema, json(value));
    }

    @Test
    void aValueThatFitsHasNoProblems() {
        assertThat(problems(THING, """
                {"name": "a", "at": "2026-01-31T08:00:00.125Z", "count": 8, "share": 0.5, "tags": ["x"], "flag": true}
                """)).isEmpty();
        assertThat(problems(THING, "{\"name\": \"b\", \"at\": null}")).as("nullable").isEmpty();
        assertThat(problems(json("{\"$ref\": \"#/components/schemas/Alias\"}"), "{\"name\": \"b\", \"at\": null}"))
                .as("a reference to a reference").isEmpty();
    }

    @Test
    void eachKeywordRefusesWhatItExcludes() {
        assertThat(problems(THING, "{\"at\": null}")).containsExactly("$: the required field 'name' is missing");
        assertThat(problems(THING, "{\"name\": \"c\", \"at\": null}")).singleElement().asString().contains("$.name", "not one of");
        assertThat(problems(THING, "{\"name\": 1, \"at\": null}")).singleElement().asString().contains("$.name", "not of type string");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": \"yesterday\"}")).singleElement().asString().contains("$.at", "ISO-8601");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": \"2026-01-31T08:00:00\"}")).as("a time needs its offset").hasSize(1);
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"count\": 9}")).singleElement().asString().contains("above the maximum");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"count\": 0}")).singleElement().asString().contains("below the minimum");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"count\": 2.5}")).singleElement().asString().contains("not of type integer");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"share\": \"half\"}")).singleElement().asString().contains("not of type number");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"flag\": 1}")).singleElement().asString().contains("not of type boolean");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"tags\": [\"x\", 2]}")).singleElement().asString().contains("$.tags[1]");
        assertThat(problems(THING, "{\"name\": \"a\", \"at\": null, \"extra\": 1}")).singleElement().asString()
                .contains("$.extra", "additionalProperties");
        assertThat(problems(THING, "[]")).singleElement().asString().contains("not of type object");
    }

    @Test
    void nullIsAllowedOnlyWhereTheSchemaSaysNullableAndNothingElseForbidsIt() {
        assertThat(problems(THING, "{\"name\": null, \"at\": null}")).singleElement().asString().contains("$.name", "not nullable");
        assertThat(problems(THING, "null")).singleElement().asString().contains("not nullable");
        assertThat(problems(json("{\"enum\": [1]}"), "null")).as("an untyped schema takes null, unless its enum forbids it").hasSize(1);
        assertThat(problems(json("{\"type\": \"string\", \"nullable\": true, \"enum\": [\"a\"]}"), "null"))
                .as("nullable widens the type, not the enum").singleElement().asString().contains("not one of");
        assertThat(problems(json("{\"type\": \"object\", \"nullable\": true, \"allOf\": [{\"$ref\": \"#/components/schemas/Thing\"}]}"),
                "null")).as("nor the schemas of an allOf").singleElement().asString().contains("not nullable");
    }

    @Test
    void anyOfTakesAValueThatFitsOneOfItsSchemas() {
        JsonNode holder = json("{\"$ref\": \"#/components/schemas/Holder\"}");
        assertThat(problems(holder, "{\"thing\": null}")).isEmpty();
        assertThat(problems(holder, "{\"thing\": {\"name\": \"a\", \"at\": null}}")).isEmpty();
        assertThat(problems(holder, "{\"thing\": {\"name\": \"a\"}}")).singleElement().asString()
                .contains("$.thing", "fits none of anyOf", "'at' is missing");
        assertThat(problems(holder, "{\"thing\": 3}")).hasSize(1);
    }

    @Test
    void aSchemaThatSaysMoreThanTheCheckKnowsIsReported() {
        assertThat(problems(json("{\"type\": \"string\", \"pattern\": \"^a\"}"), "\"b\"")).singleElement().asString()
                .contains("'pattern'");
        assertThat(problems(json("{\"type\": \"string\", \"format\": \"uuid\"}"), "\"b\"")).singleElement().asString()
                .contains("'uuid'");
        assertThat(problems(json("{\"nullable\": true, \"allOf\": [{\"type\": \"string\"}]}"), "null"))
                .as("nullable without a type says nothing in OpenAPI 3.0.3").anySatisfy(p -> assertThat(p).contains("nullable without a type"));
        assertThat(problems(json("{\"$ref\": \"#/components/schemas/Thing\", \"nullable\": true}"), "null"))
                .anySatisfy(p -> assertThat(p).contains("beside $ref"));
        assertThat(problems(json("{\"$ref\": \"#/components/schemas/Nothing\"}"), "{}")).singleElement().asString()
                .contains("leads nowhere");
        assertThatThrownBy(() -> check.resolve(json("{\"$ref\": \"other.json#/x\"}"))).isInstanceOf(IllegalArgumentException.class);
    }
}
