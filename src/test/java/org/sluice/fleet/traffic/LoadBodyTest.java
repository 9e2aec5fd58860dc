package org.sluice.fleet.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LoadBodyTest {
    @ParameterizedTest
    @ValueSource(ints = {64, 65, 1000, 4 * 1024 * 1024})
    void isValidJsonOfExactlyTheSize(int size) throws Exception {
        LoadBody body = new LoadBody(size);
        byte[] bytes = body.bytes(42);
        assertThat(bytes).hasSize(size);
        JsonNode json = new ObjectMapper().readTree(bytes);
        assertThat(json.get("seq").asText()).isEqualTo("0000000000000000042");
        assertThat(json.get("pad").asText()).matches("x*");
        assertThat(body.bytes(Long.MAX_VALUE)).hasSize(size);
    }

    @Test
    void refusesSizesOutsideTheLimits() {
        assertThatThrownBy(() -> new LoadBody(LoadBody.MIN_SIZE - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadBody(LoadBody.MAX_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
