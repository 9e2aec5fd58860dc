package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.api.ApiJson;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
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

    @Test
    void aTryAfterAHostRestartIsShownAsOneAndACrashAsACrash() {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        records.add(ApiJson.operation(hostsOwn("r-1", Operation.INSTANCE_RESTART, new InstanceCrash(0, -1, 2, RestartCause.HOST_RESTART))));
        records.add(ApiJson.operation(hostsOwn("r-2", Operation.INSTANCE_RESTART, new InstanceCrash(1, 137, 3, RestartCause.CRASH))));

        StringWriter out = new StringWriter();
        CtlText.operations(records, new PrintWriter(out, true));

        assertThat(out.toString()).contains("instance 0: could not be started, not back after the host restarted (2 failed tries)")
                .contains("instance 1: signal 9 (exit status 137), crash 3 in a row")
                .doesNotContain("crash 2 in a row");
    }

    private static OperationRecord hostsOwn(String id, Operation operation, InstanceCrash crash) {
        return new OperationRecord(id, "orders", operation, OperationRecord.HOST, 1_700_000_000_000L, OptionalLong.of(1_700_000_001_000L),
                Outcome.FAILED, Optional.of("did not start"), Optional.of(crash));
    }
}
