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

    /**
     * The way out of every refused cell of a state that can recover, by value: what the tooltip of
     * a disabled button says. Read against the chart: INSTEAD names an operation the state allows
     * that lands where the wanted one would; FIRST one that leads to a state allowing it; ALREADY
     * means the service is there. States that allow only Delete have none.
     */
    private static final String EXPECTED = """
            Active: Start=ALREADY:Start Resume=ALREADY:Resume
            Disabled: Start=FIRST:Enable Stop=FIRST:Enable Restart=FIRST:Enable Suspend=FIRST:Enable Resume=FIRST:Enable Scale=FIRST:Enable UpdateConfiguration=FIRST:Enable Backup=FIRST:Enable
            Suspended: Start=INSTEAD:Resume Stop=FIRST:Resume Restart=INSTEAD:Resume Suspend=ALREADY:Suspend Scale=FIRST:Resume UpdateConfiguration=FIRST:Resume
            Stopped: Stop=ALREADY:Stop Suspend=FIRST:Start Resume=INSTEAD:Start Scale=FIRST:Start UpdateConfiguration=FIRST:Start
            ServiceUpdateFailed:
            DisableFailed:
            EnableFailed:
            StartFailed: Suspend=FIRST:Start Resume=INSTEAD:Start Scale=FIRST:Start Backup=FIRST:Start
            StopFailed: Suspend=FIRST:Start Resume=INSTEAD:Start Scale=FIRST:Start Backup=FIRST:Start
            RestartFailed: Suspend=FIRST:Start Resume=INSTEAD:Start Scale=FIRST:Start Backup=FIRST:Start
            SuspendFailed: Start=INSTEAD:Resume Stop=FIRST:Resume Restart=INSTEAD:Resume Scale=FIRST:Resume UpdateConfiguration=FIRST:Resume Backup=FIRST:Suspend
            ResumeFailed: Start=INSTEAD:Resume Stop=FIRST:Resume Restart=INSTEAD:Resume Scale=FIRST:Resume UpdateConfiguration=FIRST:Resume Backup=FIRST:Suspend
            CreateFailed:
            RestoreFailed:
            ConfigUpdateFailed: Start=INSTEAD:Restart Stop=FIRST:Restart Suspend=FIRST:Restart Resume=INSTEAD:Restart Scale=FIRST:Restart Backup=FIRST:Restart
            ScaleFailed: Start=INSTEAD:Scale Stop=FIRST:Scale Restart=INSTEAD:Scale Suspend=FIRST:Scale Resume=INSTEAD:Scale UpdateConfiguration=FIRST:Scale Backup=FIRST:Scale
            """;

    @Test
    void everyRefusedCellHasTheWayOutTheChartGives() {
        StringBuilder actual = new StringBuilder();
        for (ServiceState state : rules.chart().states()) {
            actual.append(state.chartName()).append(':');
            boolean onlyDelete = rules.allowed(state).stream().allMatch(op -> op == DELETE);
            for (Operation op : rules.chart().operations()) {
                if (rules.allows(state, op) || onlyDelete) {
                    continue;
                }
                Advice way = Advice.forOperation(rules, state, op).orElseThrow();
                actual.append(' ').append(op.chartName()).append('=').append(way.kind()).append(':').append(way.operation().chartName());
            }
            actual.append('\n');
        }
        assertThat(actual.toString()).isEqualTo(EXPECTED);
    }
}
