package org.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sluice.fleet.api.ApiJson;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.CauseChange;
import org.sluice.throttle.ThrottleEpisode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code sluice ctl} prints for people: the API's JSON as tables and labelled lines. Names
 * from the state chart and the API's words ({@code Active}, {@code Succeeded}) are printed as the
 * API has them, in every language, so that what a person reads is what a script matches.
 */
final class CtlText {
    private CtlText() {
    }

    /** {@code list}: one row per service. */
    static void services(JsonNode services, PrintWriter out) {
        TextTable table = new TextTable(header("ctl.word.name", "ctl.word.state", "ctl.word.units", "ctl.word.running",
                "ctl.word.throttled", "ctl.word.lastOperation"));
        for (JsonNode service : services) {
            int running = 0;
            int throttled = 0;
            for (JsonNode instance : service.path("instances")) {
                if (instance.path("status").asText().equals(ApiJson.word(InstanceStatus.RUNNING))) {
                    running++;
                }
                if (instance.path("throttled").asBoolean()) {
                    throttled++;
                }
            }
            table.row(text(service, "name"), text(service, "state"), text(service, "units"), Integer.toString(running),
                    Integer.toString(throttled), lastOperation(service.path("lastOperation")));
        }
        table.print(out);
    }

    /** {@code host}: the host's engine; since when and why only while it is unavailable or came back. */
    static void host(JsonNode host, PrintWriter out) {
        JsonNode engine = host.path("engine");
        TextTable fields = new TextTable()
                .row(label("ctl.word.engine"), text(engine, "kind"))
                .row(label("ctl.word.available"), yesNo(engine.path("available").asBoolean()));
        if (engine.path("since").isTextual()) {
            fields.row(label("ctl.word.engineSince"), text(engine, "since"));
        }
        if (engine.path("reason").isTextual()) {
            fields.row(label("ctl.word.reason"), text(engine, "reason"));
        }
        fields.print(out);
    }

    /** {@code show}: the service, then a row per instance. */
    static void service(JsonNode service, PrintWriter out) {
        JsonNode definition = service.path("definition");
        TextTable fields = new TextTable()
                .row(label("ctl.word.name"), text(service, "name"))
                .row(label("ctl.word.state"), text(service, "state"));
        if (service.path("running").isTextual()) {
            fields.row(label("ctl.word.operationRunning"), text(service, "running"));
        }
        fields.row(label("ctl.word.units"), text(service, "units"))
                .row(label("ctl.word.endpoint"), text(service, "endpoint"))
                .row(label("ctl.word.source"), text(definition, "source"))
                .row(label("ctl.word.destination"), text(definition, "destination"))
                .row(label("ctl.word.lastOperation"), lastOperation(service.path("lastOperation")))
                .print(out);
        out.println();
        TextTable instances = new TextTable(header("ctl.word.instance", "ctl.word.status", "ctl.word.throttled", "ctl.word.causes",
                "ctl.word.since", "ctl.word.memory", "ctl.word.inProcess"));
        for (JsonNode instance : service.path("instances")) {
            JsonNode memory = instance.path("memoryPercent");
            instances.row(text(instance, "index"), text(instance, "status"), yesNo(instance.path("throttled").asBoolean()),
                    causes(instance.path("causes")), text(instance, "since"),
                    memory.isNumber() ? String.format(Locale.ROOT, "%.1f", memory.asDouble()) : "",
                    text(instance, "messagesInProcess"));
        }
        instances.print(out);
    }

    /** {@code operations}: the log, a row per operation, as the host ordered it (newest first). */
    static void operations(JsonNode records, PrintWriter out) {
        TextTable table = new TextTable(header("ctl.word.started", "ctl.word.service", "ctl.word.operation", "ctl.word.status",
                "ctl.word.issuer", "ctl.word.request", "ctl.word.detail", "ctl.word.error"));
        for (JsonNode record : records) {
            table.row(text(record, "startedAt"), text(record, "service"), text(record, "operation"), text(record, "status"),
                    text(record, "issuer"), text(record, "requestId"), crash(record), text(record, "error"));
        }
        table.print(out);
    }

    /** {@code operation}: one record, a labelled line per field. */
    static void operation(JsonNode record, PrintWriter out) {
        new TextTable()
                .row(label("ctl.word.request"), text(record, "requestId"))
                .row(label("ctl.word.service"), text(record, "service"))
                .row(label("ctl.word.operation"), text(record, "operation"))
                .row(label("ctl.word.issuer"), text(record, "issuer"))
                .row(label("ctl.word.status"), text(record, "status"))
                .row(label("ctl.word.started"), text(record, "startedAt"))
                .row(label("ctl.word.ended"), text(record, "endedAt"))
                .row(label("ctl.word.detail"), crash(record))
                .row(label("ctl.word.error"), text(record, "error"))
                .print(out);
    }

    /** {@code episodes}: a row per throttle episode of any instance. */
    static void episodes(JsonNode episodes, PrintWriter out) {
        TextTable table = new TextTable(header("ctl.word.instance", "ctl.word.started", "ctl.word.ended", "ctl.word.cutShort",
                "ctl.word.causes", "ctl.word.causeHistory"));
        for (JsonNode episode : episodes) {
            table.row(text(episode, "instance"), text(episode, "startedAt"), text(episode, "endedAt"),
                    yesNo(episode.path("cutShort").asBoolean()), causes(episode.path("causes")), causeHistory(episode));
        }
        table.print(out);
    }

    /** {@code backups}: a row per backup, with the id that {@code restore} takes. */
    static void backups(JsonNode backups, PrintWriter out) {
        TextTable table = new TextTable(header("ctl.word.backupId", "ctl.word.created", "ctl.word.succeeded", "ctl.word.error"));
        for (JsonNode backup : backups) {
            table.row(text(backup, "id"), text(backup, "createdAt"), yesNo(backup.path("succeeded").asBoolean()), text(backup, "error"));
        }
        table.print(out);
    }

    /** {@code logs}: the lines as the instance wrote them. */
    static void log(JsonNode log, PrintWriter out) {
        out.print(log.path("text").asText());
        out.flush();
    }

    // Small parts

    private static String[] header(String... keys) {
        String[] words = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            words[i] = Messages.get(keys[i]).toUpperCase(Locale.ROOT);
        }
        return words;
    }

    private static String label(String key) {
        return Messages.get(key) + ":";
    }

    /** A field as text; empty when it is missing or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    /** "Start Succeeded", or empty when no operation has run yet. */
    private static String lastOperation(JsonNode record) {
        return record.isObject() ? text(record, "operation") + " " + text(record, "status") : "";
    }

    /**
     * On the host's own entries, the instance and how it went down: "instance 1: signal 9 (exit
     * status 137), crash 2 in a row", or after a host restart "instance 0: could not be started, not
     * back after the host restarted (2 failed tries)"; empty on the others.
     */
    private static String crash(JsonNode record) {
        if (!record.path("instance").isInt()) {
            return "";
        }
        // A host that does not say why started it again after a crash.
        RestartCause cause = RestartCause.ofApiName(text(record, "cause")).orElse(RestartCause.CRASH);
        InstanceCrash crash = new InstanceCrash(record.path("instance").asInt(), record.path("exitStatus").asInt(),
                record.path("crashesInARow").asInt(), cause);
        String exit = crash.notStarted() ? Messages.get("ctl.crash.notStarted")
                : crash.signal().isPresent() ? Messages.get("ctl.crash.signal", crash.signal().getAsInt(), crash.exitStatus())
                : Messages.get("ctl.crash.status", crash.exitStatus());
        return Messages.get(cause == RestartCause.HOST_RESTART ? "ctl.crash.hostRestart" : "ctl.crash", crash.instance(), exit,
                crash.crashesInARow());
    }

    /** How many of an episode's latest cause changes a row shows after the first. */
    static final int CAUSE_STEPS_SHOWN = 5;

    /**
     * Each change of an episode's causes, the first at its start and the others as seconds after
     * it: "Memory, +1.5 s Memory+Concurrency". A long history shows its first step, how many
     * changes came between, and its latest {@value #CAUSE_STEPS_SHOWN}.
     */
    private static String causeHistory(JsonNode node) {
        ThrottleEpisode episode = ApiJson.readEpisode(node).episode();
        ThrottleEpisode.Outline outline = episode.outline(CAUSE_STEPS_SHOWN);
        List<String> steps = new ArrayList<>();
        steps.add(causes(ApiJson.causes(outline.first().causes())));
        if (outline.untold() > 0) {
            steps.add(Messages.get("ctl.episode.untold", outline.untold()));
        }
        for (CauseChange step : outline.latest()) {
            steps.add(String.format(Locale.ROOT, "+%.1f s %s", (step.atMs() - episode.startMs()) / 1000.0,
                    causes(ApiJson.causes(step.causes()))));
        }
        return String.join(", ", steps);
    }

    /** Causes joined as the replay command joins them: {@code Memory+Concurrency}. */
    private static String causes(JsonNode causes) {
        List<String> words = new ArrayList<>();
        causes.forEach(cause -> words.add(cause.asText()));
        return String.join("+", words);
    }

    private static String yesNo(boolean value) {
        return Messages.get(value ? "ctl.word.yes" : "ctl.word.no");
    }
}
