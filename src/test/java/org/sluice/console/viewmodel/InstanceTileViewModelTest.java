package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.sluice.throttle.Thresholds;

/** Plain JUnit: the tile's view model runs without the JavaFX toolkit. */
class InstanceTileViewModelTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final I18n english = new I18n(Locale.ENGLISH);
    private final InstanceTileViewModel tile = new InstanceTileViewModel("orders", 2, 4, english, clock::get);

    private static InstanceSample sample(long timeMs, double memory, long concurrent) {
        return new InstanceSample(timeMs, memory, concurrent, 4, 0, 0, 0, 0, 1.0, 2.0);
    }

    private static ThrottleTransition throttle(long timeMs, Cause... causes) {
        return new ThrottleTransition(timeMs, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(causes), Optional.empty());
    }

    private static ThrottleTransition recover(long startMs, long endMs) {
        return new ThrottleTransition(endMs, ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of(),
                Optional.of(new ThrottleEpisode(startMs, OptionalLong.of(endMs), Set.of(Cause.MEMORY))));
    }

    @Test
    void identityAndThresholdsFollowTheCores() {
        assertThat(tile.key()).isEqualTo("orders#2");
        assertThat(tile.service()).isEqualTo("orders");
        assertThat(tile.index()).isEqualTo(2);
        assertThat(tile.concurrencyLow()).isEqualTo(160).isEqualTo(Thresholds.concurrencyLow(4));
        assertThat(tile.concurrencyHigh()).isEqualTo(400).isEqualTo(Thresholds.concurrencyHigh(4));
        assertThat(tile.memoryLowPercent()).isEqualTo(Thresholds.MEMORY_LOW_PERCENT);
        assertThat(tile.memoryHighPercent()).isEqualTo(Thresholds.MEMORY_HIGH_PERCENT);

        InstanceTileViewModel single = new InstanceTileViewModel("orders", 0, 1, english, clock::get);
        assertThat(single.concurrencyLow()).isEqualTo(40);
        assertThat(single.concurrencyHigh()).isEqualTo(100);
    }

    @Test
    void historyHoldsFifteenMinutesOfSamplesAndWraps() {
        for (int i = 0; i < InstanceTileViewModel.HISTORY_CAPACITY + 10; i++) {
            tile.addSample(sample(i * 200L, i % 100, i));
        }

        SampleHistory samples = tile.samples();
        assertThat(samples.size()).isEqualTo(InstanceTileViewModel.HISTORY_CAPACITY);
        assertThat(samples.timeAt(samples.size() - 1) - samples.timeAt(0)).isGreaterThanOrEqualTo(15 * 60 * 1000 - 200);
        assertThat(samples.timeAt(0)).isEqualTo(10 * 200L);
        assertThat(samples.concurrentAt(0)).isEqualTo(10);
    }

    @Test
    void startsNormalWithoutPeriods() {
        assertThat(tile.getState()).isEqualTo(ThrottleState.NORMAL);
        assertThat(tile.getCauses()).isEmpty();
        assertThat(tile.isMarked()).isFalse();
        assertThat(tile.isFlashing()).isFalse();
        assertThat(tile.getThrottledSinceMs()).isEmpty();
        assertThat(tile.throttledPeriodCount()).isZero();
        assertThat(tile.getBadgeText()).isEqualTo("Normal");
    }

    @Test
    void aThrottledPeriodOpensAndCloses() {
        tile.applyThrottle(throttle(5_000, Cause.MEMORY));

        assertThat(tile.throttledPeriodCount()).isEqualTo(1);
        assertThat(tile.throttledPeriodStartMs(0)).isEqualTo(5_000);
        assertThat(tile.throttledPeriodEndMs(0)).isEqualTo(InstanceTileViewModel.OPEN);
        assertThat(tile.getThrottledSinceMs()).hasValue(5_000);
        assertThat(tile.getState()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(tile.getCauses()).containsExactly(Cause.MEMORY);

        tile.applyThrottle(new ThrottleTransition(6_000, ThrottleState.THROTTLED, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY, Cause.CONCURRENCY), Optional.empty()));
        assertThat(tile.throttledPeriodCount()).as("a change of causes is the same period").isEqualTo(1);

        tile.applyThrottle(recover(5_000, 9_000));
        assertThat(tile.throttledPeriodEndMs(0)).isEqualTo(9_000);
        assertThat(tile.getThrottledSinceMs()).isEmpty();
        assertThat(tile.getState()).isEqualTo(ThrottleState.NORMAL);

        tile.applyThrottle(throttle(12_000, Cause.CONCURRENCY));
        assertThat(tile.throttledPeriodCount()).isEqualTo(2);
        assertThat(tile.throttledPeriodStartMs(1)).isEqualTo(12_000);
        assertThat(tile.throttledPeriodEndMs(1)).isEqualTo(InstanceTileViewModel.OPEN);
    }

    @Test
    void keepsOnlyTheNewestPeriods() {
        for (int i = 0; i < InstanceTileViewModel.PERIOD_CAPACITY + 3; i++) {
            tile.applyThrottle(throttle(i * 1000L, Cause.MEMORY));
            tile.applyThrottle(recover(i * 1000L, i * 1000L + 500));
        }

        assertThat(tile.throttledPeriodCount()).isEqualTo(InstanceTileViewModel.PERIOD_CAPACITY);
        assertThat(tile.throttledPeriodStartMs(0)).isEqualTo(3000);
        assertThat(tile.throttledPeriodEndMs(0)).isEqualTo(3500);
    }

    @Test
    void flashesForTheFlashTimeOfTheClockThenStaysMarked() {
        clock.set(50_000);
        tile.applyThrottle(throttle(49_900, Cause.MEMORY));

        assertThat(tile.isFlashing()).isTrue();
        assertThat(tile.isMarked()).isTrue();
        assertThat(tile.getFlashStartedMs()).isEqualTo(50_000);

        tile.tick(50_000 + InstanceTileViewModel.FLASH_MILLIS - 1);
        assertThat(tile.isFlashing()).isTrue();

        tile.tick(50_000 + InstanceTileViewModel.FLASH_MILLIS);
        assertThat(tile.isFlashing()).isFalse();
        assertThat(tile.isMarked()).isTrue();

        tile.applyThrottle(recover(49_900, 60_000));
        assertThat(tile.isMarked()).isFalse();
        assertThat(tile.isFlashing()).isFalse();
    }

    @Test
    void returningToNormalEndsAFlashAtOnce() {
        tile.applyThrottle(throttle(1_000, Cause.MEMORY));
        tile.applyThrottle(recover(1_000, 1_200));

        assertThat(tile.isFlashing()).isFalse();
        assertThat(tile.isMarked()).isFalse();
    }

    @Test
    void anInstanceAlreadyThrottledIsMarkedWithoutFlashing() {
        tile.applyThrottle(new ThrottleTransition(900_000, ThrottleState.THROTTLED, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY), Optional.empty()));

        assertThat(tile.isMarked()).isTrue();
        assertThat(tile.isFlashing()).isFalse();
        assertThat(tile.throttledPeriodCount()).isEqualTo(1);
        assertThat(tile.getThrottledSinceMs()).hasValue(900_000);
    }

    @Test
    void revisionGoesUpWhenSomethingDrawnChanges() {
        long start = tile.getRevision();
        tile.addSample(sample(1_000, 40, 3));
        long afterSample = tile.getRevision();
        assertThat(afterSample).isGreaterThan(start);

        tile.addSample(sample(500, 40, 3));
        assertThat(tile.getRevision()).as("an out-of-order sample draws nothing").isEqualTo(afterSample);

        tile.tick(clock.get() + 10);
        assertThat(tile.getRevision()).as("time alone changes nothing drawn").isEqualTo(afterSample);

        tile.applyThrottle(throttle(1_000, Cause.MEMORY));
        long afterThrottle = tile.getRevision();
        assertThat(afterThrottle).isGreaterThan(afterSample);

        tile.tick(clock.get() + InstanceTileViewModel.FLASH_MILLIS);
        long afterFlash = tile.getRevision();
        assertThat(tile.isFlashing()).isFalse();
        assertThat(afterFlash).as("the flash's end: nothing the charts draw").isEqualTo(afterThrottle);

        tile.tick(clock.get() + InstanceTileViewModel.FLASH_MILLIS + 16);
        assertThat(tile.getRevision()).isEqualTo(afterFlash);

        tile.applyThrottle(recover(1_000, 2_000));
        assertThat(tile.getRevision()).isGreaterThan(afterFlash);
    }

    @Test
    void theBadgeNamesStateCausesAndRunningTime() {
        clock.set(100_000);
        tile.applyThrottle(throttle(100_000, Cause.MEMORY));
        assertThat(tile.getBadgeText()).isEqualTo("Throttled · Memory · 0 s");
        assertThat(tile.stateTextProperty().get()).isEqualTo("Throttled");
        assertThat(tile.causesTextProperty().get()).isEqualTo("Memory");

        tile.tick(112_400);
        assertThat(tile.durationTextProperty().get()).isEqualTo("12 s");

        tile.applyThrottle(new ThrottleTransition(150_000, ThrottleState.THROTTLED, ThrottleState.THROTTLED,
                Set.of(Cause.CONCURRENCY, Cause.MEMORY), Optional.empty()));
        tile.tick(100_000 + 184_000);
        assertThat(tile.getBadgeText()).isEqualTo("Throttled · Memory + Messages in process · 3 min 04 s");

        tile.applyThrottle(recover(100_000, 290_000));
        assertThat(tile.getBadgeText()).isEqualTo("Normal");
        assertThat(tile.causesTextProperty().get()).isEmpty();
        assertThat(tile.durationTextProperty().get()).isEmpty();
    }

    @Test
    void durationsReadNaturallyInBothLanguages() {
        I18n korean = new I18n(Locale.KOREAN);
        assertThat(InstanceTileViewModel.formatDuration(12_900, english)).isEqualTo("12 s");
        assertThat(InstanceTileViewModel.formatDuration(184_000, english)).isEqualTo("3 min 04 s");
        assertThat(InstanceTileViewModel.formatDuration(7_500_000, english)).isEqualTo("2 h 05 min");
        assertThat(InstanceTileViewModel.formatDuration(-5, english)).isEqualTo("0 s");
        assertThat(InstanceTileViewModel.formatDuration(184_000, korean)).isEqualTo("3분 04초");

        InstanceTileViewModel koreanTile = new InstanceTileViewModel("orders", 0, 1, korean, clock::get);
        koreanTile.applyThrottle(throttle(clock.get(), Cause.CONCURRENCY));
        assertThat(koreanTile.getBadgeText()).isEqualTo("제한됨 · 메시지 처리 · 0초");
    }

    /** The instance enters Throttled at {@code time} and leaves it 1.5 s later, as the clock says. */
    private void flap(long time) {
        clock.set(time);
        tile.applyThrottle(throttle(time, Cause.CONCURRENCY));
        clock.set(time + 1_500);
        tile.applyThrottle(recover(time, time + 1_500));
    }

    @Test
    void anInstanceThrottledAndNormalEveryFewSecondsIsFlappingStopsFlashingAndSaysHowOften() {
        long start = clock.get();
        flap(start);
        assertThat(tile.isFlapping()).as("one episode is no flapping").isFalse();
        flap(start + 3_300);
        assertThat(tile.isFlapping()).as("two episodes are still news").isFalse();
        flap(start + 6_600);
        assertThat(tile.isFlapping()).as("three trips into Throttled and out within a minute").isTrue();

        for (int i = 3; i < 12; i++) {
            long time = start + i * 3_300L;
            clock.set(time);
            tile.applyThrottle(throttle(time, Cause.CONCURRENCY));
            assertThat(tile.isFlashing()).as("no flash for entry %d while flapping", i + 1).isFalse();
            assertThat(tile.isMarked()).as("its throttled period is still drawn").isTrue();
            clock.set(time + 1_500);
            tile.applyThrottle(recover(time, time + 1_500));
        }
        // Twelve entries, the last 36.3 s after the first: the count says so, as the notification does.
        assertThat(tile.getBadgeText()).isEqualTo("Flapping · throttled 12 times in 36 s");
        assertThat(tile.throttledPeriodCount()).isEqualTo(12);
    }

    @Test
    void flappingEndsOnceTheInstanceKeepsOneStateForAWhileAndTheNextEntryFlashesAgain() {
        long start = clock.get();
        for (int i = 0; i < 4; i++) {
            flap(start + i * 3_000L);
        }
        assertThat(tile.isFlapping()).isTrue();
        long last = clock.get();

        tile.tick(last + FlapDetector.SETTLE_MILLIS - 1);
        assertThat(tile.isFlapping()).as("not settled yet").isTrue();
        tile.tick(last + FlapDetector.SETTLE_MILLIS);
        assertThat(tile.isFlapping()).as("normal for half a minute").isFalse();
        assertThat(tile.getBadgeText()).isEqualTo("Normal");

        long later = last + FlapDetector.SETTLE_MILLIS + 5_000;
        clock.set(later);
        tile.applyThrottle(throttle(later, Cause.MEMORY));
        assertThat(tile.isFlashing()).as("a new episode after settling is news again").isTrue();
        assertThat(tile.isFlapping()).isFalse();
    }

    @Test
    void sixChangesSpreadOverMoreThanAMinuteAreNoFlapping() {
        long start = clock.get();
        for (int i = 0; i < 3; i++) {
            long time = start + i * 25_000L;
            clock.set(time);
            tile.applyThrottle(throttle(time, Cause.MEMORY));
            clock.set(time + 5_000);
            tile.applyThrottle(recover(time, time + 5_000));
        }
        assertThat(tile.isFlapping()).as("six changes over 55 s").isTrue();
        InstanceTileViewModel slower = new InstanceTileViewModel("orders", 3, 4, english, clock::get);
        for (int i = 0; i < 3; i++) {
            long time = start + i * 30_000L;
            clock.set(time);
            slower.applyThrottle(throttle(time, Cause.MEMORY));
            clock.set(time + 5_000);
            slower.applyThrottle(recover(time, time + 5_000));
        }
        assertThat(slower.isFlapping()).as("six changes over 65 s").isFalse();
    }

    @Test
    void anHourIsKeptInTwoSecondStepsThatKeepTheirPeaksBesideFifteenMinutesOfEverySample() {
        long start = 0;
        long end = 40 * 60_000L;
        for (long t = start; t < end; t += 200) {
            // One short spike to 95 % five minutes in, otherwise a steady 50 %.
            tile.addSample(sample(t, t == 5 * 60_000L + 400 ? 95 : 50, 10));
        }

        SampleHistory hour = tile.samplesFor(60 * 60_000L);
        assertThat(hour.timeAt(0)).as("the whole 40 minutes").isEqualTo(start);
        assertThat(hour.size()).isEqualTo(40 * 30);
        int spike = hour.firstAtOrAfter(5 * 60_000L);
        assertThat(hour.timeAt(spike)).isEqualTo(5 * 60_000L);
        assertThat(hour.memoryAt(spike)).as("the spike's two seconds keep its peak").isEqualTo(95);
        assertThat(hour.memoryAt(spike + 1)).isEqualTo(50);

        SampleHistory quarter = tile.samplesFor(15 * 60_000L);
        assertThat(quarter).isSameAs(tile.samples());
        assertThat(quarter.timeAt(0)).isEqualTo(end - 15 * 60_000L);

        for (long t = end; t < end + 30 * 60_000L; t += 200) {
            tile.addSample(sample(t, 50, 10));
        }
        assertThat(hour.size()).as("bounded to an hour").isEqualTo(InstanceTileViewModel.LONG_HISTORY_CAPACITY);
    }

    @Test
    void theReadoutSaysItsTimeAsTheListsDoAndInTheLanguageSwitchedTo() {
        long at = 1_700_063_580_000L; // 15:53:00 UTC
        clock.set(at);
        tile.addSample(sample(at, 50, 10));
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        assertThat(tile.readoutAt(at, 60_000, utc).orElseThrow().lines().findFirst().orElseThrow())
                .isEqualTo(java.time.format.DateTimeFormatter.ofLocalizedTime(java.time.format.FormatStyle.MEDIUM)
                        .withLocale(Locale.ENGLISH).format(java.time.LocalTime.of(15, 53)));
        english.use(Locale.KOREAN);
        assertThat(tile.readoutAt(at, 60_000, utc).orElseThrow().lines().findFirst().orElseThrow()).isEqualTo("오후 3:53:00");
    }
}
