package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class OperationQueryTest {

    @Test
    void eachWithNarrowsOnePartAndKeepsTheOthers() {
        OperationQuery query = OperationQuery.all(10).forService("orders").withRange(100, 200)
                .withOperation(Operation.START).withOutcome(Outcome.RUNNING).withLimit(3);

        assertThat(query).isEqualTo(new OperationQuery(Optional.of(100L), Optional.of(200L), Optional.of("orders"),
                Optional.of(Operation.START), Optional.of(Outcome.RUNNING), 3));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> OperationQuery.all(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> OperationQuery.all(5).withLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAbsentFilterIsAnEmptyOptionalNeverNull() {
        assertThatThrownBy(() -> new OperationQuery(null, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1)).isInstanceOf(NullPointerException.class).hasMessage("fromMs");
    }
}
