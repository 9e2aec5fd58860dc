package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;

/** The selected service's details, without the JavaFX toolkit. */
class ServiceDetailsViewModelTest {
    private final FakeFleet fleet = new FakeFleet();
    private final ServiceDetailsViewModel details = new ServiceDetailsViewModel(fleet, Lifecycle.standard(),
            BackgroundExecutor.sameThread(), ZoneId.of("UTC"));
    private static final I18n ENGLISH = new I18n(Locale.ENGLISH);
    private static final I18n KOREAN = new I18n(Locale.KOREAN);

    private static long at(String time) {
        return Instant.parse("2026-12-03T" + time + "Z").toEpochMilli();
    }

    private static InstanceEpisode episode(int instance, long startMs, long endMs) {
        return new InstanceEpisode("orders", instance, new ThrottleEpisode(startMs, OptionalLong.of(endMs), Set.of(Cause.MEMORY)));
    }

    private static ServiceSnapshot onBranch(InstanceStatus... statuses) {
        List<InstanceSnapshot> instances = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            instances.add(new InstanceSnapshot("branch/orders", i, statuses[i], ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                    Optional.empty()));
        }
        ServiceSnapshot own = FakeFleet.snapshot("orders", ServiceState.ACTIVE);
        return new ServiceSnapshot(own.definition(), own.state(), own.running(), instances, own.lastOperation(), own.endpoint(),
                "branch");
    }

    @Test
    void aServiceThatArrivesWholeShowsItsInstancesAsTheyAre() {
        details.apply(List.of(new FleetEvent.ServiceAdded("branch/orders", onBranch(InstanceStatus.RUNNING, InstanceStatus.RUNNING))));
        details.show("branch/orders");
        assertThat(details.instances()).extracting(i -> i.index() + " " + i.statusProperty().get())
                .containsExactly("0 RUNNING", "1 RUNNING");

        // Reached again after it was scaled down meanwhile: the instance that went is gone.
        details.apply(List.of(new FleetEvent.ServiceAdded("branch/orders", onBranch(InstanceStatus.RESTARTING))));
        assertThat(details.instances()).extracting(i -> i.index() + " " + i.statusProperty().get()).containsExactly("0 RESTARTING");
    }

    @Test
    void episodesAreListedNewestFirstAsTheOperationLogIs() {
        fleet.states.put("orders", ServiceState.ACTIVE);
        fleet.episodes.addAll(List.of(episode(0, at("04:01:00"), at("04:01:05")), episode(1, at("04:05:00"), at("04:05:02")),
                episode(0, at("04:09:08.900"), at("04:09:11.500"))));

        details.show("orders");

        assertThat(details.episodes()).extracting(e -> e.episode().startMs())
                .containsExactly(at("04:09:08.900"), at("04:05:00"), at("04:01:00"));
    }

    @Test
    void anEpisodesDurationIsExactToTheTenthAndAgreesWithTheWholeSecondTimesShownBesideIt() {
        // Shown as 04:09:08 to 04:09:11: 2.6 s, not the "2 s" that whole seconds cut down to.
        assertThat(ServiceDetailsViewModel.episodeDuration(at("04:09:11.500") - at("04:09:08.900"), ENGLISH)).isEqualTo("2.6 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(2_600, KOREAN)).isEqualTo("2.6초");
        assertThat(ServiceDetailsViewModel.episodeDuration(0, ENGLISH)).isEqualTo("0.0 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(49, ENGLISH)).isEqualTo("0.0 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(50, ENGLISH)).isEqualTo("0.1 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(999, ENGLISH)).isEqualTo("1.0 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(3_000, ENGLISH)).isEqualTo("3.0 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(59_949, ENGLISH)).isEqualTo("59.9 s");
        // Rounding up to a whole minute carries into the minutes.
        assertThat(ServiceDetailsViewModel.episodeDuration(59_950, ENGLISH)).isEqualTo("1 min 0.0 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(61_250, ENGLISH)).isEqualTo("1 min 1.3 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(61_250, KOREAN)).isEqualTo("1분 1.3초");
        assertThat(ServiceDetailsViewModel.episodeDuration(3_723_400, ENGLISH)).isEqualTo("1 h 2 min 3.4 s");
        assertThat(ServiceDetailsViewModel.episodeDuration(3_723_400, KOREAN)).isEqualTo("1시간 2분 3.4초");
        assertThat(ServiceDetailsViewModel.episodeDuration(3_599_960, ENGLISH)).isEqualTo("1 h 0 min 0.0 s");
    }

    @Test
    void theLogCanBeFilteredByTheHostsOwnEntriesAndEveryOperationItOffersHasANameInBothLanguages() {
        assertThat(details.loggedOperations()).contains(org.sluice.lifecycle.Operation.INSTANCE_RESTART,
                org.sluice.lifecycle.Operation.INSTANCE_LEFT_DOWN);
        for (org.sluice.lifecycle.Operation operation : details.loggedOperations()) {
            assertThat(ENGLISH.operation(operation)).isNotBlank();
            assertThat(KOREAN.operation(operation)).isNotBlank();
        }
        assertThat(ENGLISH.operation(org.sluice.lifecycle.Operation.INSTANCE_RESTART)).isEqualTo("Instance restart");
        assertThat(KOREAN.operation(org.sluice.lifecycle.Operation.INSTANCE_LEFT_DOWN)).isEqualTo("인스턴스 재시작 포기");
    }

    @Test
    void aCrashIsToldWithItsInstanceItsExitAndItsCountInBothLanguages() {
        var killed = new org.sluice.lifecycle.InstanceCrash(1, 137, 2);
        var exited = new org.sluice.lifecycle.InstanceCrash(0, 1, 6);
        var notStarted = new org.sluice.lifecycle.InstanceCrash(3, -1, 4);
        assertThat(ServiceDetailsViewModel.crashText(killed, ENGLISH)).isEqualTo("Instance #1: signal 9 (exit status 137), crash 2 in a row");
        assertThat(ServiceDetailsViewModel.crashText(exited, ENGLISH)).isEqualTo("Instance #0: exit status 1, crash 6 in a row");
        assertThat(ServiceDetailsViewModel.crashText(notStarted, ENGLISH)).isEqualTo("Instance #3: could not be started, crash 4 in a row");
        assertThat(ServiceDetailsViewModel.crashText(killed, KOREAN)).isEqualTo("인스턴스 #1: 시그널 9 (종료 코드 137), 연속 2번째 비정상 종료");
        assertThat(ServiceDetailsViewModel.crashText(notStarted, KOREAN)).isEqualTo("인스턴스 #3: 시작하지 못함, 연속 4번째 비정상 종료");
    }

    @Test
    void aTryAfterAHostRestartIsToldAsOneNotAsACrashInBothLanguages() {
        var notBack = new org.sluice.lifecycle.InstanceCrash(0, -1, 2, org.sluice.lifecycle.RestartCause.HOST_RESTART);
        assertThat(ServiceDetailsViewModel.crashText(notBack, ENGLISH))
                .isEqualTo("Instance #0: could not be started, not back after the host restarted (2 failed tries)");
        assertThat(ServiceDetailsViewModel.crashText(notBack, KOREAN))
                .isEqualTo("인스턴스 #0: 시작하지 못함, 호스트가 다시 시작된 뒤 돌아오지 않음 (시도 2번 실패)");
    }

    @Test
    void aLongCauseHistoryIsToldByItsStartItsLatestStepsAndHowManyCameBetween() {
        ThrottleEpisode episode = ThrottleEpisode.opening(0, Set.of(Cause.MEMORY));
        for (int i = 1; i <= 1_000; i++) {
            episode = episode.changedAt(i * 1_000L, i % 2 == 1 ? java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY) : Set.of(Cause.MEMORY));
        }
        java.util.function.LongFunction<String> seconds = ms -> Long.toString(ms / 1000);

        String text = ServiceDetailsViewModel.causeHistoryText(episode, ENGLISH, seconds);
        assertThat(text).startsWith("0 Memory → … "
                        + (1_000 - ServiceDetailsViewModel.CAUSE_STEPS_TOLD) + " more changes … → ")
                .endsWith(" → 1000 Memory")
                .contains("999 Memory + Messages in process");
        assertThat(text.split(" → ")).hasSize(ServiceDetailsViewModel.CAUSE_STEPS_TOLD + 2);
        assertThat(ServiceDetailsViewModel.causeHistoryText(episode, KOREAN, seconds)).contains("… 변경 ");
    }

    @Test
    void anEpisodeCutShortSaysSoBesideItsLengthAndItsCausesAreToldStepByStep() {
        ThrottleEpisode episode = ThrottleEpisode.opening(at("04:09:08"), Set.of(Cause.MEMORY))
                .changedAt(at("04:09:10"), java.util.EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY))
                .changedAt(at("04:09:11"), Set.of(Cause.CONCURRENCY));
        assertThat(ServiceDetailsViewModel.episodeLength(episode, ENGLISH)).as("open").isEmpty();
        assertThat(ServiceDetailsViewModel.episodeLength(episode.endedAt(at("04:09:12")), ENGLISH)).isEqualTo("4.0 s");
        assertThat(ServiceDetailsViewModel.episodeLength(episode.cutShortAt(at("04:09:12")), ENGLISH)).isEqualTo("4.0 s, cut short");
        assertThat(ServiceDetailsViewModel.episodeLength(episode.cutShortAt(at("04:09:12")), KOREAN)).isEqualTo("4.0초, 중도 종료");

        java.util.function.LongFunction<String> clock = ms -> java.time.LocalTime.ofInstant(Instant.ofEpochMilli(ms), ZoneId.of("UTC")).toString();
        assertThat(ServiceDetailsViewModel.causeHistoryText(episode, ENGLISH, clock))
                .isEqualTo("04:09:08 Memory → 04:09:10 Memory + Messages in process → 04:09:11 Messages in process");
        assertThat(ServiceDetailsViewModel.causeHistoryText(episode, KOREAN, clock)).startsWith("04:09:08 메모리 → ");
    }

    @Test
    void anEpisodeCutShortByItsInstanceGoingDownIsListedWithoutWaitingForAnotherToEnd() {
        fleet.states.put("orders", ServiceState.ACTIVE);
        details.show("orders");
        assertThat(details.episodes()).isEmpty();

        fleet.episodes.add(new InstanceEpisode("orders", 0, ThrottleEpisode.opening(at("04:09:08"), Set.of(Cause.MEMORY)).cutShortAt(at("04:09:12"))));
        details.apply(List.of(new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RESTARTING, Optional.empty(), 1)));

        assertThat(details.episodes()).singleElement().satisfies(e -> assertThat(e.episode().cutShort()).isTrue());
    }

    @Test
    void anInstanceRowRestartingSaysWhetherAfterACrashOrAHostRestart() {
        fleet.states.put("orders", ServiceState.ACTIVE);
        details.show("orders");
        details.apply(List.of(
                new FleetEvent.InstanceStatusChanged("orders", 0, InstanceStatus.RESTARTING, Optional.empty(), 2,
                        org.sluice.lifecycle.RestartCause.HOST_RESTART),
                new FleetEvent.InstanceStatusChanged("orders", 1, InstanceStatus.RESTARTING, Optional.empty(), 2,
                        org.sluice.lifecycle.RestartCause.CRASH)));

        assertThat(details.instances()).extracting(r -> ServiceDetailsViewModel.instanceStatusText(r, ENGLISH))
                .containsExactly("Retrying after host restart (2 of 5)", "Restarting (2)");
        assertThat(ServiceDetailsViewModel.instanceStatusText(details.instances().get(0), KOREAN))
                .isEqualTo("호스트 재시작 후 재시도 중 (5번 중 2번째)");

        // Reached again whole, the snapshot keeps the cause.
        ServiceSnapshot own = FakeFleet.snapshot("orders", ServiceState.ACTIVE);
        details.apply(List.of(new FleetEvent.ServiceAdded("orders", new ServiceSnapshot(own.definition(), own.state(), own.running(),
                List.of(new InstanceSnapshot("orders", 0, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                        Optional.empty(), 3, org.sluice.lifecycle.RestartCause.HOST_RESTART)),
                own.lastOperation(), own.endpoint()))));
        assertThat(ServiceDetailsViewModel.instanceStatusText(details.instances().get(0), ENGLISH))
                .isEqualTo("Retrying after host restart (3 of 5)");
    }

    @Test
    void theInstancesOfASuspendedServiceReadSuspended() {
        details.apply(List.of(new FleetEvent.ServiceAdded("branch/orders", onBranch(InstanceStatus.RUNNING))));
        details.show("branch/orders");
        assertThat(details.instances().get(0).suspendedProperty().get()).isFalse();

        details.apply(List.of(new FleetEvent.ServiceStateChanged("branch/orders", ServiceState.SUSPENDED, Optional.empty())));
        assertThat(details.instances().get(0).suspendedProperty().get()).isTrue();
        details.apply(List.of(new FleetEvent.InstanceStatusChanged("branch/orders", 1, InstanceStatus.RUNNING, Optional.empty())));
        assertThat(details.instances()).extracting(i -> i.suspendedProperty().get()).containsExactly(true, true);

        details.apply(List.of(new FleetEvent.ServiceStateChanged("branch/orders", ServiceState.ACTIVE, Optional.empty())));
        assertThat(details.instances()).extracting(i -> i.suspendedProperty().get()).containsExactly(false, false);
    }
}
