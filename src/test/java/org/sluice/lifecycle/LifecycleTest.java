package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.sluice.lifecycle.Operation.*;
import static org.sluice.lifecycle.ServiceState.*;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final Lifecycle lifecycle = Lifecycle.standard();

    /** All 16 x 9 cells of the chart, with what the specification's file says of each. */
    static Stream<Arguments> everyCell() {
        List<Arguments> cells = new ArrayList<>();
        String[] lines = ChartFile.LINES;
        String[] header = lines[0].split(",", -1);
        for (int row = 1; row < lines.length; row++) {
            String[] cell = lines[row].split(",", -1);
            for (int column = 1; column < header.length; column++) {
                cells.add(Arguments.of(cell[0], header[column], "x".equals(cell[column])));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} / {1} allowed: {2}")
    @MethodSource("everyCell")
    void beginFollowsTheChartInEveryCell(String stateName, String operationName, boolean allowed) {
        ServiceState state = ServiceState.fromChartName(stateName).orElseThrow();
        Operation operation = Operation.fromChartName(operationName).orElseThrow();

        assertThat(lifecycle.allows(state, operation)).isEqualTo(allowed);
        if (allowed) {
            Transition transition = lifecycle.begin(state, operation);
            assertThat(transition.from()).contains(state);
            assertThat(transition.running().isTransitional()).isTrue();
        } else {
            OperationNotAllowedException refused =
                    catchThrowableOfType(() -> lifecycle.begin(state, operation), OperationNotAllowedException.class);
            assertThat(refused).hasMessage("Operation not allowed");
            assertThat(refused.state()).isEqualTo(state);
            assertThat(refused.operation()).isEqualTo(operation);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServiceState.class)
    void transitionalStatesAllowNoOperationAtAll(ServiceState state) {
        if (!state.isTransitional()) {
            return;
        }
        assertThat(lifecycle.allowed(state)).isEmpty();
        for (Operation operation : Operation.values()) {
            assertThat(catchThrowableOfType(() -> lifecycle.begin(state, operation), OperationNotAllowedException.class))
                    .as("%s while %s", operation, state).hasMessage("Operation not allowed");
        }
    }

    @Test
    void createAndRestoreNeverActOnAnExistingService() {
        for (ServiceState state : ServiceState.values()) {
            assertThat(lifecycle.allowed(state)).doesNotContain(CREATE, RESTORE);
        }
    }

    @Test
    void accountAndPlatformOperationsFollowTheSpecification() {
        for (ServiceState state : ServiceState.values()) {
            assertThat(lifecycle.allows(state, DISABLE)).as("Disable from %s", state)
                    .isEqualTo(EnumSet.of(ACTIVE, SUSPENDED, STOPPED).contains(state));
            assertThat(lifecycle.allows(state, ENABLE)).as("Enable from %s", state).isEqualTo(state == DISABLED);
            assertThat(lifecycle.allows(state, SERVICE_UPDATE)).as("ServiceUpdate from %s", state).isEqualTo(state == ACTIVE);
        }
    }

    /** Operation, a state it may begin in, running, success (null = removed), failure. */
    static Stream<Arguments> transitionTable() {
        return Stream.of(
                Arguments.of(START, STOPPED, STARTING, ACTIVE, START_FAILED),
                Arguments.of(STOP, ACTIVE, STOPPING, STOPPED, STOP_FAILED),
                Arguments.of(RESTART, ACTIVE, RESTARTING, ACTIVE, RESTART_FAILED),
                Arguments.of(SUSPEND, ACTIVE, SUSPENDING, SUSPENDED, SUSPEND_FAILED),
                Arguments.of(RESUME, SUSPENDED, RESUMING, ACTIVE, RESUME_FAILED),
                Arguments.of(SCALE, ACTIVE, UPDATING, ACTIVE, SCALE_FAILED),
                Arguments.of(UPDATE_CONFIGURATION, ACTIVE, UPDATING, ACTIVE, CONFIG_UPDATE_FAILED),
                Arguments.of(BACKUP, ACTIVE, BACKING_UP, ACTIVE, ACTIVE),
                Arguments.of(BACKUP, SUSPENDED, BACKING_UP, SUSPENDED, SUSPENDED),
                Arguments.of(BACKUP, STOPPED, BACKING_UP, STOPPED, STOPPED),
                Arguments.of(DELETE, STOPPED, DELETING, null, STOPPED),
                Arguments.of(DELETE, CREATE_FAILED, DELETING, null, CREATE_FAILED),
                Arguments.of(DISABLE, SUSPENDED, DISABLING, DISABLED, DISABLE_FAILED),
                Arguments.of(ENABLE, DISABLED, ENABLING, ACTIVE, ENABLE_FAILED),
                Arguments.of(SERVICE_UPDATE, ACTIVE, UPDATING, ACTIVE, SERVICE_UPDATE_FAILED));
    }

    @ParameterizedTest(name = "{0} from {1}: {2}, then {3} or {4}")
    @MethodSource("transitionTable")
    void everyTransitionRunsAndLandsWhereTheSpecificationSays(Operation operation, ServiceState from,
                                                              ServiceState running, ServiceState success, ServiceState failure) {
        Transition transition = lifecycle.begin(from, operation);
        assertThat(transition.operation()).isEqualTo(operation);
        assertThat(transition.running()).isEqualTo(running);
        assertThat(transition.onSuccess()).isEqualTo(Optional.ofNullable(success));
        assertThat(transition.removesOnSuccess()).isEqualTo(success == null);
        assertThat(transition.onFailure()).isEqualTo(failure);
    }

    @Test
    void everyAllowedChartOperationFromEveryStateHasARunningAndLandingState() {
        for (ServiceState state : ServiceState.values()) {
            for (Operation operation : lifecycle.allowed(state)) {
                Transition transition = lifecycle.begin(state, operation);
                assertThat(transition.running()).isEqualTo(Lifecycle.running(operation));
                assertThat(transition.onFailure().isResting()).isTrue();
                transition.onSuccess().ifPresent(s -> assertThat(s.isResting()).isTrue());
            }
        }
    }

    @Test
    void createAndRestoreLandWhereTheSpecificationSays() {
        Transition create = lifecycle.create();
        assertThat(create.from()).isEmpty();
        assertThat(create.running()).isEqualTo(CREATING);
        assertThat(create.onSuccess()).contains(ACTIVE);
        assertThat(create.onFailure()).isEqualTo(CREATE_FAILED);

        Transition restore = lifecycle.restore();
        assertThat(restore.running()).isEqualTo(RESTORING);
        assertThat(restore.onSuccess()).as("a restored service always starts suspended").contains(SUSPENDED);
        assertThat(restore.onFailure()).isEqualTo(RESTORE_FAILED);
    }
}
