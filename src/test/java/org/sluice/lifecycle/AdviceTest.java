package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.lifecycle.Operation.*;
import static org.sluice.lifecycle.ServiceState.*;

import org.junit.jupiter.api.Test;

class AdviceTest {
    private final Lifecycle rules = Lifecycle.standard();

    private Advice advice(ServiceState state, Operation wanted) {
        return Advice.forOperation(rules, state, wanted).orElseThrow();
    }

    @Test
    void resumeWhileStoppedIsDoneByStartInstead() {
        assertThat(advice(STOPPED, RESUME)).isEqualTo(new Advice(Advice.Kind.INSTEAD, START));
    }

    @Test
    void startWhileSuspendedIsDoneByResumeInstead() {
        assertThat(advice(SUSPENDED, START)).isEqualTo(new Advice(Advice.Kind.INSTEAD, RESUME));
    }

    @Test
    void resumeWhileActiveIsAlreadyDone() {
        assertThat(advice(ACTIVE, RESUME)).isEqualTo(new Advice(Advice.Kind.ALREADY, RESUME));
        assertThat(advice(STOPPED, STOP)).isEqualTo(new Advice(Advice.Kind.ALREADY, STOP));
    }

    @Test
    void stopWhileSuspendedNeedsResumeFirst() {
        assertThat(advice(SUSPENDED, STOP)).isEqualTo(new Advice(Advice.Kind.FIRST, RESUME));
    }

    @Test
    void scaleWhileStoppedNeedsStartFirst() {
        assertThat(advice(STOPPED, SCALE)).isEqualTo(new Advice(Advice.Kind.FIRST, START));
    }

    @Test
    void anythingWhileDisabledNeedsEnableFirst() {
        assertThat(advice(DISABLED, STOP)).isEqualTo(new Advice(Advice.Kind.FIRST, ENABLE));
        assertThat(advice(DISABLED, START)).isEqualTo(new Advice(Advice.Kind.FIRST, ENABLE));
    }

    @Test
    void noAdviceWhenAllowedOrWhileAnOperationRuns() {
        assertThat(Advice.forOperation(rules, ACTIVE, STOP)).isEmpty();
        assertThat(Advice.forOperation(rules, STOPPING, START)).isEmpty();
    }

    @Test
    void everyRefusedChartOperationInAServiceThatCanRecoverHasAWayOut() {
        for (ServiceState state : rules.chart().states()) {
            boolean onlyDelete = rules.allowed(state).stream().allMatch(op -> op == DELETE);
            for (Operation op : rules.chart().operations()) {
                if (!rules.allows(state, op) && !onlyDelete) {
                    assertThat(Advice.forOperation(rules, state, op)).as("%s while %s", op, state).isPresent();
                }
            }
        }
    }
}
