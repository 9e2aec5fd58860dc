package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.Problem;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/** The services grid's view model, without the JavaFX toolkit. */
class ServicesViewModelTest {
    private static final Lifecycle RULES = Lifecycle.standard();
    private final FakeFleet fleet = new FakeFleet();
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final I18n english = new I18n(Locale.ENGLISH);
    private final NoticesViewModel notices = new NoticesViewModel(english);
    private final FleetGroup group = new FleetGroup(fleet);
    private long now = 1_000_000;
    private HostsViewModel hosts;
    private ServicesViewModel model;

    @BeforeEach
    void setUp() {
        hosts = hosts(english, notices);
        model = new ServicesViewModel(group, hosts, RULES, english, BackgroundExecutor.sameThread(), dialogs, notices);
    }

    private HostsViewModel hosts(I18n i18n, NoticesViewModel told) {
        return new HostsViewModel(group, RemoteHostsForTests.NONE, new MemoryConnections(), i18n, BackgroundExecutor.sameThread(),
                dialogs, told, () -> now);
    }

    private ServiceRowViewModel add(String name, ServiceState state) {
        fleet.states.put(name, state);
        model.apply(List.of(new FleetEvent.ServiceAdded(name, FakeFleet.snapshot(name, state))));
        return model.row(name).orElseThrow();
    }

    static Stream<Arguments> everyStateAndChartOperation() {
        List<Arguments> cases = new ArrayList<>();
        for (ServiceState state : ServiceState.values()) {
            for (Operation operation : RULES.chart().operations()) {
                cases.add(Arguments.of(state, operation));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} while {0}")
    @MethodSource("everyStateAndChartOperation")
    void aCommandIsExecutableExactlyWhenTheChartAllowsItAndNothingRuns(ServiceState state, Operation operation) {
        ServiceRowViewModel row = add("orders", state);
        OperationCommand command = row.command(operation);
        assertThat(command.isExecutable()).isEqualTo(RULES.chart().allows(state, operation));

        // While an operation runs on the service, nothing is executable, whatever the state.
        row.applyState(state, Operation.BACKUP);
        assertThat(command.isExecutable()).isFalse();
        row.applyState(state, null);
        assertThat(command.isExecutable()).isEqualTo(RULES.chart().allows(state, operation));
    }

    @Test
    void itSaysItIsLoadingUntilTheFirstSnapshotArrivesOrFails() {
        assertThat(model.loadingProperty().get()).isTrue();
        model.load(new org.sluice.fleet.FleetSnapshot(0, List.of(FakeFleet.snapshot("orders", ServiceState.ACTIVE))));
        assertThat(model.loadingProperty().get()).isFalse();
        assertThat(model.rows()).extracting(ServiceRowViewModel::name).containsExactly("orders");

        NoticesViewModel failingNotices = new NoticesViewModel(english);
        ServicesViewModel failing = new ServicesViewModel(group, hosts(english, failingNotices), RULES, english,
                BackgroundExecutor.sameThread(), dialogs, failingNotices);
        failing.loadFailed(new IllegalStateException("The fleet could not be opened: database is locked"));
        assertThat(failing.loadingProperty().get()).isFalse();
        assertThat(failingNotices.latestProperty().get().text()).contains("database is locked");
    }

    @Test
    void buttonsFollowTheChartAsTheStateChanges() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        assertThat(row.command(Operation.STOP).isExecutable()).isTrue();
        assertThat(row.command(Operation.START).isExecutable()).isFalse();

        row.command(Operation.STOP).execute();
        assertThat(fleet.calls).containsExactly("Stop orders");
        model.apply(List.of(new FleetEvent.ServiceStateChanged("orders", ServiceState.STOPPING, Optional.of(Operation.STOP))));
        assertThat(row.commands()).noneMatch(OperationCommand::isExecutable);

        model.apply(List.of(new FleetEvent.ServiceStateChanged("orders", ServiceState.STOPPED, Optional.empty())));
        assertThat(row.command(Operation.START).isExecutable()).isTrue();
        assertThat(row.command(Operation.STOP).isExecutable()).isFalse();
    }

    @Test
    void aDisabledCommandSaysWhyAndTheWayOut() {
        ServiceRowViewModel row = add("orders", ServiceState.STOPPED);
        assertThat(row.command(Operation.RESUME).getTooltip())
                .isEqualTo("Resume is not allowed while the service is Stopped. Start it instead.");
        assertThat(row.command(Operation.SCALE).getTooltip())
                .isEqualTo("Scale is not allowed while the service is Stopped. Start it first.");
        assertThat(row.command(Operation.START).getTooltip()).isEqualTo("Start the service's role instances");
        row.applyState(ServiceState.STARTING, Operation.START);
        assertThat(row.command(Operation.STOP).getTooltip())
                .isEqualTo("Stop is not available while the service is Starting. Wait until it finishes.");
    }

    @Test
    void aRowLetsItsCommandsGoWhenNothingShowsItAndMakesThemAgainAsTheyWere() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        row.holdCommands();
        row.holdCommands();
        assertThat(row.commands()).hasSize(10);

        row.releaseCommands();
        assertThat(row.commandsMade()).as("one of two holders still shows the row").isEqualTo(10);
        row.releaseCommands();
        assertThat(row.commandsMade()).as("commands left once nothing shows the row").isZero();

        row.holdCommands();
        assertThat(row.command(Operation.STOP).isExecutable()).isTrue();
        assertThat(row.command(Operation.START).isExecutable()).isFalse();
        assertThat(row.command(Operation.START).getTooltip())
                .isEqualTo(add("billing", ServiceState.ACTIVE).command(Operation.START).getTooltip())
                .startsWith("Start is not needed");
        row.command(Operation.STOP).execute();
        assertThat(fleet.calls).containsExactly("Stop orders");
    }

    @Test
    void aCommandStillBeingSentStaysUntilItIsAnswered() {
        List<Runnable> answers = new ArrayList<>();
        BackgroundExecutor later = answeredLater(answers);
        model = new ServicesViewModel(group, hosts, RULES, english, later, dialogs, notices);
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        row.holdCommands();
        OperationCommand stop = row.command(Operation.STOP);
        stop.execute();

        row.releaseCommands();
        row.holdCommands();
        // Made again, it would not know that Stop is on its way and would offer it twice.
        assertThat(row.command(Operation.STOP)).isSameAs(stop);
        assertThat(stop.isExecutable()).isFalse();
        row.releaseCommands();
        assertThat(row.commandsMade()).isEqualTo(1);

        answers.forEach(Runnable::run);
        assertThat(row.commandsMade()).as("commands left once the last one is answered").isZero();
    }

    @Test
    void aRefusedCommandSurfacesOperationNotAllowedWhereTheUserLooks() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        // The grid still shows Active, but the fleet has moved on: it refuses.
        fleet.states.put("orders", ServiceState.STOPPED);
        row.command(Operation.SUSPEND).execute();
        assertThat(notices.latestProperty().get().kind()).isEqualTo(Notice.Kind.ERROR);
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: Operation not allowed. Suspend is not allowed while the service is Stopped.");
        assertThat(row.command(Operation.SUSPEND).runningProperty().get()).isFalse();
    }

    @Test
    void executingADisabledCommandChangesNothingAndExplains() {
        ServiceRowViewModel row = add("orders", ServiceState.STOPPED);
        row.command(Operation.RESUME).execute();
        assertThat(fleet.calls).isEmpty();
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: Resume is not allowed while the service is Stopped. Start it instead.");
    }

    @Test
    void deleteNeedsTheTypedNameConfirmation() {
        ServiceRowViewModel row = add("orders", ServiceState.STOPPED);
        dialogs.confirmDelete = false;
        row.command(Operation.DELETE).execute();
        assertThat(fleet.calls).isEmpty();
        dialogs.confirmDelete = true;
        row.command(Operation.DELETE).execute();
        assertThat(fleet.calls).containsExactly("Delete orders");
        assertThat(dialogs.asked).containsExactly("delete orders", "delete orders");
    }

    @Test
    void scaleAsksForUnitsFromTheCurrentCount() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        dialogs.units = Optional.of(5);
        row.command(Operation.SCALE).execute();
        assertThat(dialogs.asked).containsExactly("units orders 2");
        assertThat(fleet.calls).containsExactly("Scale orders 5");
    }

    @Test
    void updateConfigurationSendsTheEditedDefinition() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        dialogs.definition = Optional.of(new org.sluice.lifecycle.ServiceDefinition("orders", 2, 1, 512,
                org.sluice.lifecycle.ServiceDefinition.Validation.XML, null, null, "dir:/tmp/o"));
        row.command(Operation.UPDATE_CONFIGURATION).execute();
        assertThat(fleet.calls).containsExactly("UpdateConfiguration orders 512");
    }

    @Test
    void aFailedOperationIsShownWithTheReasonFromTheLog() {
        add("orders", ServiceState.STOPPED);
        OperationRecord failed = new OperationRecord("r1", "orders", Operation.START, "t", 1, OptionalLong.of(2),
                Outcome.FAILED, Optional.of("Instance 0 did not start: exited with status 1"));
        model.apply(List.of(new FleetEvent.OperationProgress("orders", failed)));
        assertThat(notices.latestProperty().get().kind()).isEqualTo(Notice.Kind.ERROR);
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: Start failed: Instance 0 did not start: exited with status 1");
        assertThat(model.row("orders").orElseThrow().lastOperationProperty().get()).isEqualTo(failed);
    }

    private static OperationRecord failedWith(Problem problem, String english) {
        return new OperationRecord("r1", "orders", Operation.START, "t", 1, OptionalLong.of(2), Outcome.FAILED,
                Optional.of(english), Optional.empty(), Optional.of(problem));
    }

    @Test
    void aKoreanConsoleSaysTheHostsProblemInKoreanAndFollowsASwitchBack() {
        add("orders", ServiceState.STOPPED);
        english.use(Locale.KOREAN);
        model.apply(List.of(new FleetEvent.OperationProgress("orders", failedWith(
                Problem.of("instance-not-ready", "instance", 0, "seconds", 30, "service", "orders"),
                "Instance 0 did not become ready within 30 s; its log says why: ..."))));

        assertThat(notices.latestProperty().get().text()).startsWith("orders: 시작 실패: 인스턴스 0이 30초 안에 준비되지 않았습니다.")
                .endsWith("sluice ctl logs orders 0");
        assertThat(english.say(notices.latestProperty().get().phrase())).doesNotContain("did not become ready");

        english.use(Locale.ENGLISH);
        assertThat(english.say(notices.latestProperty().get().phrase()))
                .startsWith("orders: Start failed: Instance 0 did not become ready within 30 s; its log says why");
    }

    @Test
    void aProblemInsideAnotherIsSaidInsideItInTheConsolesLanguage() {
        add("orders", ServiceState.ACTIVE);
        english.use(Locale.KOREAN);
        model.apply(List.of(new FleetEvent.OperationProgress("orders", failedWith(
                Problem.of("configuration-not-started").within(Problem.of("instances-not-running", "instances", "0, 1")),
                "The new configuration did not start (Instance 0, 1 is not running); the previous configuration is in force again"))));

        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: 시작 실패: 새 구성이 시작되지 않아(인스턴스 0, 1이 실행 중이 아닙니다) 이전 구성이 다시 적용되었습니다");
    }

    @Test
    void theHostsOwnEntriesSayTheirProblemInTheConsolesLanguageToo() {
        english.use(Locale.KOREAN);
        OperationRecord leftDown = new OperationRecord("r2", "orders", Operation.INSTANCE_LEFT_DOWN, OperationRecord.HOST, 5,
                OptionalLong.of(5), Outcome.FAILED, Optional.of("Instance 0 exited 6 times in a row and is left down; ..."),
                Optional.of(new org.sluice.lifecycle.InstanceCrash(0, 1, 6)),
                Optional.of(Problem.of("left-down-after-crashes", "instance", 0, "crashes", 6)));
        assertThat(english.say(ProblemWords.orOutcome(leftDown)))
                .startsWith("인스턴스 0이 연속 6번 종료되어 중지된 채로 둡니다.");
    }

    @Test
    void aProblemTheConsoleDoesNotKnowIsSaidInTheHostsWords() {
        add("orders", ServiceState.STOPPED);
        english.use(Locale.KOREAN);
        model.apply(List.of(new FleetEvent.OperationProgress("orders", failedWith(
                Problem.of("disk-on-fire", "disk", "sda"), "The disk sda is on fire"))));
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: 시작 실패: The disk sda is on fire");

        // A code it knows, but without an argument its words need, is said in the host's words too.
        model.apply(List.of(new FleetEvent.OperationProgress("orders", failedWith(
                Problem.of("instance-not-ready", "instance", 0), "Instance 0 did not become ready"))));
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: 시작 실패: Instance 0 did not become ready");
    }

    @Test
    void aRestartOfTheHostsOwnLeavesTheLastOperationAskedForAndPostsNoNoticeOfItsOwn() {
        add("orders", ServiceState.ACTIVE);
        OperationRecord started = new OperationRecord("r1", "orders", Operation.START, "t", 1, OptionalLong.of(2),
                Outcome.SUCCEEDED, Optional.empty());
        model.apply(List.of(new FleetEvent.OperationProgress("orders", started)));
        Notice before = notices.latestProperty().get();

        OperationRecord leftDown = new OperationRecord("r2", "orders", Operation.INSTANCE_LEFT_DOWN, OperationRecord.HOST, 5,
                OptionalLong.of(5), Outcome.FAILED, Optional.of("Instance 0 exited 6 times in a row and is left down"),
                Optional.of(new org.sluice.lifecycle.InstanceCrash(0, 1, 6)));
        model.apply(List.of(new FleetEvent.OperationProgress("orders", leftDown)));

        assertThat(model.row("orders").orElseThrow().lastOperationProperty().get()).isEqualTo(started);
        assertThat(notices.latestProperty().get()).isSameAs(before);
    }

    @Test
    void searchAndStateFilterNarrowTheGrid() {
        add("orders", ServiceState.ACTIVE);
        add("billing", ServiceState.STOPPED);
        add("order-archive", ServiceState.START_FAILED);
        model.searchProperty().set("ORDER");
        assertThat(model.visibleRows()).extracting(ServiceRowViewModel::name).containsExactly("orders", "order-archive");
        model.stateFilterProperty().set(StateFilter.FAILED);
        assertThat(model.visibleRows()).extracting(ServiceRowViewModel::name).containsExactly("order-archive");
        model.searchProperty().set("");
        model.stateFilterProperty().set(StateFilter.ACTIVE);
        model.apply(List.of(new FleetEvent.ServiceStateChanged("billing", ServiceState.ACTIVE, Optional.empty())));
        assertThat(model.visibleRows()).extracting(ServiceRowViewModel::name).containsExactly("orders", "billing");
    }

    @Test
    void rowsCountRunningAndThrottledInstances() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        model.apply(List.of(
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.ThrottleChanged("orders", 1, new ThrottleTransition(5, ThrottleState.NORMAL,
                        ThrottleState.THROTTLED, java.util.Set.of(Cause.CONCURRENCY), Optional.empty()))));
        assertThat(row.instancesProperty().get()).isEqualTo(2);
        assertThat(row.throttledProperty().get()).isEqualTo(1);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.FAILED, Optional.of("exited with status 137"))));
        assertThat(row.instancesProperty().get()).isEqualTo(1);
        assertThat(row.throttledProperty().get()).isZero();
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: instance 1 exited with status 137");
    }

    private static FleetEvent throttle(String service, int index, ThrottleState from, ThrottleState to) {
        return new FleetEvent.ThrottleChanged(service, index, new ThrottleTransition(5, from, to,
                to == ThrottleState.THROTTLED ? java.util.Set.of(Cause.MEMORY) : java.util.Set.of(), Optional.empty()));
    }

    @Test
    void aThrottleBadgeSpeaksTheNewLanguageAfterASwitchInPlace() {
        ServiceRowViewModel orders = add("orders", ServiceState.ACTIVE);
        model.apply(List.of(
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty()),
                throttle("orders", 1, ThrottleState.NORMAL, ThrottleState.THROTTLED)));
        assertThat(orders.stateSummaryProperty().get().badge()).isEqualTo("1 of 2 throttled");

        english.use(Locale.KOREAN);

        assertThat(orders.stateSummaryProperty().get().badge()).isEqualTo("2개 중 1개 제한됨");
    }

    @Test
    void theStateSaysHowManyInstancesAreThrottledOrFlappingAndTheThrottledFilterFindsThoseServices() {
        ServiceRowViewModel orders = add("orders", ServiceState.ACTIVE);
        ServiceRowViewModel billing = add("billing", ServiceState.ACTIVE);
        javafx.collections.ObservableSet<String> flapping = javafx.collections.FXCollections.observableSet();
        model.followFlapping(flapping);
        model.apply(List.of(
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("billing", 0, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(orders.stateSummaryProperty().get())
                .isEqualTo(new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.NONE, "", ""));

        model.apply(List.of(throttle("orders", 1, ThrottleState.NORMAL, ThrottleState.THROTTLED)));
        assertThat(orders.stateSummaryProperty().get())
                .isEqualTo(new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.THROTTLED, "1 of 2 throttled", "1/2"));
        model.stateFilterProperty().set(StateFilter.THROTTLED);
        assertThat(model.visibleRows()).containsExactly(orders);

        // Flapping: the badge no longer follows each change, and the service stays in the filter.
        flapping.add("orders#1");
        model.apply(List.of(throttle("orders", 1, ThrottleState.THROTTLED, ThrottleState.NORMAL)));
        assertThat(orders.stateSummaryProperty().get())
                .isEqualTo(new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.FLAPPING, "1 of 2 flapping", "1/2"));
        assertThat(model.visibleRows()).containsExactly(orders);
        model.apply(List.of(throttle("orders", 1, ThrottleState.NORMAL, ThrottleState.THROTTLED)));
        assertThat(orders.stateSummaryProperty().get().badge()).isEqualTo("1 of 2 flapping");

        model.apply(List.of(throttle("billing", 0, ThrottleState.NORMAL, ThrottleState.THROTTLED),
                throttle("orders", 0, ThrottleState.NORMAL, ThrottleState.THROTTLED)));
        assertThat(model.visibleRows()).containsExactly(orders, billing);
        assertThat(orders.stateSummaryProperty().get())
                .isEqualTo(new StateSummary(ServiceState.ACTIVE, StateSummary.Mark.THROTTLED, "1 of 2 throttled · 1 flapping", "1/2 · 1"));

        model.apply(List.of(throttle("orders", 0, ThrottleState.THROTTLED, ThrottleState.NORMAL),
                throttle("orders", 1, ThrottleState.THROTTLED, ThrottleState.NORMAL)));
        flapping.remove("orders#1");
        assertThat(model.visibleRows()).as("settled and normal").containsExactly(billing);
        assertThat(orders.stateSummaryProperty().get().mark()).isEqualTo(StateSummary.Mark.NONE);
        model.apply(List.of(new FleetEvent.ServiceStateChanged("billing", ServiceState.SUSPENDED, Optional.empty())));
        assertThat(billing.stateSummaryProperty().get().state()).isEqualTo(ServiceState.SUSPENDED);
    }

    @Test
    void aRowsHealthSaysWhenAnActiveServiceHasAnInstanceRestartingOrLeftDown() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        model.apply(List.of(
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.OK);

        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RESTARTING,
                Optional.of("started again in 1000 ms (crash 1 in a row)"))));
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.WARNING);
        assertThat(row.restartingProperty().get()).isEqualTo(1);

        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.FAILED,
                Optional.of("left down after 6 crashes in a row"))));
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.ERROR);
        assertThat(row.failedProperty().get()).isEqualTo(1);
        assertThat(row.stateProperty().get()).as("the state alone would hide it").isEqualTo(ServiceState.ACTIVE);

        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.OK);
    }

    @Test
    void anActiveServiceWhoseInstancesAreNotAllUpYetSaysTheyAreStarting() {
        // As after a host restart: Active, two units, no instance up yet.
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        assertThat(row.startingProperty().get()).isEqualTo(2);
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.STARTING);

        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.STARTING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(row.startingProperty().get()).isEqualTo(1);
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.STARTING);

        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(row.startingProperty().get()).isZero();
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.OK);

        ServiceRowViewModel stopped = add("billing", ServiceState.STOPPED);
        assertThat(stopped.startingProperty().get()).as("a stopped service starts nothing").isZero();
    }

    @Test
    void aServiceBeingCreatedWhoseInstancesStartSaysStartingNotOk() {
        ServiceRowViewModel row = add("orders", ServiceState.CREATING);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.STARTING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.STARTING, Optional.empty())));
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.STARTING);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(row.healthProperty().get()).as("one of two up").isEqualTo(ServiceHealth.STARTING);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.ServiceStateChanged("orders", ServiceState.ACTIVE, Optional.empty())));
        assertThat(row.healthProperty().get()).isEqualTo(ServiceHealth.OK);
    }

    @Test
    void aServiceWhoseStateRunsNoInstancesHasNoHealthToShow() {
        // "Ok" with none running would say something untrue of a service that runs none.
        for (ServiceState none : List.of(ServiceState.STOPPED, ServiceState.START_FAILED, ServiceState.CREATE_FAILED,
                ServiceState.DISABLED, ServiceState.CREATING)) {
            ServiceRowViewModel row = add("svc-" + none.chartName(), none);
            assertThat(row.healthProperty().get()).as(none.chartName()).isEqualTo(ServiceHealth.NONE);
        }
        // The failure states that keep their instances still say how those are doing.
        ServiceRowViewModel scaleFailed = add("scaled", ServiceState.SCALE_FAILED);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("scaled", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("scaled", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(scaleFailed.healthProperty().get()).isEqualTo(ServiceHealth.OK);

        // Stopped: the instances go, and so does the health.
        ServiceRowViewModel orders = add("orders", ServiceState.ACTIVE);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(orders.healthProperty().get()).isEqualTo(ServiceHealth.OK);
        model.apply(List.of(new FleetEvent.ServiceStateChanged("orders", ServiceState.STOPPED, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.STOPPED, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.STOPPED, Optional.empty())));
        assertThat(orders.healthProperty().get()).isEqualTo(ServiceHealth.NONE);
    }

    @Test
    void anErrorAboutAServiceThatIsDeletedGoesWithIt() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        fleet.states.put("orders", ServiceState.STOPPED);
        row.command(Operation.SUSPEND).execute();
        assertThat(notices.alertProperty().get()).isNotNull();

        // Deleted elsewhere: the host's word that the delete succeeded comes after the row is gone.
        model.apply(List.of(new FleetEvent.ServiceRemoved("orders")));
        assertThat(notices.alertProperty().get()).isNull();
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders is no longer in the grid.");
    }

    @Test
    void aNewServiceFormSaysNothingIsWrongBeforeAFieldIsTouchedAndEverythingOnAnAttemptToCreate() {
        dialogs.newServiceAnswer = form -> {
            assertThat(form.validProperty().get()).as("an empty form cannot be created").isFalse();
            assertThat(form.problemProperty("name").get()).as("the name, not typed yet").isEmpty();
            assertThat(form.problemProperty("destination").get()).as("the destination, not typed yet").isEmpty();
            assertThat(form.blockedProperty().get()).as("Create, with nothing said against it yet").isFalse();

            // A field left without typing has been touched.
            form.touch("name");
            assertThat(form.problemProperty("name").get()).isNotEmpty();
            assertThat(form.problemProperty("destination").get()).isEmpty();
            form.nameProperty().set("refunds");
            assertThat(form.problemProperty("name").get()).isEmpty();
            assertThat(form.blockedProperty().get()).isFalse();

            // An attempt to create says everything that is wrong and creates nothing.
            form.submit();
            assertThat(form.problemProperty("destination").get()).isNotEmpty();
            assertThat(form.blockedProperty().get()).as("Create, with a problem shown").isTrue();
            form.destinationProperty().set("dir:/tmp/refunds");
            assertThat(form.blockedProperty().get()).isFalse();
            form.submit();
        };
        model.createService();
        assertThat(fleet.calls).containsExactly("create refunds");
    }

    @Test
    void aServiceCreatedFromTheFormIsRevealedOnceTheGridHasItAndNoOtherIs() {
        add("orders", ServiceState.ACTIVE);
        dialogs.newServiceAnswer = form -> {
            form.nameProperty().set("billing");
            form.destinationProperty().set("dir:/tmp/billing");
            form.submit();
        };
        model.createService();
        assertThat(fleet.calls).containsExactly("create billing");
        assertThat(model.revealProperty().get()).as("before the grid has it").isNull();
        add("zebra", ServiceState.ACTIVE);
        assertThat(model.revealProperty().get()).as("a service created elsewhere").isNull();
        ServiceRowViewModel billing = add("billing", ServiceState.CREATING);
        assertThat(model.revealProperty().get()).isSameAs(billing);
    }

    @Test
    void theUnitsFieldReadsAWholeNumberAsTheCommandLineDoesAndShowsItNormalisedOnceLeft() {
        dialogs.newServiceAnswer = form -> {
            form.nameProperty().set("billing");
            form.destinationProperty().set("dir:/tmp/billing");
            // Taken, as `sluice ctl scale` takes them: the number they are, shown as such once the field is left.
            for (String typed : List.of("01", " 1", "+1", "\u0661", "002 ")) {
                form.unitsTextProperty().set(typed);
                assertThat(form.problemProperty("units").get()).as("'%s'", typed).isEmpty();
                assertThat(form.definition().units()).as("'%s'", typed).isEqualTo(typed.strip().equals("002") ? 2 : 1);
                form.commitUnits();
                assertThat(form.unitsTextProperty().get()).as("'%s' once left", typed).isEqualTo(typed.strip().equals("002") ? "2" : "1");
            }
            // Refused, with the same words whether it is no whole number or one out of range.
            for (String typed : List.of("1.0", "1e0", "0x1", "", "one", "0", "9", "-1")) {
                form.unitsTextProperty().set(typed);
                assertThat(form.problemProperty("units").get()).as("'%s'", typed).isEqualTo("Units must be a whole number from 1 to 8.");
                assertThat(form.canSubmitProperty().get()).as("'%s'", typed).isFalse();
                form.commitUnits();
                assertThat(form.unitsTextProperty().get()).as("'%s' stays as typed", typed).isEqualTo(typed);
            }
            // Set as a number (the spinner's arrows), the text follows.
            form.unitsProperty().set(3);
            assertThat(form.unitsTextProperty().get()).isEqualTo("3");
            form.submit();
        };
        model.createService();
        assertThat(dialogs.lastForm.definition().units()).isEqualTo(3);
    }

    @Test
    void aServiceTheGridAlreadyHasWhenTheHostAnswersIsRevealedThen() {
        List<Runnable> answers = new ArrayList<>();
        BackgroundExecutor later = answeredLater(answers);
        model = new ServicesViewModel(group, hosts, RULES, english, later, dialogs, notices);
        dialogs.newServiceAnswer = form -> {
            form.nameProperty().set("billing");
            form.destinationProperty().set("dir:/tmp/billing");
            form.submit();
        };
        model.createService();
        // The host's event comes before its answer.
        ServiceRowViewModel billing = add("billing", ServiceState.CREATING);
        assertThat(model.revealProperty().get()).as("before the host answered").isNull();
        answers.forEach(Runnable::run);
        assertThat(model.revealProperty().get()).isSameAs(billing);
    }

    @Test
    void aNewServiceTheHostRefusesKeepsTheFormOpenWithWhatWasTypedAndTheHostsReason() {
        add("orders", ServiceState.ACTIVE);
        // Another console created billing a moment ago; this grid has not heard of it yet.
        fleet.createFails = new org.sluice.fleet.ServiceExistsException("billing");
        dialogs.newServiceAnswer = form -> {
            form.nameProperty().set("orders");
            assertThat(form.problemProperty("name").get()).as("taken, said while typing")
                    .isEqualTo("A service named orders already exists on this computer.");
            assertThat(form.canSubmitProperty().get()).isFalse();
            form.nameProperty().set("billing");
            form.unitsProperty().set(12);
            assertThat(form.problemProperty("units").get()).isEqualTo("Units must be a whole number from 1 to 8.");
            form.unitsProperty().set(3);
            form.destinationProperty().set("dir:/tmp/billing");
            assertThat(form.canSubmitProperty().get()).isTrue();
            form.submit();
        };
        model.createService();
        DefinitionFormViewModel form = dialogs.lastForm;
        assertThat(fleet.calls).containsExactly("create billing");
        assertThat(form.doneProperty().get()).as("the form stays open").isFalse();
        assertThat(form.errorProperty().get()).isEqualTo("A service named billing already exists on this host. Choose another name.");
        assertThat(form.definition().name()).isEqualTo("billing");
        assertThat(form.definition().units()).isEqualTo(3);

        fleet.createFails = null;
        form.submit();
        assertThat(form.doneProperty().get()).isTrue();
        assertThat(notices.alertProperty().get()).as("the refusal was told in the form").isNull();
    }

    @Test
    void aDrillArmsAFaultOnTheChosenOperation() {
        model.selectedProperty().set(add("orders", ServiceState.ACTIVE));
        dialogs.drill = Optional.of(Operation.STOP);
        model.armDrill();
        assertThat(fleet.calls).containsExactly("fault orders Stop");
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: the next Stop will fail (drill)");
    }

    @Test
    void aDrillCanFailTheAccountAndPlatformOperationsToo() {
        model.selectedProperty().set(add("orders", ServiceState.ACTIVE));
        dialogs.drill = Optional.of(Operation.SERVICE_UPDATE);
        model.armDrill();
        assertThat(dialogs.drillsOffered).contains(Operation.START, Operation.BACKUP, Operation.DISABLE, Operation.ENABLE,
                Operation.SERVICE_UPDATE);
        assertThat(fleet.calls).containsExactly("fault orders ServiceUpdate");
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: the next Service update will fail (drill)");
    }

    @Test
    void serviceUpdateRunsOnlyFromActiveAndAsksFirst() {
        ServiceRowViewModel row = add("orders", ServiceState.STOPPED);
        OperationCommand update = row.command(Operation.SERVICE_UPDATE);
        assertThat(update.isExecutable()).isFalse();
        assertThat(update.getTooltip()).isEqualTo("Service update is not allowed while the service is Stopped. Start it first.");

        fleet.states.put("orders", ServiceState.ACTIVE);
        row.applyState(ServiceState.ACTIVE, null);
        assertThat(update.isExecutable()).isTrue();
        dialogs.confirmServiceUpdate = false;
        update.execute();
        assertThat(fleet.calls).as("cancelled").isEmpty();
        dialogs.confirmServiceUpdate = true;
        update.execute();
        assertThat(dialogs.asked).containsExactly("service update orders", "service update orders");
        assertThat(fleet.calls).containsExactly("ServiceUpdate orders");
    }

    @Test
    void disablingTheAccountNamesTheServicesItTouchesAndAsksFirst() {
        add("orders", ServiceState.ACTIVE);
        add("billing", ServiceState.STOPPED);
        add("archive", ServiceState.START_FAILED);
        dialogs.confirmAccount = false;
        model.disableAccount();
        assertThat(dialogs.asked).containsExactly("Disable [orders, billing]");
        assertThat(fleet.calls).as("cancelled").isEmpty();

        dialogs.confirmAccount = true;
        model.disableAccount();
        assertThat(fleet.calls).containsExactly("disableAccount");
        assertThat(notices.latestProperty().get().text()).isEqualTo("Disable accepted for 2 services");
    }

    @Test
    void enablingTheAccountWithNothingDisabledSaysSoWithoutAsking() {
        add("orders", ServiceState.ACTIVE);
        model.enableAccount();
        assertThat(dialogs.asked).isEmpty();
        assertThat(fleet.calls).isEmpty();
        assertThat(notices.latestProperty().get().text()).isEqualTo("No service is Disabled: there is nothing to enable.");

        add("billing", ServiceState.DISABLED);
        dialogs.confirmAccount = true;
        model.enableAccount();
        assertThat(dialogs.asked).containsExactly("Enable [billing]");
        assertThat(fleet.calls).containsExactly("enableAccount");
    }

    @Test
    void removedServicesLeaveTheGrid() {
        add("orders", ServiceState.STOPPED);
        model.selectedProperty().set(model.row("orders").orElseThrow());
        model.apply(List.of(new FleetEvent.ServiceRemoved("orders")));
        assertThat(model.rows()).isEmpty();
        assertThat(model.selectedProperty().get()).isNull();
    }

    @Test
    void aRestartAndAnInstanceLeftDownAreToldInTheConsolesLanguage() {
        I18n i18n = new I18n(Locale.KOREAN);
        NoticesViewModel koreanNotices = new NoticesViewModel(i18n);
        ServicesViewModel korean = new ServicesViewModel(group, hosts(i18n, koreanNotices), RULES, i18n, BackgroundExecutor.sameThread(),
                dialogs, koreanNotices);
        fleet.states.put("orders", ServiceState.ACTIVE);
        korean.apply(List.of(new FleetEvent.ServiceAdded("orders", FakeFleet.snapshot("orders", ServiceState.ACTIVE))));

        korean.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RESTARTING,
                Optional.of("is started again in 1000 ms (crash 2 in a row)"), 2)));
        assertThat(koreanNotices.latestProperty().get().text())
                .isEqualTo("orders: 인스턴스 1이 스스로 종료되어 다시 시작합니다 (연속 2번째 비정상 종료)");

        korean.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.FAILED,
                Optional.of("left down after 6 crashes in a row"), 6)));
        assertThat(koreanNotices.latestProperty().get().text())
                .isEqualTo("orders: 인스턴스 1이 연속 6번 비정상 종료되어 중지된 채로 둡니다. 원인을 고친 뒤 서비스를 다시 시작하십시오");
    }

    @Test
    void triesAfterAHostRestartAreNotToldAsCrashesInEitherLanguage() {
        add("orders", ServiceState.ACTIVE);
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RESTARTING,
                Optional.of("not back after the host restarted"), 2, RestartCause.HOST_RESTART)));
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: instance 0 is not back after the host restarted; trying again (retry 2 of 5)");
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.FAILED,
                Optional.of("left down"), 6, RestartCause.HOST_RESTART)));
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: instance 0 did not come back after the host "
                + "restarted, in 6 tries, and is left down; fix the cause, then start the service again");
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RESTARTING,
                Optional.of("is started again in 1000 ms (crash 2 in a row)"), 2, RestartCause.CRASH)));
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: instance 1 exited on its own and is being started again (crash 2 in a row)");

        I18n i18n = new I18n(Locale.KOREAN);
        NoticesViewModel koreanNotices = new NoticesViewModel(i18n);
        ServicesViewModel korean = new ServicesViewModel(group, hosts(i18n, koreanNotices), RULES, i18n, BackgroundExecutor.sameThread(),
                dialogs, koreanNotices);
        korean.apply(List.of(new FleetEvent.ServiceAdded("orders", FakeFleet.snapshot("orders", ServiceState.ACTIVE))));
        korean.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RESTARTING,
                Optional.of("not back after the host restarted"), 2, RestartCause.HOST_RESTART)));
        assertThat(koreanNotices.latestProperty().get().text())
                .isEqualTo("orders: 호스트가 다시 시작된 뒤 인스턴스 0이 돌아오지 않아 다시 시도합니다 (5번 중 2번째 재시도)");
        korean.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.FAILED,
                Optional.of("left down"), 6, RestartCause.HOST_RESTART)));
        assertThat(koreanNotices.latestProperty().get().text()).isEqualTo("orders: 호스트가 다시 시작된 뒤 인스턴스 0이 6번 시도에도 "
                + "돌아오지 않아 중지된 채로 둡니다. 원인을 고친 뒤 서비스를 다시 시작하십시오");
    }

    @Test
    void koreanLabelsUseTheSourcePagesTerms() {
        I18n i18n = new I18n(Locale.KOREAN);
        NoticesViewModel koreanNotices = new NoticesViewModel(i18n);
        ServicesViewModel korean = new ServicesViewModel(group, hosts(i18n, koreanNotices), RULES, i18n, BackgroundExecutor.sameThread(),
                dialogs, koreanNotices);
        fleet.states.put("orders", ServiceState.STOPPED);
        korean.apply(List.of(new FleetEvent.ServiceAdded("orders", FakeFleet.snapshot("orders", ServiceState.STOPPED))));
        assertThat(korean.row("orders").orElseThrow().command(Operation.RESUME).getTooltip())
                .isEqualTo("서비스가 중지 상태일 때는 계속을 할 수 없습니다. 대신 시작하십시오.");
    }

    // ------------------------------------------------------------------ several hosts

    private static final java.net.URI BRANCH = java.net.URI.create("https://10.0.0.5:7071");

    private ServiceRowViewModel addOn(String host, String name, ServiceState state) {
        org.sluice.fleet.ServiceSnapshot own = FakeFleet.snapshot(name, state);
        org.sluice.fleet.ServiceSnapshot onHost = new org.sluice.fleet.ServiceSnapshot(own.definition(), own.state(), own.running(),
                own.instances(), own.lastOperation(), own.endpoint(), host);
        model.apply(List.of(new FleetEvent.ServiceAdded(onHost.name(), onHost)));
        return model.row(onHost.name()).orElseThrow();
    }

    private void branchIs(org.sluice.fleet.remote.RemoteFleet.State state, long lastHeardMs, OptionalLong retryAtMs) {
        hosts.update(List.of(new HostStatus("branch", BRANCH,
                new org.sluice.fleet.remote.RemoteFleet.Connection(state, lastHeardMs, retryAtMs, Optional.empty()))));
    }

    @Test
    void aRowNamesItsHostAndShowsTheServicesOwnName() {
        ServiceRowViewModel mine = add("orders", ServiceState.ACTIVE);
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        ServiceRowViewModel theirs = addOn("branch", "orders", ServiceState.ACTIVE);

        assertThat(mine.host().label()).isEqualTo("This computer");
        assertThat(mine.serviceName()).isEqualTo("orders");
        assertThat(theirs.name()).isEqualTo("branch/orders");
        assertThat(theirs.host().label()).isEqualTo("branch");
        assertThat(theirs.serviceName()).isEqualTo("orders");
        assertThat(hosts.severalProperty().get()).as("the grid shows its Host column").isTrue();
    }

    @Test
    void theHostFilterOffersEveryHostAndNarrowsTheGrid() {
        add("orders", ServiceState.ACTIVE);
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        addOn("branch", "orders", ServiceState.ACTIVE);
        addOn("branch", "billing", ServiceState.STOPPED);

        assertThat(model.hostFilters()).extracting(model::label).containsExactly("All hosts", "This computer", "branch");
        model.hostFilterProperty().set(new HostFilter("branch"));
        assertThat(model.visibleRows()).extracting(ServiceRowViewModel::name).containsExactly("branch/orders", "branch/billing");
        model.stateFilterProperty().set(StateFilter.ACTIVE);
        assertThat(model.visibleRows()).extracting(ServiceRowViewModel::name).containsExactly("branch/orders");
        model.hostFilterProperty().set(new HostFilter(""));
        assertThat(model.visibleRows()).extracting(ServiceRowViewModel::name).containsExactly("orders");

        // A host that leaves is no longer offered, nor filtered on.
        model.hostFilterProperty().set(new HostFilter("branch"));
        hosts.update(List.of());
        assertThat(model.hostFilters()).extracting(model::label).containsExactly("All hosts", "This computer");
        assertThat(model.hostFilterProperty().get()).isEqualTo(HostFilter.ALL);
    }

    @Test
    void aStaleRowsActionsWaitAndSayWhyUntilItsHostIsBack() {
        ServiceRowViewModel mine = add("orders", ServiceState.ACTIVE);
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        ServiceRowViewModel theirs = addOn("branch", "orders", ServiceState.ACTIVE);
        assertThat(theirs.isStale()).isFalse();
        assertThat(theirs.command(Operation.STOP).isExecutable()).isTrue();

        long heard = now;
        now += 12_000;
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.RECONNECTING, heard, OptionalLong.of(now + 4_000));
        assertThat(theirs.isStale()).isTrue();
        assertThat(theirs.host().lastUpdateTextProperty().get()).isEqualTo("last update 12 s ago");
        assertThat(theirs.commands()).noneMatch(OperationCommand::isExecutable);
        assertThat(theirs.command(Operation.STOP).getTooltip())
                .isEqualTo("branch is reconnecting (next try in 4 s): actions wait until it is back.");
        assertThat(theirs.command(Operation.RESUME).getTooltip()).as("the host first, then the chart")
                .isEqualTo("branch is reconnecting (next try in 4 s): actions wait until it is back.");
        assertThat(mine.isStale()).as("the own host is not touched").isFalse();
        assertThat(mine.command(Operation.STOP).isExecutable()).isTrue();

        theirs.command(Operation.STOP).execute();
        assertThat(fleet.calls).isEmpty();
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("branch/orders: branch is reconnecting (next try in 4 s): actions wait until it is back.");

        now += 2_000;
        hosts.tick(now);
        assertThat(theirs.command(Operation.STOP).getTooltip()).contains("next try in 2 s");

        branchIs(org.sluice.fleet.remote.RemoteFleet.State.UNAUTHORIZED, heard, OptionalLong.empty());
        assertThat(theirs.command(Operation.STOP).getTooltip()).startsWith("branch refused the key");
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CERTIFICATE_CHANGED, heard, OptionalLong.empty());
        assertThat(theirs.command(Operation.STOP).getTooltip()).startsWith("branch presented a certificate other than the one you accepted");

        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        assertThat(theirs.isStale()).isFalse();
        assertThat(theirs.command(Operation.STOP).isExecutable()).isTrue();
        assertThat(theirs.command(Operation.STOP).getTooltip()).isEqualTo("Stop the service's role instances");
        assertThat(theirs.command(Operation.RESUME).getTooltip()).isEqualTo("Resume is not needed: the service is already Active.");
    }

    @Test
    void aNewServiceGoesToTheHostTheUserPicksAmongThoseConnected() {
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        dialogs.definition = Optional.of(FakeFleet.definition("billing"));
        model.createService();
        assertThat(dialogs.hostsOffered).extracting(DialogService.HostChoice::label).containsExactly("This computer", "branch");
        assertThat(fleet.calls).containsExactly("create billing");

        branchIs(org.sluice.fleet.remote.RemoteFleet.State.RECONNECTING, now, OptionalLong.of(now + 1_000));
        model.createService();
        assertThat(dialogs.hostsOffered).as("not a host that cannot take it now")
                .extracting(DialogService.HostChoice::label).containsExactly("This computer");
    }

    @Test
    void drillsAreForTheOwnHostsServicesOnly() {
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        model.selectedProperty().set(addOn("branch", "orders", ServiceState.ACTIVE));
        assertThat(model.drillAvailableProperty().get()).isFalse();
        dialogs.drill = Optional.of(Operation.STOP);
        model.armDrill();
        assertThat(dialogs.asked).isEmpty();
        assertThat(fleet.calls).isEmpty();
        assertThat(notices.latestProperty().get().text()).isEqualTo("branch/orders: drills can be armed only on this computer's "
                + "services; the management API of another host offers none.");

        model.selectedProperty().set(add("orders", ServiceState.ACTIVE));
        assertThat(model.drillAvailableProperty().get()).isTrue();
    }

    @Test
    void aRefusalFromTheRowIsSaidAgainInTheLanguageSwitchedTo() {
        ServiceRowViewModel row = add("orders", ServiceState.ACTIVE);
        row.command(Operation.START).execute();
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: Start is not needed: the service is already Active.");

        english.use(Locale.KOREAN);
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: 서비스가 이미 활성 상태이므로 시작이 필요하지 않습니다.");
    }

    @Test
    void aStaleHostsReasonForRefusingIsSaidAgainInTheLanguageSwitchedTo() {
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, now, OptionalLong.empty());
        ServiceRowViewModel theirs = addOn("branch", "orders", ServiceState.ACTIVE);
        branchIs(org.sluice.fleet.remote.RemoteFleet.State.RECONNECTING, now, OptionalLong.of(now + 4_000));
        theirs.command(Operation.STOP).execute();
        Notice refused = notices.latestProperty().get();
        model.selectedProperty().set(theirs);
        model.restoreService();
        assertThat(notices.all()).extracting(Notice::text).endsWith(
                "branch/orders: branch is reconnecting (next try in 4 s): actions wait until it is back.",
                "branch/orders: branch is reconnecting (next try in 4 s): actions wait until it is back.");
        assertThat(refused.kind()).isEqualTo(Notice.Kind.ERROR);

        english.use(Locale.KOREAN);
        assertThat(notices.all()).extracting(Notice::text).as("the stop refused, then the restore").endsWith(
                "branch/orders: branch에 다시 연결하는 중입니다(4초 후 다시 시도). 다시 연결될 때까지 작업은 기다립니다.",
                "branch/orders: branch에 다시 연결하는 중입니다(4초 후 다시 시도). 다시 연결될 때까지 작업은 기다립니다.");
    }

    /** An executor that runs each piece of work only when the test runs what it added to {@code answers}. */
    private static BackgroundExecutor answeredLater(List<Runnable> answers) {
        return new BackgroundExecutor() {
            @Override
            public <T> void run(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> onSuccess,
                                java.util.function.Consumer<Throwable> onFailure) {
                answers.add(() -> {
                    try {
                        onSuccess.accept(work.call());
                    } catch (Exception e) {
                        onFailure.accept(e);
                    }
                });
            }
        };
    }
}
