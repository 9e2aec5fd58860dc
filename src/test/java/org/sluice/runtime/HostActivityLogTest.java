package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** What a headless host says in its log: one line for each thing an operator follows. */
class HostActivityLogTest {
    private final HostActivityLog log = new HostActivityLog();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HostActivityLog.class);

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    private static InstanceView instance(int index, ThrottleState throttle, Set<Cause> causes) {
        return new InstanceView(index, InstanceStatus.RUNNING, throttle, causes, OptionalLong.empty(), Optional.empty(), 0);
    }

    private ILoggingEvent only() {
        assertThat(lines.list).hasSize(1);
        return lines.list.get(0);
    }

    private static String value(ILoggingEvent event, String key) {
        return event.getKeyValuePairs().stream().filter(p -> p.key.equals(key)).map(p -> String.valueOf(p.value))
                .findFirst().orElse(null);
    }

    @Test
    void aThrottleTransitionIsOneLineNamingTheInstanceAndItsCauses() {
        log.instanceEvent("orders", instance(1, ThrottleState.THROTTLED, Set.of(Cause.MEMORY)), new InstanceEvent.Throttle(
                new ThrottleTransition(1_000, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));

        ILoggingEvent line = only();
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getFormattedMessage()).isEqualTo("orders instance 1 is throttled by memory: it refuses messages as busy until it recovers");
        assertThat(value(line, "event")).isEqualTo("throttle");
        assertThat(value(line, "service")).isEqualTo("orders");
        assertThat(value(line, "role_instance")).isEqualTo("1");
        assertThat(value(line, "state")).isEqualTo("throttled");
        assertThat(value(line, "causes")).isEqualTo("memory");
    }

    @Test
    void aRecoveryAndTheEpisodeItEndedAreOneLineEach() {
        InstanceView normal = instance(0, ThrottleState.NORMAL, Set.of());
        ThrottleEpisode episode = new ThrottleEpisode(1_000, OptionalLong.of(13_500), Set.of(Cause.MEMORY, Cause.CONCURRENCY));
        log.instanceEvent("orders", normal, new InstanceEvent.Throttle(new ThrottleTransition(13_500, ThrottleState.THROTTLED,
                ThrottleState.NORMAL, Set.of(), Optional.of(episode))));
        log.instanceEvent("orders", normal, new InstanceEvent.EpisodeEnded(episode));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "orders instance 0 recovered and takes messages again",
                "orders instance 0 was throttled for 12.5 s by memory and messages in process");
        assertThat(value(lines.list.get(1), "durationMs")).isEqualTo("12500");
        assertThat(value(lines.list.get(1), "event")).isEqualTo("episode");
    }

    @Test
    void operationsAreLoggedWhenAcceptedAndWhenTheyEndWithWhoAskedAndHowTheyEnded() {
        log.operationProgress(new OperationRecord("r-1", "orders", Operation.STOP, "owner", 1_000, OptionalLong.empty(),
                Outcome.RUNNING, Optional.empty()));
        log.operationProgress(new OperationRecord("r-1", "orders", Operation.STOP, "owner", 1_000, OptionalLong.of(2_500),
                Outcome.SUCCEEDED, Optional.empty()));
        log.operationProgress(new OperationRecord("r-2", "orders", Operation.START, "console", 3_000, OptionalLong.of(3_200),
                Outcome.FAILED, Optional.of("instance 0 did not start")));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Stop of orders accepted from owner (request r-1)",
                "Stop of orders succeeded in 1.5 s (request r-1, from owner)",
                "Start of orders failed after 0.2 s: instance 0 did not start (request r-2, from console)");
        assertThat(lines.list.get(2).getLevel()).isEqualTo(Level.WARN);
        assertThat(value(lines.list.get(2), "outcome")).isEqualTo("failed");
        assertThat(value(lines.list.get(2), "operation")).isEqualTo("Start");
        assertThat(value(lines.list.get(2), "request")).isEqualTo("r-2");
    }

    @Test
    void aRestartAndGivingUpAreOneLineEach() {
        InstanceView down = new InstanceView(2, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                Optional.empty(), 2);
        log.instanceEvent("orders", down, new InstanceEvent.Restarting(2, 1_500));
        log.instanceEvent("orders", down, new InstanceEvent.GaveUp(5));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "orders instance 2 exited on its own; the host starts it again in 1.5 s (crash 2 in a row)",
                "orders instance 2 crashed 5 times in a row; the host leaves it down until the service is started again");
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.ERROR);
        assertThat(value(lines.list.get(0), "event")).isEqualTo("restart");
    }

    @Test
    void aTryAfterAHostRestartAndGivingUpSayTheHostRestartedNotThatTheInstanceCrashed() {
        InstanceView down = new InstanceView(0, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(), OptionalLong.empty(),
                Optional.empty(), 2, RestartCause.HOST_RESTART);
        log.instanceEvent("orders", down, new InstanceEvent.Restarting(2, 1_500, RestartCause.HOST_RESTART));
        log.instanceEvent("orders", down, new InstanceEvent.GaveUp(6, RestartCause.HOST_RESTART));
        log.instanceEvent("orders", down, new InstanceEvent.Restarting(1, 500, RestartCause.CRASH));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "orders instance 0 is not back after the host restarted; the host tries again in 1.5 s (retry 2 of 5)",
                "orders instance 0 did not come back after the host restarted, in 6 tries; the host leaves it down until the "
                        + "service is started again",
                "orders instance 0 exited on its own; the host starts it again in 0.5 s (crash 1 in a row)");
        assertThat(lines.list).extracting(e -> value(e, "cause")).containsExactly("HostRestart", "HostRestart", "Crash");
        assertThat(value(lines.list.get(0), "event")).isEqualTo("restart");
        assertThat(value(lines.list.get(1), "event")).isEqualTo("gave-up");
    }

    @Test
    void samplesAndOtherEventsAreNotLogged() {
        log.instanceEvent("orders", instance(0, ThrottleState.NORMAL, Set.of()),
                new InstanceEvent.Sampled(new InstanceSample(1, 10, 1, 1, 1, 1, 0, 0, 1, 1)));
        log.serviceChanged(null);

        assertThat(lines.list).isEmpty();
    }

    @Test
    void theHostsOwnRestartEntriesAreNotToldAgainAsOperationsAccepted() {
        InstanceCrash crash = new InstanceCrash(2, 137, 1);
        log.operationProgress(new OperationRecord("r-3", "orders", Operation.INSTANCE_RESTART, "host", 1_000, OptionalLong.empty(),
                Outcome.RUNNING, Optional.empty(), Optional.of(crash)));
        log.operationProgress(new OperationRecord("r-3", "orders", Operation.INSTANCE_RESTART, "host", 1_000, OptionalLong.of(2_400),
                Outcome.SUCCEEDED, Optional.empty(), Optional.of(crash)));
        log.operationProgress(new OperationRecord("r-4", "orders", Operation.INSTANCE_RESTART, "host", 3_000, OptionalLong.of(3_100),
                Outcome.FAILED, Optional.of("the service no longer runs instances"), Optional.of(crash)));
        log.operationProgress(new OperationRecord("r-5", "orders", Operation.INSTANCE_LEFT_DOWN, "host", 4_000, OptionalLong.of(4_000),
                Outcome.FAILED, Optional.of("crashed 6 times in a row"), Optional.of(new InstanceCrash(2, 1, 6))));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "orders instance 2 runs again (request r-3)",
                "orders instance 2 was not started again: the service no longer runs instances (request r-4)");
        assertThat(value(lines.list.get(0), "event")).isEqualTo("operation");
        assertThat(value(lines.list.get(0), "operation")).isEqualTo("InstanceRestart");
        assertThat(value(lines.list.get(0), "role_instance")).isEqualTo("2");
        assertThat(value(lines.list.get(0), "cause")).isEqualTo("Crash");
    }

    @Test
    void anEpisodeWhoseCausesChangedOftenTellsItsStartItsLatestChangesAndHowManyCameBetween() {
        ThrottleEpisode episode = ThrottleEpisode.opening(0, Set.of(Cause.MEMORY));
        for (int i = 1; i <= 1_000; i++) {
            episode = episode.changedAt(i * 1_000L, i % 2 == 1 ? Set.of(Cause.MEMORY, Cause.CONCURRENCY) : Set.of(Cause.MEMORY));
        }
        log.instanceEvent("orders", instance(0, ThrottleState.NORMAL, Set.of()), new InstanceEvent.EpisodeEnded(episode.endedAt(1_000_500)));

        String message = only().getFormattedMessage();
        assertThat(message).contains("; its causes: memory, then " + (1_000 - 5) + " more changes, then ")
                .endsWith("then memory after 1000.0 s")
                .hasSizeLessThan(600);
    }

    @Test
    void anEpisodeCutShortOrWhoseCausesChangedSaysSo() {
        ThrottleEpisode episode = ThrottleEpisode.opening(1_000, Set.of(Cause.MEMORY))
                .changedAt(3_000, Set.of(Cause.MEMORY, Cause.CONCURRENCY))
                .changedAt(4_000, Set.of(Cause.CONCURRENCY))
                .cutShortAt(5_500);
        log.instanceEvent("orders", instance(0, ThrottleState.NORMAL, Set.of()), new InstanceEvent.EpisodeEnded(episode));

        ILoggingEvent line = only();
        assertThat(line.getFormattedMessage()).isEqualTo("orders instance 0 was throttled for 4.5 s by memory and messages in process,"
                + " cut short when the instance went down; its causes: memory, then memory and messages in process after 2.0 s,"
                + " then messages in process after 3.0 s");
        assertThat(value(line, "cutShort")).isEqualTo("true");
    }

    @Test
    void theEngineBecomingUnavailableIsOneWarningWithItsReasonAndBecomingAvailableAgainOneLine() {
        String reason = "The Kubernetes API server at https://10.0.0.1:6443 could not be reached to get configmaps in namespace 'sluice'"
                + " (ConnectException: Connection refused): nothing was changed there; check that the API server runs and that"
                + " --kubeconfig names it";
        log.engineStatusChanged(EngineStatus.unavailable(EngineStatus.Kind.KUBERNETES, reason, 2_000));
        log.engineStatusChanged(EngineStatus.available(EngineStatus.Kind.KUBERNETES, 9_500));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "The Kubernetes engine is unavailable: " + reason,
                "The Kubernetes engine is available again");
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        ILoggingEvent down = lines.list.get(0);
        assertThat(value(down, "event")).isEqualTo("engine");
        assertThat(value(down, "engine")).isEqualTo("kubernetes");
        assertThat(value(down, "available")).isEqualTo("false");
        assertThat(value(down, "reason")).isEqualTo(reason);
        assertThat(value(down, "sinceMs")).isEqualTo("2000");
        ILoggingEvent up = lines.list.get(1);
        assertThat(value(up, "event")).isEqualTo("engine");
        assertThat(value(up, "available")).isEqualTo("true");
        assertThat(value(up, "reason")).isNull();
        assertThat(value(up, "sinceMs")).isEqualTo("9500");
    }
}
