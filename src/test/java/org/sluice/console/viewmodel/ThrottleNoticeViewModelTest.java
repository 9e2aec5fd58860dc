package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/** The throttle notification bar's line, fed by the dashboard's view model, with a clock the test moves. */
class ThrottleNoticeViewModelTest {
    private long now = 10_000;
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final DashboardViewModel dashboard = new DashboardViewModel(i18n, () -> now);
    private final ThrottleNoticeViewModel notice = dashboard.notice();

    private void enter(String service, Cause cause) {
        dashboard.apply(List.of(new FleetEvent.ThrottleChanged(service, 0,
                new ThrottleTransition(now, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(cause), Optional.empty()))));
    }

    private void leave(String service) {
        dashboard.apply(List.of(new FleetEvent.ThrottleChanged(service, 0,
                new ThrottleTransition(now, ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of(), Optional.empty()))));
    }

    /** {@code times} trips into Throttled and out, one every 3.3 s, the clock and the pulses moving on. */
    private void flap(int times) {
        for (int i = 0; i < times; i++) {
            enter("orders", Cause.CONCURRENCY);
            now += 1_500;
            dashboard.tick(now);
            leave("orders");
            now += 1_800;
            dashboard.tick(now);
        }
    }

    @Test
    void itNamesTheThrottledInstanceAndAFlappingInstancesCountGoesOnInPlace() {
        List<Boolean> shownChanges = new ArrayList<>();
        notice.shownProperty().addListener((o, was, shown) -> shownChanges.add(shown));
        enter("orders", Cause.MEMORY);
        assertThat(notice.shownProperty().get()).isTrue();
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 is throttled: Memory");
        assertThat(notice.instanceProperty().get()).isEqualTo("orders#0");
        assertThat(notice.flappingProperty().get()).isFalse();
        now += 1_500;
        leave("orders");
        now += 1_800;

        flap(11);
        // The twelfth entry came 36.3 s after the first; the line said each count in its turn.
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 is flapping: throttled 12 times in 36 s");
        assertThat(notice.flappingProperty().get()).isTrue();
        assertThat(shownChanges).as("shown once, and never hidden in between").containsExactly(true);
    }

    @Test
    void itHidesEightSecondsAfterTheLastNews() {
        enter("orders", Cause.MEMORY);
        long news = now;
        now = news + 5_000;
        dashboard.tick(now);
        enter("billing", Cause.MEMORY);
        assertThat(notice.textProperty().get()).as("the latest news names its instance, and says there is more")
                .isEqualTo("billing#0 is throttled: Memory · one more instance in the events list");
        assertThat(notice.instanceProperty().get()).isEqualTo("billing#0");

        now = news + 5_000 + ThrottleNoticeViewModel.SHOWN_MILLIS - 1;
        dashboard.tick(now);
        assertThat(notice.shownProperty().get()).as("8 s after the last news, not the first").isTrue();
        now++;
        dashboard.tick(now);
        assertThat(notice.shownProperty().get()).isFalse();

        // Shown again, it starts afresh: the instances of the time before are not counted.
        enter("orders", Cause.CONCURRENCY);
        assertThat(notice.shownProperty().get()).isTrue();
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 is throttled: Messages in process");
    }

    @Test
    void itStaysWhileTheInstanceItNamesIsFlappingAndGoesOnceItSettles() {
        flap(6);
        assertThat(dashboard.flappingInstances()).containsExactly("orders#0");
        long lastNews = now - 3_300;
        now = lastNews + ThrottleNoticeViewModel.SHOWN_MILLIS + 15_000;
        dashboard.tick(now);
        assertThat(notice.shownProperty().get()).as("still flapping, long after its last news").isTrue();

        now = lastNews + 1_500 + FlapDetector.SETTLE_MILLIS;
        dashboard.tick(now);
        assertThat(dashboard.flappingInstances()).isEmpty();
        assertThat(notice.shownProperty().get()).as("settled, and its news is old").isFalse();
    }

    @Test
    void closedByTheOperatorTheSameFlappingRunDoesNotOpenItAgainButANewRunMay() {
        flap(7);
        assertThat(notice.flappingProperty().get()).isTrue();
        notice.close();
        assertThat(notice.shownProperty().get()).isFalse();

        flap(5);
        assertThat(dashboard.flappingInstances()).containsExactly("orders#0");
        assertThat(notice.shownProperty().get()).as("the same run counts on, closed").isFalse();

        now += FlapDetector.SETTLE_MILLIS;
        dashboard.tick(now);
        assertThat(dashboard.flappingInstances()).isEmpty();
        enter("orders", Cause.MEMORY);
        assertThat(notice.shownProperty().get()).as("settled: the next entry is news").isTrue();
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 is throttled: Memory");
    }

    @Test
    void anotherInstancesNewsOpensItAgainAfterAClose() {
        flap(7);
        notice.close();
        enter("billing", Cause.MEMORY);
        assertThat(notice.shownProperty().get()).isTrue();
        assertThat(notice.textProperty().get()).isEqualTo("billing#0 is throttled: Memory");
    }

    @Test
    void showSelectsTheInstanceItNames() {
        enter("billing", Cause.MEMORY);
        enter("orders", Cause.MEMORY);
        notice.showInstance();
        assertThat(dashboard.selectedProperty().get()).isSameAs(dashboard.tile("orders#0"));
    }

    @Test
    void switchedOffItShowsNothing() {
        notice.enabledProperty().set(false);
        enter("orders", Cause.MEMORY);
        assertThat(notice.shownProperty().get()).isFalse();
        assertThat(dashboard.events()).as("the events list is the dashboard's, on or off").hasSize(1);
    }

    @Test
    void anOpenLineIsSaidAgainAtOnceInTheLanguageSwitchedTo() {
        enter("orders", Cause.MEMORY);
        enter("billing", Cause.CONCURRENCY);
        assertThat(notice.textProperty().get()).isEqualTo("billing#0 is throttled: Messages in process · one more instance in the events list");

        i18n.use(Locale.KOREAN);
        assertThat(notice.textProperty().get()).as("before any further news")
                .isEqualTo("billing#0 제한됨: 메시지 처리 · 이벤트 목록에 다른 인스턴스 1개 더 있음");
        assertThat(notice.shownProperty().get()).isTrue();
    }

    @Test
    void aFlappingCountOnTheLineIsSaidAgainAsItWasCounted() {
        flap(12);
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 is flapping: throttled 12 times in 36 s");
        i18n.use(Locale.KOREAN);
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 상태 불안정: 36초 동안 12번 제한됨");
        i18n.use(Locale.ENGLISH);
        assertThat(notice.textProperty().get()).isEqualTo("orders#0 is flapping: throttled 12 times in 36 s");
    }
}
