package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/** Bulk actions on the selected services, without the JavaFX toolkit. */
class BulkActionViewModelTest {
    private static final Lifecycle RULES = Lifecycle.standard();
    private final FakeFleet fleet = new FakeFleet();
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final I18n english = new I18n(Locale.ENGLISH);
    private final NoticesViewModel notices = new NoticesViewModel(english);
    /** Makes the rows, as the grid does in the console. */
    private final FleetGroup group = new FleetGroup(fleet);
    private final HostsViewModel hosts = new HostsViewModel(group, RemoteHostsForTests.NONE, new MemoryConnections(), english,
            BackgroundExecutor.sameThread(), dialogs, notices, () -> 1_000_000L);
    private final ServicesViewModel grid = new ServicesViewModel(group, hosts, RULES, english, BackgroundExecutor.sameThread(),
            dialogs, notices);
    private final BulkActionViewModel bulk = new BulkActionViewModel(fleet, RULES, english, BackgroundExecutor.sameThread(),
            dialogs, notices);

    private ServiceRowViewModel add(String name, ServiceState state) {
        fleet.states.put(name, state);
        grid.apply(List.of(new FleetEvent.ServiceAdded(name, FakeFleet.snapshot(name, state))));
        return grid.row(name).orElseThrow();
    }

    @Test
    void operationsThatAskSomethingOfEachServiceAreNotOfferedInBulk() {
        assertThat(bulk.operations()).containsExactly(Operation.START, Operation.STOP, Operation.RESTART, Operation.SUSPEND,
                Operation.RESUME, Operation.BACKUP);
    }

    @Test
    void bulkPreviewCountsWhatRunsAndWhatIsSkipped() {
        List<ServiceRowViewModel> targets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            targets.add(add("a" + i, ServiceState.ACTIVE));
        }
        targets.add(add("s1", ServiceState.SUSPENDED));
        targets.add(add("s2", ServiceState.SUSPENDED));

        BulkPlan plan = bulk.preview(Operation.STOP, targets);
        assertThat(plan.willRun()).hasSize(5);
        assertThat(plan.skipped()).extracting(BulkPlan.Skipped::service).containsExactly("s1", "s2");
        assertThat(plan.summary()).isEqualTo("5 will stop; 2 skipped: Suspended");
    }

    @Test
    void theMenuSaysHowManySelectedServicesEachOperationReachesAndOffersNoneThatReachesNone() {
        List<ServiceRowViewModel> targets = List.of(add("a", ServiceState.ACTIVE), add("b", ServiceState.ACTIVE),
                add("s", ServiceState.SUSPENDED));

        assertThat(bulk.offer(Operation.STOP, targets)).isEqualTo(new BulkActionViewModel.Offer("Stop (2 of 3)", true));
        assertThat(bulk.offer(Operation.RESUME, targets)).isEqualTo(new BulkActionViewModel.Offer("Resume (1 of 3)", true));
        assertThat(bulk.offer(Operation.START, targets))
                .isEqualTo(new BulkActionViewModel.Offer("Start (none of the 3 selected allows it)", false));
        assertThat(new BulkActionViewModel(fleet, RULES, new I18n(Locale.KOREAN), BackgroundExecutor.sameThread(), dialogs, notices)
                .offer(Operation.START, targets).label()).isEqualTo("시작 (선택한 3개 모두 허용하지 않음)");
    }

    @Test
    void bulkRunsEachServiceAndOneFailureDoesNotStopTheRest() {
        List<ServiceRowViewModel> targets = List.of(add("a", ServiceState.ACTIVE), add("b", ServiceState.ACTIVE),
                add("c", ServiceState.ACTIVE), add("d", ServiceState.SUSPENDED));
        fleet.states.put("b", ServiceState.STOPPED); // changed behind the grid's back: the fleet refuses it
        bulk.run(Operation.STOP, targets);
        assertThat(dialogs.lastPlan.willRun()).containsExactly("a", "b", "c");
        assertThat(fleet.calls).containsExactly("Stop a", "Stop c");
        assertThat(notices.all()).extracting(Notice::service).containsSubsequence("a", "b", "c");
        assertThat(notices.all()).filteredOn(n -> n.service().equals("b")).singleElement()
                .satisfies(n -> assertThat(n.kind()).isEqualTo(Notice.Kind.ERROR));
    }

    @Test
    void nothingRunsWhenThePreviewIsDeclinedOrNoServiceAllowsTheOperation() {
        List<ServiceRowViewModel> active = List.of(add("a", ServiceState.ACTIVE), add("b", ServiceState.ACTIVE));
        dialogs.confirmBulk = false;
        bulk.run(Operation.STOP, active);
        assertThat(dialogs.lastPlan.willRun()).containsExactly("a", "b");
        assertThat(fleet.calls).isEmpty();

        dialogs.lastPlan = null;
        bulk.run(Operation.START, active);
        assertThat(dialogs.lastPlan).as("no preview to confirm").isNull();
        assertThat(fleet.calls).isEmpty();
        assertThat(notices.latestProperty().get()).extracting(Notice::kind, Notice::service, Notice::text)
                .containsExactly(Notice.Kind.INFO, null, "0 will start; 2 skipped: Active");
    }

    @Test
    void aBulkActionSpansHostsAndSkipsThoseNotConnected() {
        add("orders", ServiceState.ACTIVE);
        hosts.update(List.of(new HostStatus("branch", java.net.URI.create("https://10.0.0.5:7071"),
                new org.sluice.fleet.remote.RemoteFleet.Connection(org.sluice.fleet.remote.RemoteFleet.State.CONNECTED, 1, java.util.OptionalLong.empty(),
                        java.util.Optional.empty())),
                new HostStatus("depot", java.net.URI.create("https://10.0.0.6:7071"),
                        new org.sluice.fleet.remote.RemoteFleet.Connection(org.sluice.fleet.remote.RemoteFleet.State.RECONNECTING, 1,
                                java.util.OptionalLong.of(5_000_000L), java.util.Optional.empty()))));
        List<ServiceRowViewModel> rows = new ArrayList<>(List.of(grid.row("orders").orElseThrow(),
                addOn("branch", "orders", ServiceState.ACTIVE), addOn("depot", "orders", ServiceState.ACTIVE),
                addOn("depot", "billing", ServiceState.STOPPED)));

        BulkPlan plan = bulk.preview(Operation.STOP, rows);
        assertThat(plan.willRun()).containsExactly("orders", "branch/orders");
        assertThat(plan.skipped()).extracting(BulkPlan.Skipped::service).containsExactly("depot/orders", "depot/billing");
        assertThat(plan.skipped()).allMatch(BulkPlan.Skipped::stale);
        assertThat(plan.summary()).isEqualTo("2 will stop; 2 skipped: host not connected");
    }

    private ServiceRowViewModel addOn(String host, String name, ServiceState state) {
        org.sluice.fleet.ServiceSnapshot own = FakeFleet.snapshot(name, state);
        org.sluice.fleet.ServiceSnapshot onHost = new org.sluice.fleet.ServiceSnapshot(own.definition(), own.state(), own.running(),
                own.instances(), own.lastOperation(), own.endpoint(), host);
        grid.apply(List.of(new FleetEvent.ServiceAdded(onHost.name(), onHost)));
        return grid.row(onHost.name()).orElseThrow();
    }

    @Test
    void theNoticeOfAPlanThatRunsNothingFollowsTheLanguage() {
        List<ServiceRowViewModel> rows = List.of(add("a", ServiceState.ACTIVE), add("b", ServiceState.ACTIVE),
                add("s", ServiceState.SUSPENDED));
        bulk.run(Operation.START, rows);
        assertThat(notices.latestProperty().get().text()).isEqualTo("0 will start; 3 skipped: 2 Active, 1 Suspended");

        english.use(Locale.KOREAN);
        assertThat(notices.latestProperty().get().text()).isEqualTo("0개 시작 예정, 3개 건너뜀: 활성 2개, 일시 중단 1개");
    }
}
