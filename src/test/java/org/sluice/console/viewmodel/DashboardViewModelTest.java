package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/** The dashboard's view model, without the toolkit and with a clock the test moves. */
class DashboardViewModelTest {
    private long now = 10_000;
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final DashboardViewModel model = new DashboardViewModel(i18n, () -> now);

    private static ThrottleTransition entering(long time, Cause cause) {
        return new ThrottleTransition(time, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(cause), Optional.empty());
    }

    @Test
    void aTileAppearsForEachRunningInstanceAndGoesWhenItStops() {
        model.apply(List.of(new FleetEvent.ServiceAdded("orders", FakeFleet.snapshot("orders", ServiceState.CREATING)),
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RUNNING, Optional.empty()),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(model.tiles()).extracting(InstanceTileViewModel::key).containsExactly("orders#0", "orders#1");
        model.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.STOPPED, Optional.empty())));
        assertThat(model.tiles()).extracting(InstanceTileViewModel::key).containsExactly("orders#0");
        model.apply(List.of(new FleetEvent.ServiceRemoved("orders")));
        assertThat(model.tiles()).isEmpty();
    }

    @Test
    void enteringThrottledFlashesInTheSamePulseRaisesAnAlertAndListsTheEvent() {
        model.apply(List.of(new FleetEvent.InstanceSampled("orders", 0, new InstanceSample(now, 71, 3, 1, 0, 0, 0, 0, 1, 2)),
                new FleetEvent.ThrottleChanged("orders", 0, entering(now, Cause.MEMORY))));
        InstanceTileViewModel tile = model.tile("orders#0");
        assertThat(tile.isFlashing()).isTrue();
        assertThat(tile.isMarked()).isTrue();
        assertThat(model.latestAlertProperty().get().text()).isEqualTo("orders#0 is throttled: Memory");
        assertThat(model.events()).hasSize(1);

        now += InstanceTileViewModel.FLASH_MILLIS + 1;
        model.tick(now);
        assertThat(tile.isFlashing()).as("the flash lasts a few seconds").isFalse();
        assertThat(tile.isMarked()).as("it stays marked until Normal").isTrue();

        model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, new ThrottleTransition(now, ThrottleState.THROTTLED,
                ThrottleState.NORMAL, Set.of(), Optional.empty()))));
        assertThat(tile.isMarked()).isFalse();
        assertThat(model.events()).extracting(event -> i18n.say(event.words()))
                .containsExactly("orders#0 is normal again", "orders#0 is throttled: Memory");
    }

    @Test
    void aChangeOfCausesWhileThrottledIsNoNewAlert() {
        model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, entering(now, Cause.MEMORY))));
        ThrottleAlert first = model.latestAlertProperty().get();
        model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, new ThrottleTransition(now + 5, ThrottleState.THROTTLED,
                ThrottleState.THROTTLED, Set.of(Cause.MEMORY, Cause.CONCURRENCY), Optional.empty()))));
        assertThat(model.latestAlertProperty().get()).isSameAs(first);
        assertThat(model.events()).hasSize(1);
    }

    @Test
    void theEventsListIsBounded() {
        for (int i = 0; i < DashboardViewModel.MAX_EVENTS + 20; i++) {
            model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, entering(now + 2L * i, Cause.CONCURRENCY)),
                    new FleetEvent.ThrottleChanged("orders", 0, new ThrottleTransition(now + 2L * i + 1, ThrottleState.THROTTLED,
                            ThrottleState.NORMAL, Set.of(), Optional.empty()))));
        }
        assertThat(model.events()).hasSize(DashboardViewModel.MAX_EVENTS);
    }

    @Test
    void aFlappingInstanceRaisesOneAlertThatCountsInsteadOfOnePerChange() {
        List<ThrottleAlert> alerts = new ArrayList<>();
        model.latestAlertProperty().addListener((o, before, alert) -> alerts.add(alert));
        long start = now;
        for (int i = 0; i < 12; i++) {
            now = start + i * 3_300L;
            model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, entering(now, Cause.CONCURRENCY))));
            now += 1_500;
            model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, new ThrottleTransition(now, ThrottleState.THROTTLED,
                    ThrottleState.NORMAL, Set.of(), Optional.empty()))));
        }

        // One notification for each of the first three entries; the third trip out makes it
        // flapping, and from then on one notification counts.
        assertThat(alerts.stream().map(ThrottleAlert::id).distinct()).hasSize(4);
        ThrottleAlert last = alerts.get(alerts.size() - 1);
        assertThat(last.flapping()).isTrue();
        assertThat(last.title()).isEqualTo("Instance flapping");
        // Counted as the twelfth entry came, 36.3 s after the first.
        assertThat(last.text()).isEqualTo("orders#0 is flapping: throttled 12 times in 36 s");
        assertThat(model.flappingInstances()).containsExactly("orders#0");
        assertThat(model.events()).as("the events list still has every change").hasSize(24);
        assertThat(i18n.say(model.events().get(1).words())).as("with its cause while flapping")
                .isEqualTo("orders#0 is throttled: Messages in process");

        now += FlapDetector.SETTLE_MILLIS;
        model.tick(now);
        assertThat(model.flappingInstances()).isEmpty();
        model.apply(List.of(new FleetEvent.ThrottleChanged("orders", 0, entering(now, Cause.MEMORY))));
        assertThat(model.latestAlertProperty().get().id()).as("settled: the next entry is news").isNotEqualTo(last.id());
        assertThat(model.latestAlertProperty().get().text()).isEqualTo("orders#0 is throttled: Memory");
    }
}
