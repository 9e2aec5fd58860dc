package org.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThrottleGovernorTest {
    /** A clock the test moves by hand. */
    private long nowMs;
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMs);
    private final ThrottleGovernor governor = new ThrottleGovernor(clock);

    private Optional<ThrottleTransition> feed(long timeMs, double memory, long concurrent, int cores) {
        nowMs = timeMs;
        return governor.accept(new Sample(timeMs, memory, concurrent, cores));
    }

    private Optional<ThrottleTransition> memory(long timeMs, double percent) {
        return feed(timeMs, percent, 0, 1);
    }

    @Test
    void startsNormalWithNoCauses() {
        assertThat(governor.state()).isEqualTo(ThrottleState.NORMAL);
        assertThat(governor.causes()).isEmpty();
        assertThat(governor.currentEpisode()).isEmpty();
        assertThat(governor.totalThrottledMs()).isZero();
    }

    @Test
    void memoryJustUnderTheHighThresholdDoesNotThrottle() {
        assertThat(memory(0, 69.999)).isEmpty();
        assertThat(memory(1, 65)).isEmpty();
        assertThat(governor.state()).isEqualTo(ThrottleState.NORMAL);
    }

    @Test
    void memoryExactlyAtTheHighThresholdThrottles() {
        ThrottleTransition change = memory(100, 70.0).orElseThrow();
        assertThat(change.timeMs()).isEqualTo(100);
        assertThat(change.previous()).isEqualTo(ThrottleState.NORMAL);
        assertThat(change.state()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(change.causes()).containsExactly(Cause.MEMORY);
        assertThat(change.entersThrottled()).isTrue();
        assertThat(change.endedEpisode()).isEmpty();
    }

    @Test
    void memoryThrottlingHoldsAboveTheLowThresholdAndEndsExactlyAtIt() {
        memory(0, 70);
        assertThat(memory(1, 65)).as("65 % after 70 %: still throttled").isEmpty();
        assertThat(memory(2, 60.001)).as("just over the low threshold").isEmpty();
        assertThat(governor.state()).isEqualTo(ThrottleState.THROTTLED);

        ThrottleTransition change = memory(3, 60.0).orElseThrow();
        assertThat(change.state()).isEqualTo(ThrottleState.NORMAL);
        assertThat(change.causes()).isEmpty();
        assertThat(change.entersThrottled()).isFalse();
        assertThat(governor.state()).isEqualTo(ThrottleState.NORMAL);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void concurrencyThrottlesAtOneHundredPerCoreAndEndsAtFortyPerCore(int cores) {
        long high = 100L * cores;
        long low = 40L * cores;
        assertThat(feed(0, 0, high - 1, cores)).as("just under %d", high).isEmpty();

        ThrottleTransition on = feed(1, 0, high, cores).orElseThrow();
        assertThat(on.state()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(on.causes()).containsExactly(Cause.CONCURRENCY);

        assertThat(feed(2, 0, high - 1, cores)).isEmpty();
        assertThat(feed(3, 0, low + 1, cores)).as("just over %d", low).isEmpty();
        assertThat(governor.state()).isEqualTo(ThrottleState.THROTTLED);

        ThrottleTransition off = feed(4, 0, low, cores).orElseThrow();
        assertThat(off.state()).isEqualTo(ThrottleState.NORMAL);
    }

    @Test
    void theSameLoadThrottlesAOneCoreInstanceButNotAnEightCoreOne() {
        assertThat(feed(0, 0, 150, 1)).isPresent();
        ThrottleGovernor eightCores = new ThrottleGovernor(clock);
        assertThat(eightCores.accept(new Sample(0, 0, 150, 8))).isEmpty();
    }

    @Test
    void overlappingCausesAreEachReportedAndTheInstanceStaysThrottledWhileAnyHolds() {
        assertThat(memory(0, 75).orElseThrow().causes()).containsExactly(Cause.MEMORY);

        ThrottleTransition both = feed(10, 75, 100, 1).orElseThrow();
        assertThat(both.state()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(both.previous()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(both.causes()).containsExactly(Cause.MEMORY, Cause.CONCURRENCY);
        assertThat(both.entersThrottled()).as("already throttled: no new entry").isFalse();

        ThrottleTransition concurrencyOnly = feed(20, 50, 90, 1).orElseThrow();
        assertThat(concurrencyOnly.state()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(concurrencyOnly.causes()).containsExactly(Cause.CONCURRENCY);

        ThrottleTransition normal = feed(30, 50, 40, 1).orElseThrow();
        assertThat(normal.state()).isEqualTo(ThrottleState.NORMAL);
        ThrottleEpisode episode = normal.endedEpisode().orElseThrow();
        assertThat(episode.startMs()).isZero();
        assertThat(episode.endMs()).isEqualTo(OptionalLong.of(30));
        assertThat(episode.durationMs()).isEqualTo(OptionalLong.of(30));
        assertThat(episode.causes()).as("every cause seen during the episode").containsExactly(Cause.MEMORY, Cause.CONCURRENCY);
    }

    @Test
    void bothCausesAtOnceAreOneTransition() {
        ThrottleTransition change = feed(0, 80, 500, 2).orElseThrow();
        assertThat(change.causes()).containsExactly(Cause.MEMORY, Cause.CONCURRENCY);
        assertThat(feed(1, 50, 10, 2).orElseThrow().state()).isEqualTo(ThrottleState.NORMAL);
    }

    @Test
    void tracksTheRunningEpisodeAndTheTotalThrottledTimeByTheClock() {
        memory(1_000, 72);
        nowMs = 1_250;
        assertThat(governor.currentEpisode()).hasValueSatisfying(e -> {
            assertThat(e.isOpen()).isTrue();
            assertThat(e.startMs()).isEqualTo(1_000);
            assertThat(e.causes()).containsExactly(Cause.MEMORY);
        });
        assertThat(governor.currentEpisodeMs()).isEqualTo(250);
        assertThat(governor.totalThrottledMs()).isEqualTo(250);

        memory(1_400, 55);
        assertThat(governor.currentEpisodeMs()).isZero();
        assertThat(governor.totalThrottledMs()).isEqualTo(400);

        memory(2_000, 71);
        nowMs = 2_100;
        assertThat(governor.totalThrottledMs()).as("closed 400 + running 100").isEqualTo(500);
    }

    @Test
    void aNewEpisodeStartsWithOnlyItsOwnCauses() {
        feed(0, 80, 200, 1);
        feed(1, 10, 0, 1);
        ThrottleTransition second = feed(2, 10, 100, 1).orElseThrow();
        assertThat(second.entersThrottled()).isTrue();
        assertThat(governor.currentEpisode().orElseThrow().causes()).containsExactly(Cause.CONCURRENCY);
    }

    @Test
    void aSampleOlderThanThePreviousOneIsRefusedAndChangesNothing() {
        memory(500, 71);
        assertThatThrownBy(() -> memory(499, 10))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("before the previous sample")
                .satisfies(e -> assertThat(((InvalidSampleException) e).problem())
                        .isEqualTo(InvalidSampleException.Problem.TIME_BACKWARDS));
        assertThat(governor.state()).isEqualTo(ThrottleState.THROTTLED);
        assertThat(governor.lastSample().orElseThrow().timeMs()).isEqualTo(500);
    }

    @Test
    void aSampleAtTheSameTimeAsThePreviousOneIsAccepted() {
        memory(500, 71);
        assertThat(memory(500, 50)).isPresent();
    }

    @Test
    void invalidSamplesAreRefusedWithAClearReason() {
        assertThatThrownBy(() -> new Sample(-1, 10, 0, 1)).hasMessage("time -1 ms is negative");
        assertThatThrownBy(() -> new Sample(0, 100.5, 0, 1)).hasMessage("memory 100.5 % is over 100 %");
        assertThatThrownBy(() -> new Sample(0, -0.5, 0, 1)).hasMessage("memory -0.5 % is negative");
        assertThatThrownBy(() -> new Sample(0, Double.NaN, 0, 1)).hasMessage("memory NaN is not a number");
        assertThatThrownBy(() -> new Sample(0, 10, -3, 1)).hasMessage("messages in process -3 is negative");
        assertThatThrownBy(() -> new Sample(0, 10, 0, 0)).hasMessage("cores 0 is below 1");
        assertThat(new Sample(0, 100, 0, 1).memoryPercent()).isEqualTo(100);
    }

    @Test
    void episodesAndTransitionsCheckTheirOwnConsistency() {
        assertThatThrownBy(() -> new ThrottleEpisode(10, OptionalLong.of(5), Set.of(Cause.MEMORY)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThrottleTransition(0, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEpisodeKeepsEachChangeOfItsCausesWithItsTime() {
        feed(1_000, 75, 0, 1);
        feed(2_000, 75, 150, 1);
        feed(3_000, 50, 150, 1);
        assertThat(governor.currentEpisode().orElseThrow().history()).containsExactly(
                new CauseChange(1_000, Set.of(Cause.MEMORY)),
                new CauseChange(2_000, Set.of(Cause.MEMORY, Cause.CONCURRENCY)),
                new CauseChange(3_000, Set.of(Cause.CONCURRENCY)));

        ThrottleEpisode ended = feed(4_000, 50, 10, 1).orElseThrow().endedEpisode().orElseThrow();

        assertThat(ended.history()).extracting(CauseChange::atMs).containsExactly(1_000L, 2_000L, 3_000L);
        assertThat(ended.causes()).containsExactlyInAnyOrder(Cause.MEMORY, Cause.CONCURRENCY);
        assertThat(ended.cutShort()).as("it ended by becoming Normal").isFalse();

        // The next episode starts its own history.
        feed(5_000, 10, 150, 1);
        assertThat(governor.currentEpisode().orElseThrow().history()).containsExactly(new CauseChange(5_000, Set.of(Cause.CONCURRENCY)));
    }
}
