package org.sluice.runtime;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.Cause;
import org.sluice.throttle.CauseChange;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What a headless host tells its operator as it happens: each operation as it is accepted and as
 * it ends, each throttle transition and episode, each restart of a role instance, and each change
 * of its engine's status, one log line apiece. The line reads as a sentence; the same facts go
 * with it as key-value pairs ({@code event}, {@code service}, {@code role_instance}, …), which the
 * JSON log format writes as fields.
 *
 * <p>{@code sluice host} listens with it; the console does not, and so logs no more than before.
 */
public final class HostActivityLog implements HostListener {
    private static final Logger LOG = LoggerFactory.getLogger(HostActivityLog.class);

    @Override
    public void serviceChanged(ServiceView service) {
        // States follow from operations, which are logged.
    }

    @Override
    public void serviceRemoved(String name) {
        // The Delete that removed it is logged.
    }

    @Override
    public void operationProgress(OperationRecord record) {
        if (record.operation().byHost()) {
            hostsOwn(record);
            return;
        }
        String operation = record.operation().chartName();
        String outcome = record.outcome().name().toLowerCase(Locale.ROOT);
        double seconds = (record.endedMs().orElse(record.startedMs()) - record.startedMs()) / 1000.0;
        LoggingEventBuilder line = (record.outcome() == Outcome.SUCCEEDED || record.outcome() == Outcome.RUNNING
                ? LOG.atInfo() : LOG.atWarn())
                .addKeyValue("event", "operation").addKeyValue("service", record.service())
                .addKeyValue("operation", operation).addKeyValue("outcome", outcome)
                .addKeyValue("request", record.requestId()).addKeyValue("issuer", record.requester());
        switch (record.outcome()) {
            case RUNNING -> line.log("{} of {} accepted from {} (request {})", operation, record.service(), record.requester(),
                    record.requestId());
            case SUCCEEDED -> line.addKeyValue("durationMs", record.endedMs().orElse(record.startedMs()) - record.startedMs())
                    .log("{} of {} succeeded in {} s (request {}, from {})", operation, record.service(), oneDecimal(seconds),
                            record.requestId(), record.requester());
            case FAILED -> line.addKeyValue("error", record.error().orElse(""))
                    .log("{} of {} failed after {} s: {} (request {}, from {})", operation, record.service(), oneDecimal(seconds),
                            record.error().orElse("no reason was given"), record.requestId(), record.requester());
            case INTERRUPTED -> line.log("{} of {} was cut short when the host stopped; it did not finish (request {}, from {})",
                    operation, record.service(), record.requestId(), record.requester());
        }
    }

    /**
     * The host's own entries follow a crash, which the restart and give-up lines already tell: of
     * a restart only its end is told, and a give-up not again.
     */
    private static void hostsOwn(OperationRecord record) {
        if (record.operation() != Operation.INSTANCE_RESTART || record.outcome() == Outcome.RUNNING) {
            return;
        }
        int index = record.crash().map(InstanceCrash::instance).orElse(-1);
        LoggingEventBuilder line = about(record.outcome() == Outcome.SUCCEEDED ? LOG.atInfo() : LOG.atWarn(), "operation",
                record.service(), index).addKeyValue("operation", record.operation().chartName())
                .addKeyValue("outcome", record.outcome().name().toLowerCase(Locale.ROOT)).addKeyValue("request", record.requestId())
                .addKeyValue("cause", record.crash().map(InstanceCrash::cause).orElse(RestartCause.CRASH).apiName());
        switch (record.outcome()) {
            case SUCCEEDED -> line.log("{} instance {} runs again (request {})", record.service(), index, record.requestId());
            case FAILED -> line.addKeyValue("error", record.error().orElse(""))
                    .log("{} instance {} was not started again: {} (request {})", record.service(), index,
                            record.error().orElse("no reason was given"), record.requestId());
            default -> line.log("{} instance {} was not started again: the host stopped first (request {})", record.service(), index,
                    record.requestId());
        }
    }

    @Override
    public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
        if (event instanceof InstanceEvent.Throttle change) {
            throttle(service, instance.index(), change.transition());
        } else if (event instanceof InstanceEvent.EpisodeEnded ended) {
            episode(service, instance.index(), ended.episode());
        } else if (event instanceof InstanceEvent.Restarting restarting) {
            LoggingEventBuilder line = about(LOG.atWarn(), "restart", service, instance.index())
                    .addKeyValue("cause", restarting.cause().apiName()).addKeyValue("attempt", restarting.attempt())
                    .addKeyValue("delayMs", restarting.delayMs());
            String in = oneDecimal(restarting.delayMs() / 1000.0);
            if (restarting.cause() == RestartCause.HOST_RESTART) {
                line.log("{} instance {} is not back after the host restarted; the host tries again in {} s (retry {} of {})", service,
                        instance.index(), in, restarting.attempt(), RestartCause.MAX_TRIES_IN_A_ROW);
            } else {
                line.log("{} instance {} exited on its own; the host starts it again in {} s (crash {} in a row)", service,
                        instance.index(), in, restarting.attempt());
            }
        } else if (event instanceof InstanceEvent.GaveUp gaveUp) {
            LoggingEventBuilder line = about(LOG.atError(), "gave-up", service, instance.index())
                    .addKeyValue("cause", gaveUp.cause().apiName()).addKeyValue("crashes", gaveUp.crashes());
            if (gaveUp.cause() == RestartCause.HOST_RESTART) {
                line.log("{} instance {} did not come back after the host restarted, in {} tries; the host leaves it down until the "
                        + "service is started again", service, instance.index(), gaveUp.crashes());
            } else {
                line.log("{} instance {} crashed {} times in a row; the host leaves it down until the service is started again",
                        service, instance.index(), gaveUp.crashes());
            }
        }
    }

    @Override
    public void engineStatusChanged(EngineStatus status) {
        String engine = status.kind() == EngineStatus.Kind.KUBERNETES ? "Kubernetes" : "local";
        LoggingEventBuilder line = (status.available() ? LOG.atInfo() : LOG.atWarn()).addKeyValue("event", "engine")
                .addKeyValue("engine", status.kind().id()).addKeyValue("available", status.available())
                .addKeyValue("sinceMs", status.sinceMs());
        if (status.available()) {
            line.log("The {} engine is available again", engine);
        } else {
            String reason = status.reason().orElseThrow();
            line.addKeyValue("reason", reason).log("The {} engine is unavailable: {}", engine, reason);
        }
    }

    private static void throttle(String service, int index, ThrottleTransition t) {
        LoggingEventBuilder line = about(t.state() == ThrottleState.THROTTLED ? LOG.atWarn() : LOG.atInfo(), "throttle", service, index)
                .addKeyValue("state", t.state().name().toLowerCase(Locale.ROOT)).addKeyValue("causes", keys(t.causes()));
        if (t.entersThrottled()) {
            line.log("{} instance {} is throttled by {}: it refuses messages as busy until it recovers", service, index, words(t.causes()));
        } else if (t.state() == ThrottleState.THROTTLED) {
            line.log("{} instance {} stays throttled, now by {}", service, index, words(t.causes()));
        } else {
            line.log("{} instance {} recovered and takes messages again", service, index);
        }
    }

    /** How many of an episode's latest cause changes its line tells after the first. */
    private static final int CAUSE_STEPS_TOLD = 5;

    private static void episode(String service, int index, ThrottleEpisode episode) {
        long durationMs = episode.endMs().orElse(episode.startMs()) - episode.startMs();
        StringBuilder more = new StringBuilder();
        if (episode.cutShort()) {
            more.append(", cut short when the instance went down");
        }
        if (episode.history().size() > 1) {
            ThrottleEpisode.Outline outline = episode.outline(CAUSE_STEPS_TOLD);
            more.append("; its causes: ").append(words(outline.first().causes()));
            if (outline.untold() > 0) {
                more.append(", then ").append(outline.untold()).append(" more changes");
            }
            for (CauseChange change : outline.latest()) {
                more.append(", then ").append(words(change.causes())).append(" after ")
                        .append(oneDecimal((change.atMs() - episode.startMs()) / 1000.0)).append(" s");
            }
        }
        about(LOG.atInfo(), "episode", service, index).addKeyValue("durationMs", durationMs)
                .addKeyValue("causes", keys(episode.causes())).addKeyValue("cutShort", episode.cutShort())
                .log("{} instance {} was throttled for {} s by {}{}", service, index, oneDecimal(durationMs / 1000.0),
                        words(episode.causes()), more);
    }

    private static LoggingEventBuilder about(LoggingEventBuilder line, String event, String service, int index) {
        return line.addKeyValue("event", event).addKeyValue("service", service).addKeyValue("role_instance", index);
    }

    private static String keys(Set<Cause> causes) {
        return causes.stream().sorted().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
    }

    private static String words(Set<Cause> causes) {
        return Cause.words(causes);
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
