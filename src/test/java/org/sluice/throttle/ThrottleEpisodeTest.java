package org.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ThrottleEpisodeTest {
    private static final Set<Cause> MEMORY = EnumSet.of(Cause.MEMORY);
    private static final Set<Cause> BOTH = EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY);

    /** An episode of memory whose concurrency comes and goes {@code changes} times, a second apart. */
    private static ThrottleEpisode flickering(int changes) {
        ThrottleEpisode episode = ThrottleEpisode.opening(0, MEMORY);
        for (int i = 1; i <= changes; i++) {
            episode = episode.changedAt(i * 1000L, i % 2 == 1 ? BOTH : MEMORY);
        }
        return episode;
    }

    @Test
    void aShortHistoryKeepsEveryStep() {
        ThrottleEpisode episode = flickering(3);

        assertThat(episode.history()).extracting(CauseChange::atMs).containsExactly(0L, 1000L, 2000L, 3000L);
        assertThat(episode.omittedSteps()).isZero();
    }

    @Test
    void aLongHistoryKeepsItsStartAndItsLatestStepsAndCountsWhatItLeftOut() {
        int changes = 10_000;
        ThrottleEpisode episode = flickering(changes);

        assertThat(episode.history()).hasSize(ThrottleEpisode.MAX_HISTORY_STEPS);
        assertThat(episode.history().get(0)).isEqualTo(new CauseChange(0, MEMORY));
        CauseChange last = episode.history().get(episode.history().size() - 1);
        assertThat(last.atMs()).isEqualTo(changes * 1000L);
        assertThat(last.causes()).isEqualTo(MEMORY);
        assertThat(episode.latestCauses()).isEqualTo(MEMORY);
        assertThat(episode.omittedSteps()).isEqualTo(changes + 1 - ThrottleEpisode.MAX_HISTORY_STEPS);
        assertThat(episode.causes()).isEqualTo(BOTH);
        // The steps kept after the gap are the latest ones, one a second.
        assertThat(episode.history().get(1).atMs())
                .isEqualTo((changes - ThrottleEpisode.MAX_HISTORY_STEPS + 2) * 1000L);
    }

    @Test
    void anOutlineTellsEveryStepOfAShortHistory() {
        ThrottleEpisode.Outline outline = flickering(3).outline(5);

        assertThat(outline.first()).isEqualTo(new CauseChange(0, MEMORY));
        assertThat(outline.untold()).isZero();
        assertThat(outline.latest()).extracting(CauseChange::atMs).containsExactly(1000L, 2000L, 3000L);
    }

    @Test
    void anOutlineOfALongHistoryTellsItsStartItsLatestStepsAndHowManyItLeavesUntold() {
        ThrottleEpisode episode = flickering(1_000);
        ThrottleEpisode.Outline outline = episode.outline(5);

        assertThat(outline.first()).isEqualTo(new CauseChange(0, MEMORY));
        assertThat(outline.latest()).extracting(CauseChange::atMs).containsExactly(996_000L, 997_000L, 998_000L, 999_000L, 1_000_000L);
        assertThat(outline.untold()).as("the steps the episode did not keep and those it kept but the outline leaves out")
                .isEqualTo(1_000 - 5);
    }

    @Test
    void anEpisodeWithOmittedStepsEndsAndIsCutShortWithTheCountKept() {
        ThrottleEpisode episode = flickering(1_000);

        assertThat(episode.endedAt(2_000_000).omittedSteps()).isEqualTo(episode.omittedSteps());
        assertThat(episode.cutShortAt(2_000_000).omittedSteps()).isEqualTo(episode.omittedSteps());
    }

    @Test
    void stepsCannotBeSaidToBeOmittedFromAHistoryWithNoGapToLeaveThemIn() {
        assertThatThrownBy(() -> new ThrottleEpisode(0, OptionalLong.empty(), MEMORY,
                List.of(new CauseChange(0, MEMORY)), false, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNegativeOmittedCountIsRefused() {
        assertThatThrownBy(() -> new ThrottleEpisode(0, OptionalLong.empty(), MEMORY,
                List.of(new CauseChange(0, MEMORY)), false, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
