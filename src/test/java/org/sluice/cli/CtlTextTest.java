package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.api.ApiJson;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleEpisode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

class CtlTextTest {

    @Test
    void anEpisodeWhoseCausesChangedOftenShowsItsStartItsLatestChangesAndHowManyCameBetween() {
        ThrottleEpisode episode = ThrottleEpisode.opening(1_700_000_000_000L, Set.of(Cause.MEMORY));
        for (int i = 1; i <= 1_000; i++) {
            episode = episode.changedAt(1_700_000_000_000L + i * 1_000L,
                    i % 2 == 1 ? EnumSet.of(Cause.MEMORY, Cause.CONCURRENCY) : Set.of(Cause.MEMORY));
        }
        ArrayNode episodes = JsonNodeFactory.instance.arrayNode();
        episodes.add(ApiJson.episode(new InstanceEpisode("orders", 0, episode.endedAt(1_700_001_000_500L))));

        StringWriter out = new StringWriter();
        CtlText.episodes(episodes, new PrintWriter(out, true));

        assertThat(out.toString()).contains("Memory, … " + (1_000 - 5) + " more changes …, +996.0 s Memory, ")
                .contains("+1000.0 s Memory\n");
    }
}
