package org.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.api.ManagementClient.Answer;
import org.sluice.lifecycle.Advice;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.DataDirectory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sluice ctl}: administers a host through its management API, for scripts first. Each
 * subcommand is one request (or, with {@code --wait}, one request and the wait for its outcome);
 * {@code --output json} prints the API's JSON as it came. The exit status says what happened in a
 * way a script can branch on; the statuses are constants here, listed in the help and in README,
 * and do not change.
 *
 * <p>The connection flags are the parent's and are taken before or after the subcommand alike.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, scope = ScopeType.INHERIT)
final class CtlCommand {
    /** Read, accepted, or with {@code --wait} succeeded. */
    static final int DONE = 0;
    /** The host answered with an error of its own (5xx) or something this command does not understand. */
    static final int HOST_ERROR = 1;
    /** A usage error: picocli's status for an unknown option or a missing argument, and ours for a bad address. */
    static final int USAGE = 2;
    /** 409: the state chart does not allow the operation now, or the name is taken. */
    static final int REFUSED = 3;
    /** With {@code --wait}: the operation ran and failed, or was interrupted. */
    static final int OPERATION_FAILED = 4;
    /** 404 or another 4xx: no such service, backup or operation, or bad input. */
    static final int NOT_FOUND_OR_INVALID = 5;
    /** Nothing answers, no TLS, a changed or unconfirmed certificate, or no connection file or key to use. */
    static final int NO_CONNECTION = 6;
    /** 401: the key is wrong or was rolled. */
    static final int NOT_SIGNED_IN = 7;

    private static final int[] STATUSES = {DONE, HOST_ERROR, USAGE, REFUSED, OPERATION_FAILED, NOT_FOUND_OR_INVALID,
            NO_CONNECTION, NOT_SIGNED_IN};

    /** How results are printed. */
    enum Output { TEXT, JSON }

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "URL", scope = ScopeType.INHERIT, descriptionKey = "ctl.option.host")
    private String host;

    @Option(names = "--issuer", paramLabel = "NAME", scope = ScopeType.INHERIT, descriptionKey = "ctl.option.issuer")
    private String issuer;

    @Option(names = "--key-file", paramLabel = "FILE", scope = ScopeType.INHERIT, descriptionKey = "ctl.option.keyFile")
    private Path keyFile;

    @Option(names = "--fingerprint", paramLabel = "SHA256", scope = ScopeType.INHERIT, descriptionKey = "ctl.option.fingerprint")
    private String fingerprint;

    @Option(names = "--data", paramLabel = "DIR", scope = ScopeType.INHERIT, descriptionKey = "ctl.option.data")
    private Path data;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", scope = ScopeType.INHERIT,
            converter = OutputConverter.class, descriptionKey = "ctl.option.output")
    private Output output;

    /** {@code --wait}, on every subcommand that starts an operation. */
    static final class Waiting {
        @Option(names = "--wait", descriptionKey = "ctl.option.wait")
        private boolean wait;
    }

    /** {@code text} or {@code json}, in any case. */
    static final class OutputConverter implements CommandLine.ITypeConverter<Output> {
        @Override
        public Output convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> Output.TEXT;
                case "json" -> Output.JSON;
                default -> throw new CommandLine.TypeConversionException(Messages.get("ctl.error.output", value));
            };
        }
    }

    /**
     * Lists the exit statuses under the help of {@code ctl} and of each of its subcommands, in the
     * language of the other help texts.
     */
    static void describeExitStatuses(CommandLine ctl) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (int status : STATUSES) {
            statuses.put(Integer.toString(status), exitStatus(status));
        }
        List<CommandLine> commands = new ArrayList<>(List.of(ctl));
        commands.addAll(ctl.getSubcommands().values());
        for (CommandLine command : commands) {
            command.getCommandSpec().usageMessage().exitCodeListHeading(Messages.get("ctl.exit.heading")).exitCodeList(statuses);
        }
    }

    private static String exitStatus(int status) {
        return switch (status) {
            case DONE -> Messages.get("ctl.exit.done");
            case HOST_ERROR -> Messages.get("ctl.exit.hostError");
            case USAGE -> Messages.get("ctl.exit.usage");
            case REFUSED -> Messages.get("ctl.exit.refused");
            case OPERATION_FAILED -> Messages.get("ctl.exit.failed");
            case NOT_FOUND_OR_INVALID -> Messages.get("ctl.exit.invalid");
            case NO_CONNECTION -> Messages.get("ctl.exit.noConnection");
            case NOT_SIGNED_IN -> Messages.get("ctl.exit.notSignedIn");
            default -> throw new IllegalArgumentException("no such exit status: " + status);
        };
    }

    // Reading

    @Command(name = "list")
    int list() {
        return read("/services", CtlText::services);
    }

    @Command(name = "host")
    int host() {
        return read("/host", CtlText::host);
    }

    @Command(name = "show")
    int show(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name) {
        return read(service(name), CtlText::service);
    }

    @Command(name = "operations")
    int operations(@Option(names = "--service", paramLabel = "NAME", descriptionKey = "ctl.option.service") String service,
                   @Option(names = "--operation", paramLabel = "OP", descriptionKey = "ctl.option.operation") String operation,
                   @Option(names = "--outcome", paramLabel = "OUTCOME", descriptionKey = "ctl.option.outcome") String outcome,
                   @Option(names = "--from", paramLabel = "TIME", descriptionKey = "ctl.option.from") String from,
                   @Option(names = "--to", paramLabel = "TIME", descriptionKey = "ctl.option.to") String to,
                   @Option(names = "--limit", paramLabel = "N", descriptionKey = "ctl.option.limit") Integer limit) {
        String query = query("service", service, "operation", operation == null ? null : chartName(operation),
                "outcome", outcome, "from", from, "to", to, "limit", limit == null ? null : limit.toString());
        return read("/operations" + query, CtlText::operations);
    }

    @Command(name = "operation")
    int operation(@Parameters(paramLabel = "REQUEST_ID", descriptionKey = "ctl.param.requestId") String requestId) {
        return read("/operations/" + ManagementClient.segment(requestId), CtlText::operation);
    }

    @Command(name = "episodes")
    int episodes(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name,
                 @Option(names = "--from", paramLabel = "TIME", descriptionKey = "ctl.option.episodesFrom") String from,
                 @Option(names = "--to", paramLabel = "TIME", descriptionKey = "ctl.option.episodesTo") String to) {
        return read(service(name) + "/episodes" + query("from", from, "to", to), CtlText::episodes);
    }

    @Command(name = "backups")
    int backups(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name) {
        return read(service(name) + "/backups", CtlText::backups);
    }

    @Command(name = "logs")
    int logs(@Parameters(index = "0", paramLabel = "NAME", descriptionKey = "ctl.param.service") String name,
             @Parameters(index = "1", paramLabel = "INSTANCE", descriptionKey = "ctl.param.instance") int instance,
             @Option(names = "--previous", descriptionKey = "ctl.option.previousRun") boolean previous,
             @Option(names = "--follow", descriptionKey = "ctl.option.follow") boolean follow) {
        String path = service(name) + "/instances/" + instance + "/log";
        if (!follow) {
            return read(path + (previous ? "?run=previous" : ""), CtlText::log);
        }
        if (previous || output == Output.JSON) {
            err().println(Messages.get("ctl.error.followAlone"));
            return USAGE;
        }
        return run(signed -> {
            LogFollower follower = new LogFollower((offset, previousRun) -> {
                Answer answer = signed.client().get(path + "?run=" + (previousRun ? "previous" : "current")
                        + (offset >= 0 ? "&offset=" + offset : ""));
                if (!answer.ok()) {
                    throw failure(answer, signed, Optional.of(name));
                }
                return answer.body();
            }, () -> Thread.sleep(FOLLOW_EVERY_MS), out());
            // Ctrl-C: the read under way ends, what was read is printed, and the command ends without an error.
            Thread following = Thread.currentThread();
            Thread stop = new Thread(() -> {
                follower.stop();
                following.interrupt();
                try {
                    following.join(FOLLOW_EVERY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sluice-ctl-follow-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                follower.run();
            } finally {
                removeShutdownHook(stop);
            }
            return DONE;
        });
    }

    /** How often {@code logs --follow} reads the log again, as the console's Log tab does. */
    private static final long FOLLOW_EVERY_MS = 1000;

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down (Ctrl-C): the hook is the one that stopped the following, and runs to its end.
            return;
        }
    }

    @Command(name = "bundle")
    int bundle(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name,
               @Option(names = "--instance", paramLabel = "N", descriptionKey = "ctl.option.bundleInstance") List<Integer> instances,
               @Option(names = "--from", paramLabel = "TIME", descriptionKey = "ctl.option.bundleFrom") String from,
               @Option(names = "--to", paramLabel = "TIME", descriptionKey = "ctl.option.bundleTo") String to,
               @Option(names = "--last", paramLabel = "DURATION", descriptionKey = "ctl.option.bundleLast") String last,
               @Option(names = "--episode", paramLabel = "INSTANCE@START", descriptionKey = "ctl.option.bundleEpisode") String episode,
               @Option(names = "--out", required = true, paramLabel = "FILE", descriptionKey = "ctl.option.bundleOut") Path out) {
        CtlBundle.Range range;
        List<Integer> chosen;
        CtlBundle.EpisodeId episodeId;
        try {
            episodeId = CtlBundle.episode(episode, from != null || to != null || last != null || instances != null);
            range = CtlBundle.range(from, to, last, System.currentTimeMillis());
            chosen = CtlBundle.instances(instances);
        } catch (CtlFailure failure) {
            err().println(failure.getMessage());
            return failure.status();
        }
        return run(signed -> {
            // Asked first so that a wrong key or an unknown service is told as every other command tells it.
            Answer service = signed.client().get(service(name));
            if (!service.ok()) {
                throw failure(service, signed, Optional.of(name));
            }
            Path written = episodeId == null ? CtlBundle.write(signed, name, chosen, range, out)
                    : CtlBundle.writeEpisode(signed, name, episodeId, out);
            print(ApiJson.MAPPER.createObjectNode().put("bundle", written.toAbsolutePath().toString()),
                    (json, text) -> text.println(Messages.get("ctl.bundle.written", name, json.path("bundle").asText())));
            return DONE;
        });
    }

    // Operations

    @Command(name = "create")
    int create(@Parameters(paramLabel = "FILE", descriptionKey = "ctl.param.definition") Path file, @Mixin Waiting waiting) {
        return operate(null, "POST", "/services", () -> definition(file), waiting);
    }

    @Command(name = "start")
    int start(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "start", waiting);
    }

    @Command(name = "stop")
    int stop(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "stop", waiting);
    }

    @Command(name = "restart")
    int restart(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "restart", waiting);
    }

    @Command(name = "suspend")
    int suspend(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "suspend", waiting);
    }

    @Command(name = "resume")
    int resume(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "resume", waiting);
    }

    @Command(name = "backup")
    int backup(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "backup", waiting);
    }

    @Command(name = "serviceupdate")
    int serviceUpdate(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return perform(name, "serviceupdate", waiting);
    }

    @Command(name = "delete")
    int delete(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name, @Mixin Waiting waiting) {
        return operate(name, "DELETE", service(name), () -> null, waiting);
    }

    @Command(name = "scale")
    int scale(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name,
              @Parameters(paramLabel = "UNITS", descriptionKey = "ctl.param.units") int units, @Mixin Waiting waiting) {
        return operate(name, "PUT", service(name) + "/units", () -> ApiJson.MAPPER.createObjectNode().put("units", units), waiting);
    }

    @Command(name = "update")
    int update(@Parameters(paramLabel = "NAME", descriptionKey = "ctl.param.service") String name,
               @Parameters(paramLabel = "FILE", descriptionKey = "ctl.param.definition") Path file, @Mixin Waiting waiting) {
        return operate(name, "PUT", service(name) + "/definition", () -> definition(file), waiting);
    }

    @Command(name = "restore")
    int restore(@Parameters(paramLabel = "BACKUP_ID", descriptionKey = "ctl.param.backupId") String backupId,
                @Parameters(paramLabel = "NEW_NAME", descriptionKey = "ctl.param.newName") String newName, @Mixin Waiting waiting) {
        return operate(newName, "POST", "/backups/" + ManagementClient.segment(backupId) + "/restore",
                () -> ApiJson.MAPPER.createObjectNode().put("name", newName), waiting);
    }

    @Command(name = "disable-account")
    int disableAccount(@Mixin Waiting waiting) {
        return account("disable", Operation.DISABLE, waiting);
    }

    @Command(name = "enable-account")
    int enableAccount(@Mixin Waiting waiting) {
        return account("enable", Operation.ENABLE, waiting);
    }

    // How each kind of subcommand runs

    /** What a subcommand does once signed in; it returns the exit status or throws why it stopped. */
    @FunctionalInterface
    private interface Action {
        int run(CtlConnection.Signed signed) throws CtlFailure, IOException, InterruptedException;
    }

    /** The body of a request, made once the command runs: reading a file may fail. */
    @FunctionalInterface
    private interface Body {
        JsonNode make() throws CtlFailure;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Signs in, runs {@code action}, and turns every way it can stop into a line and an exit status. */
    private int run(Action action) {
        try {
            CtlConnection.Signed signed = new CtlConnection(host, issuer, keyFile, fingerprint, data)
                    .open(DataDirectory.defaultLocation());
            try {
                return action.run(signed);
            } catch (IOException e) {
                throw CtlConnection.unreachable(e, signed.url());
            }
        } catch (CtlFailure failure) {
            if (output == Output.JSON) {
                failure.document().ifPresent(this::printJson);
            }
            err().println(failure.getMessage());
            return failure.status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println(Messages.get("ctl.error.interrupted"));
            return HOST_ERROR;
        }
    }

    /** GETs {@code path} and prints the answer as JSON or, for people, with {@code text}. */
    private int read(String path, BiConsumer<JsonNode, PrintWriter> text) {
        return run(signed -> {
            Answer answer = signed.client().get(path);
            if (!answer.ok()) {
                throw failure(answer, signed, Optional.empty());
            }
            print(answer.body(), text);
            return DONE;
        });
    }

    private int perform(String name, String operation, Waiting waiting) {
        return operate(name, "POST", service(name) + "/" + operation, () -> null, waiting);
    }

    /**
     * Asks for one operation. Without {@code --wait} it prints the request id (JSON: the 202's
     * body); with it, the outcome (JSON: the final record).
     *
     * @param name the service it acts on, for messages; {@code null} for Create, whose name is in the body
     */
    private int operate(String name, String method, String path, Body body, Waiting waiting) {
        return run(signed -> {
            Answer accepted = signed.client().send(method, path, body.make());
            if (!accepted.ok()) {
                throw failure(accepted, signed, Optional.ofNullable(name));
            }
            if (!waiting.wait) {
                print(accepted.body(), (json, out) -> out.println(json.path("requestId").asText()));
                return DONE;
            }
            JsonNode record = awaitEnd(signed, accepted.body());
            return outcome(record, List.of(record));
        });
    }

    /** Disable or Enable: one operation per service that allows it, each waited for with {@code --wait}. */
    private int account(String path, Operation operation, Waiting waiting) {
        return run(signed -> {
            Answer accepted = signed.client().post("/account/" + path, null);
            if (!accepted.ok()) {
                throw failure(accepted, signed, Optional.empty());
            }
            JsonNode tickets = accepted.body().path("operations");
            if (tickets.isEmpty()) {
                err().println(Messages.get("ctl.account.none", operation.chartName()));
            }
            if (!waiting.wait) {
                print(accepted.body(), (json, out) -> tickets.forEach(t -> out.println(t.path("requestId").asText())));
                return DONE;
            }
            ArrayNode records = ApiJson.MAPPER.createArrayNode();
            for (JsonNode ticket : tickets) {
                records.add(awaitEnd(signed, ticket));
            }
            return outcome(records, records);
        });
    }

    private JsonNode awaitEnd(CtlConnection.Signed signed, JsonNode ticket) throws CtlFailure, IOException, InterruptedException {
        Answer end = signed.client().awaitEnd(ticket.path("requestId").asText());
        if (!end.ok()) {
            throw failure(end, signed, Optional.ofNullable(ticket.path("service").asText(null)));
        }
        return end.body();
    }

    /**
     * Prints how the operations ended: {@code document} as JSON, or a line each; a failure goes to
     * standard error in both. The status is a failure when any of them did not succeed.
     */
    private int outcome(JsonNode document, Iterable<JsonNode> records) {
        if (output == Output.JSON) {
            printJson(document);
        }
        int status = DONE;
        for (JsonNode record : records) {
            String service = record.path("service").asText();
            String operation = record.path("operation").asText();
            String requestId = record.path("requestId").asText();
            if (record.path("status").asText().equals(ApiJson.word(Outcome.SUCCEEDED))) {
                if (output == Output.TEXT) {
                    out().println(Messages.get("ctl.operation.succeeded", service, operation, requestId));
                }
            } else {
                err().println(Messages.get("ctl.operation.failed", service, operation,
                        record.path("error").asText(record.path("status").asText()), requestId));
                status = OPERATION_FAILED;
            }
        }
        return status;
    }

    private void print(JsonNode document, BiConsumer<JsonNode, PrintWriter> text) {
        if (output == Output.JSON) {
            printJson(document);
        } else {
            text.accept(document, out());
        }
    }

    /** The document on one line, as the API sends it: a script reads it whole or line by line alike. */
    private void printJson(JsonNode document) {
        try {
            out().println(ApiJson.MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    // Errors of the API

    /** The exit status and message for an answer that is not a success. */
    private static CtlFailure failure(Answer answer, CtlConnection.Signed signed, Optional<String> service) {
        JsonNode body = answer.body();
        int status = answer.status();
        if (status == 401) {
            return new CtlFailure(NOT_SIGNED_IN, Messages.get("ctl.error.key", signed.url(), signed.issuer(), signed.keySource()),
                    body);
        }
        if (status == 409) {
            return new CtlFailure(REFUSED, refusal(body, service), body);
        }
        if (status >= 400 && status < 500) {
            return new CtlFailure(NOT_FOUND_OR_INVALID, rejection(answer), body);
        }
        return new CtlFailure(HOST_ERROR, Messages.get("ctl.error.host", status, answer.error()), body);
    }

    /** "Operation not allowed" with the state and the way out; another conflict in the host's words. */
    private static String refusal(JsonNode body, Optional<String> service) {
        Optional<ServiceState> state = ServiceState.fromChartName(body.path("state").asText());
        Optional<Operation> operation = Operation.fromChartName(body.path("operation").asText());
        if (state.isEmpty() || operation.isEmpty()) {
            return Messages.get("ctl.error.conflict", body.path("error").asText());
        }
        String name = service.orElse("?");
        String line = Messages.get("ctl.refused", operation.get().chartName(), name, state.get().chartName());
        if (state.get().isTransitional()) {
            return line + System.lineSeparator() + Messages.get("ctl.refused.running", name);
        }
        return Advice.forOperation(Lifecycle.standard(), state.get(), operation.get())
                .map(advice -> line + System.lineSeparator() + switch (advice.kind()) {
                    case ALREADY -> Messages.get("ctl.refused.already", name, state.get().chartName());
                    case INSTEAD -> Messages.get("ctl.refused.instead", advice.operation().chartName(), command(advice.operation(), name));
                    case FIRST -> Messages.get("ctl.refused.first", advice.operation().chartName(), command(advice.operation(), name));
                })
                .orElse(line);
    }

    /** The {@code sluice ctl} line that runs {@code operation} on {@code service}. */
    static String command(Operation operation, String service) {
        String rest = switch (operation) {
            case START, STOP, RESTART, SUSPEND, RESUME, DELETE, BACKUP -> operation.chartName().toLowerCase(Locale.ROOT) + " " + service;
            case SERVICE_UPDATE -> "serviceupdate " + service;
            case SCALE -> "scale " + service + " UNITS";
            case UPDATE_CONFIGURATION -> "update " + service + " FILE";
            case CREATE -> "create FILE";
            case RESTORE -> "restore BACKUP_ID NEW_NAME";
            case DISABLE -> "disable-account";
            case ENABLE -> "enable-account";
            case INSTANCE_RESTART, INSTANCE_LEFT_DOWN ->
                    throw new IllegalArgumentException(operation.chartName() + " is done by the host on its own; no command asks for it");
        };
        return "sluice ctl " + rest;
    }

    /** A 4xx other than 401 and 409: what is missing, or what is wrong with the request and each problem. */
    private static String rejection(Answer answer) {
        JsonNode body = answer.body();
        if (answer.status() == 404) {
            // The host names what it did not find; an unknown request id has come back as either field.
            for (String what : new String[] {"service", "backup", "requestId", "operation"}) {
                if (body.path(what).isTextual()) {
                    return Messages.get(switch (what) {
                        case "service" -> "ctl.error.noService";
                        case "backup" -> "ctl.error.noBackup";
                        default -> "ctl.error.noOperation";
                    }, body.path(what).asText());
                }
            }
        }
        String error = answer.error();
        StringBuilder message = new StringBuilder(Messages.get("ctl.error.rejected", answer.status(), error));
        JsonNode problems = body.path("problems");
        for (JsonNode problem : problems) {
            String field = problem.path("field").asText("");
            String text = problem.path("message").asText();
            if (problems.size() == 1 && error != null && error.endsWith(text)) {
                continue; // the first line says it already
            }
            // A problem of the definition's checks says what is wrong with the value, not which value it is.
            message.append(System.lineSeparator()).append("  ")
                    .append(field.isEmpty() || text.startsWith(field + " ") ? text : field + ": " + text);
        }
        return message.toString();
    }

    // Small parts

    private static String service(String name) {
        return "/services/" + ManagementClient.segment(name);
    }

    /** A query string of the pairs whose value is not {@code null}; empty when there is none. */
    private static String query(String... namesAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                query.append(query.isEmpty() ? '?' : '&').append(namesAndValues[i]).append('=')
                        .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    /** An operation's chart name from what was typed: {@code start}, {@code Start}, {@code serviceupdate}. */
    private static String chartName(String typed) {
        for (Operation operation : Operation.values()) {
            if (operation.chartName().equalsIgnoreCase(typed)) {
                return operation.chartName();
            }
        }
        // The host says what it takes.
        return typed;
    }

    /** The definition in {@code file}, a JSON object; the host checks the rest. */
    private static JsonNode definition(Path file) throws CtlFailure {
        JsonNode node;
        try {
            node = ApiJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CtlFailure(NOT_FOUND_OR_INVALID, Messages.get("ctl.error.noFile", file));
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            int line = where == null ? 0 : where.getLineNr();
            int column = where == null ? 0 : where.getColumnNr();
            Optional<String> twice = org.sluice.runtime.definition.DefinitionJson.fieldGivenTwice(e);
            throw new CtlFailure(NOT_FOUND_OR_INVALID, twice.isPresent()
                    ? Messages.get("ctl.error.definitionFieldTwice", file, twice.get(), line, column)
                    : Messages.get("ctl.error.definitionJson", file, line, column));
        } catch (IOException e) {
            throw new CtlFailure(NOT_FOUND_OR_INVALID, Messages.get("ctl.error.readFile", file, Messages.whyUnreadable(file, e)));
        }
        if (node == null || !node.isObject()) {
            throw new CtlFailure(NOT_FOUND_OR_INVALID, Messages.get("ctl.error.definitionShape", file));
        }
        return node;
    }
}
