package org.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ThrottleGovernorPropertyTest {

    record Reading(double memory, long concurrent) {
    }

    @Provide
    Arbitrary<List<Reading>> readings() {
        return Combinators.combine(
                        Arbitraries.doubles().between(50, 80).ofScale(1),
                        Arbitraries.longs().between(0, 250))
                .as(Reading::new).list().ofMaxSize(80);
    }

    /**
     * Whatever the samples, the governor agrees with the rule stated plainly: a criterion throttles
     * from the sample that reaches its high threshold until the sample that reaches its low one,
     * and the episodes it closes add up to the time it reported as throttled.
     */
    @Property(tries = 300)
    void agreesWithTheHysteresisRuleAndAccountsForEveryThrottledMillisecond(
            @ForAll("readings") List<Reading> readings) {
        int cores = 2;
        long[] now = {0};
        ThrottleGovernor governor = new ThrottleGovernor(() -> Instant.ofEpochMilli(now[0]));
        boolean memoryOn = false;
        boolean concurrencyOn = false;
        long closedEpisodesMs = 0;
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            now[0] = i * 250L;
            memoryOn = memoryOn ? r.memory() > 60 : r.memory() >= 70;
            concurrencyOn = concurrencyOn ? r.concurrent() > 80 : r.concurrent() >= 200;

            var change = governor.accept(new Sample(now[0], r.memory(), r.concurrent(), cores));
            if (change.isPresent() && change.get().endedEpisode().isPresent()) {
                closedEpisodesMs += change.get().endedEpisode().get().durationMs().getAsLong();
            }
            assertThat(governor.causes().contains(Cause.MEMORY)).isEqualTo(memoryOn);
            assertThat(governor.causes().contains(Cause.CONCURRENCY)).isEqualTo(concurrencyOn);
            assertThat(governor.state() == ThrottleState.THROTTLED).isEqualTo(memoryOn || concurrencyOn);
        }
        assertThat(governor.totalThrottledMs()).isEqualTo(closedEpisodesMs + governor.currentEpisodeMs());
    }
}
