package org.sluice.runtime.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

class DefinitionJsonTest {

    @Test
    void readsEveryField() throws Exception {
        ServiceDefinition d = DefinitionJson.readDefinition("{\"name\":\"orders\",\"units\":2,\"coresPerInstance\":3,"
                + "\"memoryMb\":512,\"validate\":\"xml\",\"transform\":\"/t.xsl\",\"source\":\"dir:/in\","
                + "\"destination\":\"dir:/out\"}");
        assertThat(d).isEqualTo(new ServiceDefinition("orders", 2, 3, 512, Validation.XML, "/t.xsl", "dir:/in", "dir:/out"));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() throws Exception {
        ServiceDefinition d = DefinitionJson.readDefinition("{\"name\":\"orders\",\"destination\":\"http://x/y\"}");
        assertThat(d).isEqualTo(new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "http://x/y"));
    }

    @Test
    void writingAndReadingGiveTheSameDefinition() throws Exception {
        ServiceDefinition d = new ServiceDefinition("a-1", 4, 2, 128, Validation.JSON, null, "dir:/in", "dir:/out");
        String json = DefinitionJson.write(d);
        assertThat(json).isEqualTo("{\"name\":\"a-1\",\"units\":4,\"coresPerInstance\":2,\"memoryMb\":128,"
                + "\"validate\":\"json\",\"source\":\"dir:/in\",\"destination\":\"dir:/out\"}");
        assertThat(DefinitionJson.readDefinition(json)).isEqualTo(d);
    }

    @Test
    void readsAListOfServices() throws Exception {
        List<ServiceDefinition> all = DefinitionJson.readServices("{\"services\":[{\"name\":\"a\",\"destination\":\"dir:/a\"},"
                + "{\"name\":\"b\",\"units\":3,\"destination\":\"dir:/b\"}]}");
        assertThat(all).extracting(ServiceDefinition::name).containsExactly("a", "b");
        assertThat(all.get(1).units()).isEqualTo(3);
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":\"a\",\"destination\":\"dir:/a\",\"colour\":1}"))
                .isInstanceOf(DefinitionJsonException.class).hasMessage("colour is not a known field");
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":\"a\",\"destination\":\"dir:/a\",\"units\":\"two\"}"))
                .hasMessage("units must be a whole number, was \"two\"");
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":\"a\",\"destination\":\"dir:/a\",\"units\":1.5}"))
                .hasMessageStartingWith("units must be a whole number");
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":\"a\",\"destination\":\"dir:/a\",\"validate\":\"yaml\"}"))
                .hasMessage("validate must be xml, json or none, was 'yaml'");
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":\"a\"}"))
                .hasMessage("destination is required");
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":7,\"destination\":\"dir:/a\"}"))
                .hasMessage("name must be a string, was 7");
        assertThatThrownBy(() -> DefinitionJson.readServices("{\"services\":[{\"name\":\"a\",\"destination\":\"dir:/a\"},{\"name\":\"b\"}]}"))
                .isInstanceOf(DefinitionJsonException.class)
                .hasMessage("services[1].destination is required")
                .extracting(e -> ((DefinitionJsonException) e).field()).isEqualTo("services[1].destination");
    }

    @Test
    void badJsonIsReportedAsSuch() {
        assertThatThrownBy(() -> DefinitionJson.readDefinition("{\"name\":"))
                .isInstanceOf(DefinitionJsonException.class).hasMessageStartingWith("the definition is not well-formed JSON");
        assertThatThrownBy(() -> DefinitionJson.readDefinition("[1]"))
                .hasMessage("the definition must be a JSON object");
        assertThatThrownBy(() -> DefinitionJson.readServices("{\"services\":{}}"))
                .hasMessage("services must be an array of service definitions");
    }

    @Test
    void aFieldGivenTwiceIsAnErrorNotTheLastOfItsValues() {
        assertThatThrownBy(() -> DefinitionJson.readServices(
                "{\"services\":[{\"name\":\"orders\",\"units\":1,\"units\":8,\"destination\":\"dir:/tmp/o\"}]}"))
                .isInstanceOf(DefinitionJsonException.class).hasMessageStartingWith("the definition gives the field 'units' twice (line 1, column ");
    }
}
