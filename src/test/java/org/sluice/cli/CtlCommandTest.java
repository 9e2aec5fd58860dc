package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.fleet.api.ManagedHost.KEY;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.HostManagement;
import org.sluice.fleet.api.ManagedHost;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.lifecycle.Operation;
import org.sluice.runtime.access.HostCertificate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code sluice ctl} against an in-process host behind a real management listener, with the
 * connection file and keys a host writes in its data folder: what a script on the host's machine,
 * or elsewhere, sees and which exit status it gets.
 */
@Timeout(60)
class CtlCommandTest {
    /** The secondary key in keys.json; the host takes only the primary, {@link ManagedHost#KEY}. */
    private static final String SECONDARY = "secondary-key-for-ctl-tests";

    @TempDir
    Path temp;

    private ManagedHost managed;
    /** The host's data folder as a client sees it: manage.json and keys.json. */
    private Path data;

    @BeforeEach
    void open() throws Exception {
        managed = new ManagedHost(temp.resolve("host"));
        data = Files.createDirectories(temp.resolve("data"));
        writeConnectionFile(managed.url().toString(), managed.fingerprint());
        Files.writeString(data.resolve("keys.json"),
                "{\"issuer\":\"owner\",\"primary\":\"" + KEY + "\",\"secondary\":\"" + SECONDARY + "\"}\n");
    }

    @AfterEach
    void close() {
        managed.close();
    }

    private void writeConnectionFile(String url, String fingerprint) throws IOException {
        ObjectNode connection = ApiJson.MAPPER.createObjectNode();
        connection.put("url", url);
        connection.put("fingerprint", fingerprint);
        connection.put("issuer", "owner");
        connection.put("keys", data.resolve("keys.json").toString());
        Files.writeString(data.resolve(HostManagement.CONNECTION_FILE), connection.toString());
    }

    /** {@code sluice ctl --data DATA args…}: the way a script on the host's machine runs it. */
    private CommandLineRun ctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ctl", "--data", data.toString()));
        all.addAll(List.of(args));
        CommandLineRun run = CommandLineRun.run(all.toArray(String[]::new));
        assertThat(run.out() + run.err()).as("the key is never printed").doesNotContain(KEY, SECONDARY);
        return run;
    }

    /** A definition of two units that writes to a folder under /tmp. */
    private static ObjectNode definition(String name) {
        return ApiJson.MAPPER.createObjectNode().put("name", name).put("units", 2).put("destination", "dir:/tmp/" + name + "-out");
    }

    /** The final record of an operation, waited for as {@code --wait} waits. */
    private JsonNode ended(String requestId) throws Exception {
        ManagementClient.Answer end = managed.client().awaitEnd(requestId);
        assertThat(end.status()).as(end.body().toString()).isEqualTo(200);
        return end.body();
    }

    /** Creates {@code name} through the API, not through ctl, and waits until it succeeded. */
    private void created(String name) throws Exception {
        ManagementClient.Answer answer = managed.client().post("/services", definition(name));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(202);
        assertThat(ended(answer.body().path("requestId").asText()).path("status").asText()).isEqualTo("Succeeded");
    }

    private static JsonNode json(CommandLineRun run) throws IOException {
        return ApiJson.MAPPER.readTree(run.out());
    }

    private Path definitionFile(ObjectNode definition) throws IOException {
        Path file = temp.resolve(definition.path("name").asText() + "-" + System.nanoTime() + ".json");
        Files.writeString(file, definition.toPrettyString());
        return file;
    }

    @Test
    void onTheHostsMachineTheDataFolderIsAllItNeeds() throws Exception {
        created("orders");

        CommandLineRun list = ctl("list");

        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.err()).isEmpty();
        assertThat(list.out().lines()).containsExactly(
                "NAME    STATE   UNITS  RUNNING  THROTTLED  LAST OPERATION",
                "orders  Active  2      2        0          Create Succeeded");
    }

    @Test
    void withNoFlagAtAllTheUsersDataFolderIsRead() throws Exception {
        created("orders");

        CtlConnection.Signed signed = new CtlConnection(null, null, null, null, null).open(data);

        assertThat(signed.url()).isEqualTo(managed.url());
        assertThat(signed.issuer()).isEqualTo("owner");
        assertThat(signed.keySource()).isEqualTo(data.resolve("keys.json"));
        assertThat(signed.client().get("/services").body()).hasSize(1);
    }

    @Test
    void listAndShowPrintTheApisJsonAsItCame() throws Exception {
        created("orders");

        CommandLineRun list = ctl("list", "--output", "json");
        CommandLineRun show = ctl("--output", "JSON", "show", "orders");

        assertThat(list.status()).isZero();
        assertThat(json(list)).isEqualTo(managed.client().get("/services").body());
        assertThat(show.status()).isZero();
        JsonNode service = json(show);
        assertThat(service).isEqualTo(managed.client().get("/services/orders").body());
        assertThat(service.path("instances")).hasSize(2);
    }

    @Test
    void showPrintsTheServiceAndARowPerInstance() throws Exception {
        created("orders");

        CommandLineRun show = ctl("show", "orders");

        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out().lines()).contains(
                "name:            orders",
                "state:           Active",
                "units:           2",
                "destination:     dir:/tmp/orders-out",
                "last operation:  Create Succeeded",
                "",
                "INSTANCE  STATUS   THROTTLED  CAUSES  THROTTLED SINCE  MEMORY %  IN PROCESS",
                "0         Running  no         -       -                -         -",
                "1         Running  no         -       -                -         -");
    }

    @Test
    void createWithWaitSaysItSucceededAndExitsZero() throws Exception {
        CommandLineRun run = ctl("create", definitionFile(definition("orders")).toString(), "--wait");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).matches("orders: Create succeeded \\(request [0-9a-f-]+\\)\\R");
        assertThat(managed.client().get("/services/orders").body().path("state").asText()).isEqualTo("Active");
    }

    @Test
    void withoutWaitAnOperationPrintsItsRequestIdOnlyAndExitsZero() throws Exception {
        created("orders");

        CommandLineRun run = ctl("stop", "orders");

        assertThat(run.status()).isZero();
        String requestId = run.out().strip();
        assertThat(ended(requestId).path("operation").asText()).isEqualTo("Stop");

        CommandLineRun record = ctl("operation", requestId, "--output", "json");
        assertThat(json(record).path("requestId").asText()).isEqualTo(requestId);
        assertThat(json(record).path("issuer").asText()).isEqualTo("owner");
    }

    @Test
    void aRefusedOperationExitsThreeWithTheStateAndTheWayOut() throws Exception {
        created("orders");

        CommandLineRun resume = ctl("resume", "orders", "--wait");

        assertThat(resume.status()).isEqualTo(CtlCommand.REFUSED);
        assertThat(resume.out()).isEmpty();
        assertThat(resume.err().lines()).containsExactly("Operation not allowed: Resume while orders is Active.",
                "orders is already Active; there is nothing to do.");

        assertThat(ended(ctl("suspend", "orders").out().strip()).path("status").asText()).isEqualTo("Succeeded");
        CommandLineRun stop = ctl("stop", "orders", "--output", "json");
        assertThat(stop.status()).isEqualTo(CtlCommand.REFUSED);
        assertThat(json(stop).path("error").asText()).as("the API's error as it came").isEqualTo("Operation not allowed");
        assertThat(json(stop).path("state").asText()).isEqualTo("Suspended");
        assertThat(stop.err()).contains("Operation not allowed: Stop while orders is Suspended.",
                "Resume first: sluice ctl resume orders");
    }

    @Test
    void anOperationThatRanAndFailedExitsFourWithItsError() throws Exception {
        created("orders");
        managed.fleet("test").injectFault("orders", Operation.STOP);

        CommandLineRun run = ctl("stop", "orders", "--wait");

        assertThat(run.status()).isEqualTo(CtlCommand.OPERATION_FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).matches("orders: Stop failed: Injected fault \\(drill\\) \\(request [0-9a-f-]+\\)\\R");
    }

    @Test
    void whatDoesNotExistOrIsNotValidExitsFive() throws Exception {
        created("orders");

        CommandLineRun show = ctl("show", "nope");
        assertThat(show.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(show.err()).isEqualTo("No service named nope on this host; sluice ctl list lists them." + System.lineSeparator());
        assertThat(ctl("start", "nope", "--wait").status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(ctl("operation", "no-such-request").err()).contains("No operation with the request id no-such-request");
        assertThat(ctl("restore", "no-such-backup", "copy").err()).contains("No backup with the id no-such-backup");

        CommandLineRun units = ctl("scale", "orders", "9");
        assertThat(units.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(units.err()).startsWith("The host rejected the request (HTTP 400): ");

        ObjectNode invalid = definition("Bad Name").put("units", 12);
        CommandLineRun create = ctl("create", definitionFile(invalid).toString());
        assertThat(create.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(create.err().lines().count()).as("a line per problem").isGreaterThanOrEqualTo(3);
        assertThat(create.err().lines().skip(1)).as("each problem names the field it is of")
                .anySatisfy(line -> assertThat(line).startsWith("  name: must be 1 to 63 lower-case letters"))
                .anySatisfy(line -> assertThat(line).isEqualTo("  units: must be from 1 to 8, was 12"));

        CommandLineRun unknownField = ctl("create", definitionFile(definition("tidy").put("colour", "red")).toString());
        assertThat(unknownField.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(unknownField.err()).as("a problem the first line already says is not said again").isEqualTo(
                "The host rejected the request (HTTP 400): The body is not a valid definition: colour is not a known field"
                        + System.lineSeparator());

        Path twice = Files.writeString(temp.resolve("twice.json"), "{\"name\": \"x\", \"units\": 1, \"units\": 8}");
        CommandLineRun fieldTwice = ctl("create", twice.toString());
        assertThat(fieldTwice.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(fieldTwice.err()).startsWith(twice + " gives the field 'units' twice (line 1, column ");

        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"name\": \"x\",\n \"units\": }");
        CommandLineRun notJson = ctl("create", broken.toString());
        assertThat(notJson.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(notJson.err()).startsWith(broken + " is not valid JSON (line 2, column ");
        assertThat(ctl("create", temp.resolve("missing.json").toString()).status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);

        assertThat(managed.client().get("/services").body()).hasSize(1);
    }

    @Test
    void aWrongKeyExitsSevenAndSaysWhereItWasReadAndHowToSeeTheCurrentOnes() throws Exception {
        Path keyFile = Files.writeString(temp.resolve("old.key"), "a-key-rolled-long-ago\n");

        CommandLineRun run = ctl("--key-file", keyFile.toString(), "list");

        assertThat(run.status()).isEqualTo(CtlCommand.NOT_SIGNED_IN);
        assertThat(run.err()).isEqualTo("The host at " + managed.url() + " refused the key of the issuer owner (read from " + keyFile
                + "): it is wrong or was rolled. sluice keys show on the host prints the current ones." + System.lineSeparator());
        assertThat(run.out() + run.err()).doesNotContain("a-key-rolled-long-ago");

        Files.writeString(keyFile, KEY + "\nanything after the first line\n");
        assertThat(ctl("--key-file", keyFile.toString(), "list").status()).as("the key on a file's first line").isZero();
    }

    @Test
    void aHostNamedByAddressAloneIsRefusedWithTheFingerprintToCompare() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        String url = managed.url().toString();

        CommandLineRun run = CommandLineRun.run("ctl", "--data", elsewhere.toString(), "--host", url, "list");

        assertThat(run.status()).isEqualTo(CtlCommand.NO_CONNECTION);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("The host at " + url + " presents the certificate SHA-256 " + managed.fingerprint() + ". ")
                .contains("the fingerprint the host printed when it started")
                .endsWith("run the command again with --fingerprint " + managed.fingerprint() + System.lineSeparator());

        CommandLineRun pinned = CommandLineRun.run("ctl", "--host", url, "--fingerprint", managed.fingerprint(),
                "--key-file", data.resolve("keys.json").toString(), "list", "--output", "json");
        assertThat(pinned.status()).as(pinned.err()).isZero();
        assertThat(json(pinned)).isEmpty();

        assertThat(CommandLineRun.run("ctl", "--host", "http://127.0.0.1:1", "list").status()).isEqualTo(CtlCommand.USAGE);
    }

    @Test
    void anHttpAddressIsRefusedWithTheHttpsOneToUseInstead() {
        CommandLineRun run = CommandLineRun.run("ctl", "--host", "http://10.0.0.5:7072/", "list");

        assertThat(run.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(run.err()).contains("HTTPS only", "https://10.0.0.5:7072", "http://10.0.0.5:7072/");
    }

    @Test
    void theKeyOfThisMachinesHostIsNeverSentToAHostNamedByAddress() throws Exception {
        // The data folder says its host is elsewhere; --host names the test's host.
        writeConnectionFile("https://127.0.0.1:1", managed.fingerprint());
        String url = managed.url().toString();

        CommandLineRun run = CommandLineRun.run("ctl", "--data", data.toString(), "--host", url, "--fingerprint",
                managed.fingerprint(), "list");

        assertThat(run.status()).isEqualTo(CtlCommand.NO_CONNECTION);
        assertThat(run.err()).contains("--key-file", "never sent to another");
    }

    @Test
    void aChangedCertificateIsRefusedBeforeAnythingIsSent() throws Exception {
        String other = HostCertificate.loadOrCreate(temp.resolve("other-host")).fingerprint();
        writeConnectionFile(managed.url().toString(), other);

        CommandLineRun run = ctl("list");

        assertThat(run.status()).isEqualTo(CtlCommand.NO_CONNECTION);
        assertThat(run.err()).startsWith("The certificate of the host at " + managed.url() + " changed: it was " + other
                + " and is now " + managed.fingerprint() + ". Nothing was sent.");
    }

    @Test
    void aHostThatIsNotThereExitsSix() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        writeConnectionFile("https://127.0.0.1:" + closed, managed.fingerprint());

        CommandLineRun run = ctl("list");

        assertThat(run.status()).isEqualTo(CtlCommand.NO_CONNECTION);
        assertThat(run.err()).startsWith("Nothing answers at https://127.0.0.1:" + closed);

        Path empty = Files.createDirectories(temp.resolve("empty"));
        CommandLineRun none = CommandLineRun.run("ctl", "--data", empty.toString(), "list");
        assertThat(none.status()).isEqualTo(CtlCommand.NO_CONNECTION);
        assertThat(none.err()).startsWith("No host has written " + empty.resolve("manage.json"));
    }

    @Test
    void theOperationLogIsFilteredAndNewestFirst() throws Exception {
        created("orders");
        created("invoices");
        assertThat(ctl("stop", "orders", "--wait").status()).isZero();
        managed.fleet("test").injectFault("orders", Operation.START);
        assertThat(ctl("start", "orders", "--wait").status()).isEqualTo(CtlCommand.OPERATION_FAILED);

        JsonNode stops = json(ctl("operations", "--service", "orders", "--operation", "stop", "--output", "json"));
        assertThat(stops).singleElement().satisfies(r -> assertThat(r.path("operation").asText()).isEqualTo("Stop"));

        JsonNode failed = json(ctl("operations", "--outcome", "Failed", "--output", "json"));
        assertThat(failed).singleElement().satisfies(r -> assertThat(r.path("error").asText()).isEqualTo("Injected fault (drill)"));

        JsonNode newest = json(ctl("operations", "--limit", "1", "--output", "json"));
        assertThat(newest).singleElement().satisfies(r -> assertThat(r.path("operation").asText()).isEqualTo("Start"));

        JsonNode orders = json(ctl("operations", "--service", "orders", "--from", "2000-01-01T00:00:00Z", "--output", "json"));
        assertThat(orders.findValuesAsText("operation")).containsExactly("Start", "Stop", "Create");

        CommandLineRun table = ctl("operations", "--service", "invoices");
        assertThat(table.out().lines()).hasSize(2);
        assertThat(table.out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .matches("STARTED +SERVICE +OPERATION +STATUS +ISSUER +REQUEST +DETAIL +ERROR"));
        assertThat(table.out()).contains("invoices  Create     Succeeded  owner");

        CommandLineRun badTime = ctl("operations", "--from", "yesterday");
        assertThat(badTime.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(badTime.err()).contains("'from'");
    }

    @Test
    void theLogShowsTheHostsRestartsWithTheCrashAndEpisodesShowTheirCauseHistoryAndWhetherTheyWereCutShort() throws Exception {
        created("orders");
        org.sluice.runtime.FakeLauncher.Fake instance = managed.launcher.alive("orders").getFirst();
        long start = java.time.Instant.parse("2026-12-03T04:09:08Z").toEpochMilli();
        instance.emit(new org.sluice.runtime.InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(start,
                org.sluice.throttle.ThrottleState.NORMAL, org.sluice.throttle.ThrottleState.THROTTLED,
                java.util.Set.of(org.sluice.throttle.Cause.MEMORY), java.util.Optional.empty())));
        instance.emit(new org.sluice.runtime.InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(start + 1_500,
                org.sluice.throttle.ThrottleState.THROTTLED, org.sluice.throttle.ThrottleState.THROTTLED,
                java.util.EnumSet.of(org.sluice.throttle.Cause.MEMORY, org.sluice.throttle.Cause.CONCURRENCY), java.util.Optional.empty())));
        instance.crash(137);

        JsonNode restarts = json(ctl("operations", "--operation", "instancerestart", "--output", "json"));
        assertThat(restarts).singleElement().satisfies(r -> assertThat(r.path("issuer").asText()).isEqualTo("host"));
        ended(restarts.get(0).path("requestId").asText());
        CommandLineRun log = ctl("operations", "--service", "orders");
        assertThat(log.out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .matches("STARTED +SERVICE +OPERATION +STATUS +ISSUER +REQUEST +DETAIL +ERROR"));
        assertThat(log.out()).contains("InstanceRestart  Succeeded  host")
                .contains("instance " + instance.index() + ": signal 9 (exit status 137), crash 1 in a row");
        assertThat(ctl("operation", restarts.get(0).path("requestId").asText()).out())
                .contains("instance " + instance.index() + ": signal 9 (exit status 137), crash 1 in a row");

        CommandLineRun episodes = ctl("episodes", "orders", "--from", "2000-01-01T00:00:00Z");
        assertThat(episodes.out().lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                .matches("INSTANCE +STARTED +ENDED +CUT SHORT +CAUSES +CAUSE HISTORY"));
        assertThat(episodes.out()).contains("2026-12-03T04:09:08Z").contains("  yes  ")
                .contains("Memory, +1.5 s Memory+Concurrency");
    }

    @Test
    void everyOperationRunsThroughCtl() throws Exception {
        created("orders");
        for (String op : List.of("restart", "suspend", "resume", "serviceupdate", "backup", "stop", "start")) {
            CommandLineRun run = ctl(op, "orders", "--wait");
            assertThat(run.status()).as(op + ": " + run.err()).isZero();
        }
        assertThat(ctl("scale", "orders", "3", "--wait").status()).isZero();
        assertThat(managed.launcher.alive("orders")).hasSize(3);
        ObjectNode changed = definition("orders").put("units", 3).put("memoryMb", 512);
        assertThat(ctl("update", "orders", definitionFile(changed).toString(), "--wait").status()).isZero();
        assertThat(managed.client().get("/services/orders/definition").body().path("memoryMb").asInt()).isEqualTo(512);

        JsonNode backups = json(ctl("backups", "orders", "--output", "json"));
        assertThat(backups).hasSize(1);
        String backupId = backups.get(0).path("id").asText();
        assertThat(ctl("backups", "orders").out()).contains(backupId + "  ");
        CommandLineRun restored = ctl("restore", backupId, "orders-copy", "--wait");
        assertThat(restored.out()).startsWith("orders-copy: Restore succeeded");

        CommandLineRun disabled = ctl("disable-account", "--wait");
        assertThat(disabled.status()).as(disabled.err()).isZero();
        assertThat(disabled.out().lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains(": Disable succeeded"));
        CommandLineRun enabled = ctl("enable-account");
        assertThat(enabled.out().lines()).hasSize(2);
        for (String requestId : enabled.out().lines().toList()) {
            assertThat(ended(requestId).path("status").asText()).isEqualTo("Succeeded");
        }

        assertThat(ctl("delete", "orders-copy", "--wait").status()).isZero();
        assertThat(ctl("show", "orders-copy").status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        CommandLineRun episodes = ctl("episodes", "orders", "--from", "2000-01-01T00:00:00Z");
        assertThat(episodes.status()).isZero();
        assertThat(episodes.out()).startsWith("INSTANCE  STARTED  ENDED  CUT SHORT  CAUSES  CAUSE HISTORY");
    }

    @Test
    void logsPrintsWhatAnInstanceWroteAndThePreviousRunsOnAsk() throws Exception {
        assertThat(ctl("create", definitionFile(definition("orders")).toString(), "--wait").status()).isZero();
        managed.launcher.writeLog("orders", 1, "first run\n");
        managed.launcher.newRun("orders", 1);
        managed.launcher.writeLog("orders", 1, "listening\nready\n");

        CommandLineRun logs = ctl("logs", "orders", "1");
        assertThat(logs.status()).as(logs.err()).isZero();
        assertThat(logs.out()).isEqualTo("listening\nready\n");
        assertThat(ctl("logs", "orders", "1", "--previous").out()).isEqualTo("first run\n");
        CommandLineRun json = ctl("--output", "json", "logs", "orders", "1");
        assertThat(ApiJson.MAPPER.readTree(json.out()).path("next").asLong()).isEqualTo(16);

        CommandLineRun nowhere = ctl("logs", "orders", "9");
        assertThat(nowhere.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(nowhere.err()).contains("numbered from 0 to 7");
    }

    @Test
    void bundleWritesTheIncidentBundleOfAServiceForARangeOrTheLastMinutes() throws Exception {
        created("orders");
        long now = System.currentTimeMillis();
        org.sluice.runtime.FakeLauncher.Fake instance = managed.launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow();
        instance.emit(new org.sluice.runtime.InstanceEvent.Sampled(new org.sluice.throttle.InstanceSample(now - 1_000, 42.5, 7, 2, 0, 0, 0, 0, 0, 0)));
        Path out = temp.resolve("orders-incident.zip");

        CommandLineRun bundle = ctl("bundle", "orders", "--instance", "1", "--from", ApiJson.time(now - 60_000), "--to", ApiJson.time(now),
                "--out", out.toString());

        assertThat(bundle.status()).as(bundle.err()).isZero();
        assertThat(bundle.out()).contains(out.toString());
        java.util.Map<String, String> entries = org.sluice.fleet.bundle.IncidentBundleTest.entries(out);
        assertThat(entries.get("samples/instance-1.csv")).isEqualTo("time_ms,memory_percent,concurrent_messages,cores\n" + (now - 1_000) + ",42.5,7,2\n");
        assertThat(entries).doesNotContainKey("samples/instance-0.csv");
        assertThat(entries.get("README.txt")).contains("orders").contains(managed.url().toString()).contains("console");

        Path last = temp.resolve("last.zip");
        assertThat(ctl("bundle", "orders", "--last", "10m", "--out", last.toString()).status()).isZero();
        assertThat(org.sluice.fleet.bundle.IncidentBundleTest.entries(last)).containsKey("samples/instance-1.csv");
    }

    @Test
    void bundleOfAnEpisodeNamedByItsInstanceAndStartAsEpisodesListsThemCoversTheEpisodeWithAMinuteEitherSide() throws Exception {
        created("orders");
        long start = System.currentTimeMillis() - 20_000;
        org.sluice.runtime.FakeLauncher.Fake instance = managed.launcher.alive("orders").stream().filter(f -> f.index() == 1).findFirst().orElseThrow();
        instance.emit(new org.sluice.runtime.InstanceEvent.Sampled(new org.sluice.throttle.InstanceSample(start + 500, 75.0, 7, 2, 0, 0, 0, 0, 0, 0)));
        instance.emit(new org.sluice.runtime.InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(start,
                org.sluice.throttle.ThrottleState.NORMAL, org.sluice.throttle.ThrottleState.THROTTLED,
                java.util.Set.of(org.sluice.throttle.Cause.MEMORY), java.util.Optional.empty())));
        instance.emit(new org.sluice.runtime.InstanceEvent.EpisodeEnded(new org.sluice.throttle.ThrottleEpisode(start,
                java.util.OptionalLong.of(start + 1_000), java.util.Set.of(org.sluice.throttle.Cause.MEMORY))));
        instance.emit(new org.sluice.runtime.InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(start + 1_000,
                org.sluice.throttle.ThrottleState.THROTTLED, org.sluice.throttle.ThrottleState.NORMAL, java.util.Set.of(), java.util.Optional.empty())));
        String listed = ctl("episodes", "orders").out();
        assertThat(listed).contains(ApiJson.time(start));
        Path out = temp.resolve("episode.zip");

        CommandLineRun bundle = ctl("bundle", "orders", "--episode", "1@" + ApiJson.time(start), "--out", out.toString());

        assertThat(bundle.status()).as(bundle.err()).isZero();
        java.util.Map<String, String> entries = org.sluice.fleet.bundle.IncidentBundleTest.entries(out);
        assertThat(entries.get("README.txt")).contains("Instances: 1\n").contains("Range:     " + ApiJson.time(start - 60_000) + " to ")
                .contains("Episode:   instance 1, from " + ApiJson.time(start) + " to " + ApiJson.time(start + 1_000))
                .contains("Charts").contains("console");
        assertThat(entries.get("samples/instance-1.csv")).contains((start + 500) + ",75.0,7,2");
        assertThat(entries).doesNotContainKey("samples/instance-0.csv");

        CommandLineRun unknown = ctl("bundle", "orders", "--episode", "1@" + ApiJson.time(start + 1), "--out", out.toString());
        assertThat(unknown.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(unknown.err()).contains("Instance 1 of orders").contains(ApiJson.time(start + 1)).contains("sluice ctl episodes orders");
        CommandLineRun malformed = ctl("bundle", "orders", "--episode", "yesterday", "--out", out.toString());
        assertThat(malformed.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(malformed.err()).contains("yesterday").contains("INSTANCE@START");
        CommandLineRun both = ctl("bundle", "orders", "--episode", "1@" + ApiJson.time(start), "--last", "5m", "--out", out.toString());
        assertThat(both.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(both.err()).contains("--episode");
    }

    @Test
    void bundleSaysWhatIsWrongWithItsRequestAndLeavesNoFile() throws Exception {
        created("orders");
        Path out = temp.resolve("b.zip");

        CommandLineRun nowhere = ctl("bundle", "nowhere", "--out", out.toString());
        assertThat(nowhere.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(nowhere.err()).contains("No service named nowhere");

        Path missing = temp.resolve("missing");
        CommandLineRun unwritable = ctl("bundle", "orders", "--out", missing.resolve("b.zip").toString());
        assertThat(unwritable.status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);
        assertThat(unwritable.err()).contains(missing.toString()).contains("--out");

        CommandLineRun both = ctl("bundle", "orders", "--last", "5m", "--from", "2026-01-01T00:00:00Z", "--out", out.toString());
        assertThat(both.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(both.err()).contains("--last").contains("--from");
        CommandLineRun soon = ctl("bundle", "orders", "--last", "soon", "--out", out.toString());
        assertThat(soon.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(soon.err()).contains("soon").contains("15m");
        CommandLineRun yesterday = ctl("bundle", "orders", "--from", "yesterday", "--out", out.toString());
        assertThat(yesterday.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(yesterday.err()).contains("yesterday").contains("2026-01-31T08:00:00Z");
        CommandLineRun backwards = ctl("bundle", "orders", "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z",
                "--out", out.toString());
        assertThat(backwards.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(ctl("bundle", "orders", "--instance", "9", "--out", out.toString()).status()).isEqualTo(CtlCommand.NOT_FOUND_OR_INVALID);

        assertThat(out).doesNotExist();
        try (java.util.stream.Stream<Path> left = Files.list(temp)) {
            assertThat(left).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
        }
    }

    @Test
    void followingALogPrintsNewLinesOnceASecondAndSaysWhenTheInstanceStartedAgain() throws Exception {
        assertThat(ctl("create", definitionFile(definition("orders")).toString(), "--wait").status()).isZero();
        managed.launcher.writeLog("orders", 1, "one\n");
        java.io.StringWriter printed = new java.io.StringWriter();
        var client = managed.client();
        List<String> seenBeforePause = new ArrayList<>();
        LogFollower[] follower = new LogFollower[1];
        // Each pause is one second in the command; here it is where the instance writes, restarts, or the user stops.
        List<LogFollower.Pause> script = List.of(
                () -> managed.launcher.writeLog("orders", 1, "two\n"),
                () -> {
                    // The end of the first run, written after the last read, then a new run.
                    managed.launcher.writeLog("orders", 1, "three\n");
                    managed.launcher.newRun("orders", 1);
                    managed.launcher.writeLog("orders", 1, "a\n");
                },
                () -> follower[0].stop());
        int[] pauses = {0};
        follower[0] = new LogFollower((offset, previous) -> client.get("/services/orders/instances/1/log?run="
                + (previous ? "previous" : "current") + (offset >= 0 ? "&offset=" + offset : "")).body(), () -> {
            seenBeforePause.add(printed.toString());
            script.get(pauses[0]++).await();
        }, new java.io.PrintWriter(printed, true));

        follower[0].run();

        assertThat(seenBeforePause).containsExactly("one\n", "one\ntwo\n",
                "one\ntwo\nthree\n" + Messages.get("ctl.log.startedAgain") + "\na\n");
        assertThat(printed.toString()).endsWith("a\n");
        assertThat(pauses[0]).as("no read after the stop").isEqualTo(3);
        CommandLineRun both = ctl("logs", "orders", "1", "--follow", "--previous");
        assertThat(both.status()).isEqualTo(CtlCommand.USAGE);
        assertThat(both.err()).contains("--follow", "--previous");
    }

    @Test
    void followingALogKnowsANewRunAlreadyLongerThanTheOldOneByItsIdentity() throws Exception {
        assertThat(ctl("create", definitionFile(definition("orders")).toString(), "--wait").status()).isZero();
        managed.launcher.newRun("orders", 1);
        managed.launcher.writeLog("orders", 1, "one\n");
        java.io.StringWriter printed = new java.io.StringWriter();
        var client = managed.client();
        LogFollower[] follower = new LogFollower[1];
        int[] pauses = {0};
        follower[0] = new LogFollower((offset, previous) -> client.get("/services/orders/instances/1/log?run="
                + (previous ? "previous" : "current") + (offset >= 0 ? "&offset=" + offset : "")).body(), () -> {
            if (pauses[0]++ == 0) {
                // Between two reads the instance starts again and writes more than the whole old run.
                managed.launcher.newRun("orders", 1);
                managed.launcher.writeLog("orders", 1, "listening on 7070\n");
            } else {
                follower[0].stop();
            }
        }, new java.io.PrintWriter(printed, true));

        follower[0].run();

        assertThat(printed.toString()).isEqualTo("one\n" + Messages.get("ctl.log.startedAgain") + "\nlistening on 7070\n");
    }

    @Test
    void theHelpListsTheExitStatusesInEnglishAndKorean() {
        assertThat(CommandLineRun.run("--help").out()).contains("ctl ");
        String help = CommandLineRun.run("ctl", "--help").out();
        assertThat(help).startsWith("Usage: sluice ctl").contains("Exit status:")
                .contains("  3   refused (409): Operation not allowed", "  7   not signed in (401)");
        assertThat(CommandLineRun.run("ctl", "stop", "--help").out()).contains("--wait", "Exit status:", "  4   with --wait");

        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.KOREA);
        try {
            assertThat(CommandLineRun.run("ctl", "scale", "--help").out()).startsWith("사용법: sluice ctl scale")
                    .contains("종료 상태:", "서비스의 유닛 수를 바꿉니다.");
            assertThat(CommandLineRun.run("ctl", "--data", temp.resolve("empty").toString(), "list").err())
                    .contains("을(를) 쓴 호스트가 없습니다.");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void hostSaysWhetherTheEngineIsAvailableSinceWhenAndWhyAndItsJsonIsTheApis() throws Exception {
        CommandLineRun local = ctl("host");
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(local.out().lines()).containsExactly("engine:     local", "available:  yes");

        managed.launcher.engine(org.sluice.lifecycle.EngineStatus.unavailable(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES,
                "The Kubernetes API server could not be reached: check --kubeconfig", 1_700_000_000_000L));
        CommandLineRun down = ctl("host");
        assertThat(down.status()).as(down.err()).isZero();
        assertThat(down.out().lines()).containsExactly("engine:     kubernetes", "available:  no", "since:      2023-11-14T22:13:20Z",
                "reason:     The Kubernetes API server could not be reached: check --kubeconfig");

        CommandLineRun json = ctl("host", "--output", "json");
        assertThat(json.status()).isZero();
        assertThat(json(json)).isEqualTo(managed.client().get("/host").body());
    }
}
