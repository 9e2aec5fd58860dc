package org.sluice.fleet.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLContext;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceExistsException;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.UnknownBackupException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.definition.DefinitionJson;
import org.sluice.runtime.definition.DefinitionJsonException;
import org.sluice.throttle.SampleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The management API of a host: its fleet over HTTPS, for administrators outside its process
 * (the console on another desktop, {@code sluice ctl}, scripts). The contract is
 * {@code MANAGEMENT-API.md}; the document {@code GET /api/v1/openapi.json} describes it in full.
 *
 * <p>Every request but the health check signs in with HTTP Basic as an issuer and one of its
 * keys; the operations an issuer asks for are logged under its name. Commands go through the same
 * {@link Fleet} as the console's, so the state chart refuses an operation here exactly as it does
 * there. Every error has one shape, {@code {"error": …}}, never a stack trace or a page.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    /** Where every resource lives. */
    public static final String API = "/api/v1";
    /** The largest request body taken, 1 MiB. */
    public static final int MAX_BODY = 1 << 20;
    /** How much of a body over {@link #MAX_BODY} is read and dropped so that the client gets its 413. */
    private static final long MAX_DISCARDED = 16L * MAX_BODY;
    /** Where Prometheus scrapes the host's metrics, beside the API rather than under it, as scrapers expect. */
    public static final String METRICS = "/metrics";
    /** The Prometheus text format, version 0.0.4. */
    private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The realm named in {@code WWW-Authenticate}. */
    public static final String REALM = "sluice";
    private static final String JSON = "application/json; charset=utf-8";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;
    private static final List<String> SERVICE_OPERATIONS = List.of("start", "stop", "restart", "suspend", "resume",
            "backup", "serviceupdate");

    /** Checks an issuer's key. */
    @FunctionalInterface
    public interface Authenticator {
        boolean accepts(String issuer, String key);
    }

    /** Writes the host's metrics, as {@code GET /metrics} serves them, in the Prometheus text format. */
    @FunctionalInterface
    public interface Metrics {
        void write(OutputStream out) throws IOException;
    }

    /** Waits, in the thread that answers a request; tests record the waits instead. */
    @FunctionalInterface
    public interface Pause {
        void pause(long ms) throws InterruptedException;
    }

    /**
     * @param maxStreams           event streams open at once, in all
     * @param maxStreamsPerAddress event streams open at once from one address
     * @param streamQueue          events queued for one stream before its client counts as not keeping up (samples
     *                             of an instance replace each other once it is half full)
     * @param keepAlive            how often an idle stream gets a comment line; it is also how soon the host
     *                             notices a client that went away (the JDK's server tells of it only
     *                             when a write fails), and so frees its place among the streams; a client
     *                             that takes no event for {@value ManagementServer#STALLED_KEEP_ALIVES} of them while
     *                             events wait is dropped
     * @param firstFailurePause    the wait before answering the second failed sign-in in a row; it doubles after
     * @param maxFailurePause      the longest such wait
     * @param pause                how waits are made
     * @param clock                epoch milliseconds, for forgetting old failures
     */
    public record Settings(int maxStreams, int maxStreamsPerAddress, int streamQueue, Duration keepAlive,
                           Duration firstFailurePause, Duration maxFailurePause, Pause pause, LongSupplier clock) {
        public static Settings defaults() {
            return new Settings(64, 16, 4_096, Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(5),
                    Thread::sleep, System::currentTimeMillis);
        }

        public Settings withPause(Pause other) {
            return new Settings(maxStreams, maxStreamsPerAddress, streamQueue, keepAlive, firstFailurePause,
                    maxFailurePause, other, clock);
        }

        public Settings withStreams(int max, int perAddress, int queue, Duration idle) {
            return new Settings(max, perAddress, queue, idle, firstFailurePause, maxFailurePause, pause, clock);
        }
    }

    private final HttpsServer server;
    private final ExecutorService workers;
    private final Authenticator authenticator;
    private final Function<String, Fleet> fleetFor;
    private final Fleet reader;
    private final String version;
    private final Settings settings;
    /** Keep-alive periods a client may take no event while events wait for it, before its stream is dropped. */
    static final int STALLED_KEEP_ALIVES = 4;

    private final EventStreams streams;
    private final Subscription events;
    private final Metrics metrics;
    private final FailedAttempts failures;
    private final AtomicReference<ServiceList> serviceList = new AtomicReference<>();

    private ManagementServer(HttpsServer server, ExecutorService workers, Authenticator authenticator,
                             Function<String, Fleet> fleetFor, String version, Settings settings, Metrics metrics) {
        this.server = server;
        this.metrics = metrics;
        this.workers = workers;
        this.authenticator = authenticator;
        this.fleetFor = fleetFor;
        this.reader = fleetFor.apply("reader");
        this.version = version;
        this.settings = settings;
        this.streams = new EventStreams(settings.maxStreams(), settings.maxStreamsPerAddress(), settings.streamQueue(),
                STALLED_KEEP_ALIVES * settings.keepAlive().toMillis(), settings.clock());
        this.events = reader.subscribe(streams);
        this.failures = new FailedAttempts(settings.firstFailurePause(), settings.maxFailurePause(), settings.clock());
    }

    /**
     * Opens the listener and starts answering.
     *
     * @param address       where to listen
     * @param tls           the host's certificate and key
     * @param authenticator checks issuers' keys
     * @param fleetFor      the fleet that acts for an issuer, logging its operations under that name; reads
     *                      and the event stream use any of them
     * @param version       what the health check reports
     */
    public static ManagementServer start(InetSocketAddress address, SSLContext tls, Authenticator authenticator,
                                         Function<String, Fleet> fleetFor, String version, Settings settings) throws IOException {
        return start(address, tls, authenticator, fleetFor, version, settings, null);
    }

    /**
     * Opens the listener and starts answering, {@code GET /metrics} included.
     *
     * @param metrics what {@code GET /metrics} serves; null for a listener that serves no metrics
     */
    public static ManagementServer start(InetSocketAddress address, SSLContext tls, Authenticator authenticator,
                                         Function<String, Fleet> fleetFor, String version, Settings settings,
                                         Metrics metrics) throws IOException {
        HttpsServer https = HttpsServer.create(address, 64);
        InetSocketAddress bound = https.getAddress();
        https.setHttpsConfigurator(new HttpsConfigurator(PlainHttpAnswer.context(tls, authority(bound), bound.getPort())));
        ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sluice-manage-", 1).factory());
        https.setExecutor(workers);
        ManagementServer management = new ManagementServer(https, workers, Objects.requireNonNull(authenticator),
                Objects.requireNonNull(fleetFor), version, settings, metrics);
        https.createContext("/", management::handle);
        https.start();
        return management;
    }

    /**
     * The listener's address as it goes in a URL, for telling a plain-HTTP client where to go;
     * null when it listens on every address, and so has none to tell.
     */
    private static String authority(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address.isAnyLocalAddress()) {
            return null;
        }
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        text = zone < 0 ? text : text.substring(0, zone);
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Event streams open now. */
    int openStreams() {
        return streams.openCount();
    }

    /** Waits until at most {@code count} event streams are open; whether that happened within the time. */
    boolean awaitOpenStreams(int count, Duration within) throws InterruptedException {
        return streams.awaitAtMost(count, within.toMillis());
    }

    @Override
    public void close() {
        events.close();
        streams.dropAll();
        server.stop(0);
        // Requests under way finish (a command is accepted or refused whole) before the host behind them closes.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // Requests

    /**
     * An answer to send: a status, a JSON body (as a tree, or already written; {@code null} for
     * none) and any extra headers.
     */
    private record Answer(int status, JsonNode body, byte[] written, Map<String, String> headers) {
        Answer(int status, JsonNode body, Map<String, String> headers) {
            this(status, body, null, headers);
        }

        Answer(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /**
     * The answer to {@code GET /services} last written, kept for as long as the services are the
     * same: 100 administrators polling then cost the host one snapshot and one comparison each,
     * not a JSON document each.
     *
     * @param tag its entity tag, a hash of the JSON, so that the same list has the same tag in
     *            every listener and after a restart
     */
    private record ServiceList(List<ServiceSnapshot> services, byte[] json, String tag) {
    }

    /** A request that cannot be served; becomes an error answer. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Answer answer;

        Refused(int status, ObjectNode body) {
            this(status, body, Map.of());
        }

        Refused(int status, ObjectNode body, Map<String, String> headers) {
            super(body.path("error").asText(), null, false, false);
            this.answer = new Answer(status, body, headers);
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Answer answer;
            try {
                answer = route(exchange);
            } catch (Refused refused) {
                answer = refused.answer;
            } catch (OperationNotAllowedException e) {
                ObjectNode body = ApiJson.error(OperationNotAllowedException.MESSAGE);
                body.put("state", e.state().chartName());
                body.put("operation", e.operation().chartName());
                answer = new Answer(409, body);
            } catch (UnknownServiceException e) {
                answer = new Answer(404, notFound("service", "service", e.service()));
            } catch (UnknownBackupException e) {
                answer = new Answer(404, notFound("backup", "backup", e.backupId()));
            } catch (ServiceExistsException e) {
                ObjectNode body = ApiJson.error(e.getMessage());
                body.put("service", e.service());
                answer = new Answer(409, body);
            } catch (InvalidDefinitionException e) {
                answer = new Answer(400, invalidDefinition(e.problems()));
            } catch (IllegalArgumentException e) {
                answer = new Answer(400, ApiJson.error(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                LOG.debug("A management client went away: {}", e.toString());
                return;
            } catch (RuntimeException e) {
                LOG.error("Management request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                answer = new Answer(500, ApiJson.error("The host could not answer this request; its log has the details"));
            }
            if (answer != null) {
                send(exchange, answer);
            }
        } catch (IOException e) {
            LOG.debug("A management client went away before its answer: {}", e.toString());
        }
    }

    /** Serves one request; {@code null} when it has answered itself (the event stream). */
    private Answer route(HttpExchange exchange) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals(API + "/health")) {
            allow(method, "GET");
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.put("status", "ok");
            body.put("version", version);
            return new Answer(200, body);
        }
        if (path.equals(METRICS) && metrics != null) {
            signIn(exchange);
            allow(method, "GET");
            serveMetrics(exchange);
            return null;
        }
        if (!path.equals(API) && !path.startsWith(API + "/")) {
            throw new Refused(404, ApiJson.error("Nothing is here; the management API lives under " + API + "/"));
        }
        String issuer = signIn(exchange);
        Fleet fleet = fleetFor.apply(issuer);
        List<String> parts = segments(path.substring(API.length()));
        Map<String, String> query = query(exchange.getRequestURI());
        String first = parts.isEmpty() ? "" : parts.get(0);
        return switch (first) {
            case "services" -> services(exchange, fleet, parts, query);
            case "backups" -> {
                if (parts.size() != 3 || !parts.get(2).equals("restore")) {
                    throw noSuchResource();
                }
                allow(method, "POST");
                JsonNode body = jsonBody(exchange);
                String name = requiredText(body, "name");
                yield accepted(fleet.restore(parts.get(1), name));
            }
            case "account" -> {
                if (parts.size() != 2 || !(parts.get(1).equals("disable") || parts.get(1).equals("enable"))) {
                    throw noSuchResource();
                }
                allow(method, "POST");
                List<OperationTicket> tickets = parts.get(1).equals("disable") ? fleet.disableAccount() : fleet.enableAccount();
                ObjectNode body = ApiJson.MAPPER.createObjectNode();
                ArrayNode accepted = body.putArray("operations");
                tickets.forEach(t -> accepted.add(ticket(t)));
                yield new Answer(202, body);
            }
            case "operations" -> operations(exchange, fleet, parts, query);
            case "events" -> {
                if (parts.size() != 1) {
                    throw noSuchResource();
                }
                allow(method, "GET");
                stream(exchange, fleet, issuer);
                yield null;
            }
            case "host" -> {
                if (parts.size() != 1) {
                    throw noSuchResource();
                }
                allow(method, "GET");
                yield new Answer(200, ApiJson.host(fleet.snapshot().engines().getOrDefault(ServiceSnapshot.THIS_HOST, EngineStatus.LOCAL)));
            }
            case "openapi.json" -> {
                allow(method, "GET");
                yield new Answer(200, OpenApiDocument.read());
            }
            default -> throw noSuchResource();
        };
    }

    private Answer services(HttpExchange exchange, Fleet fleet, List<String> parts, Map<String, String> query)
            throws IOException {
        String method = exchange.getRequestMethod();
        if (parts.size() == 1) {
            allow(method, "GET", "POST");
            if (method.equals("GET")) {
                return serviceList(fleet.snapshot().services(), exchange.getRequestHeaders().get("If-None-Match"));
            }
            return accepted(fleet.create(definitionBody(exchange)));
        }
        String name = parts.get(1);
        if (parts.size() == 2) {
            allow(method, "GET", "DELETE");
            if (method.equals("GET")) {
                return new Answer(200, ApiJson.service(find(fleet.snapshot(), name)));
            }
            return accepted(fleet.perform(name, Operation.DELETE));
        }
        if (parts.size() == 5 && parts.get(2).equals("instances") && parts.get(4).equals("log")) {
            allow(method, "GET");
            return instanceLog(fleet, name, parts.get(3), query);
        }
        if (parts.size() == 5 && parts.get(2).equals("instances") && parts.get(4).equals("samples")) {
            allow(method, "GET");
            return samples(fleet, name, parts.get(3), query);
        }
        if (parts.size() != 3) {
            throw noSuchResource();
        }
        String what = parts.get(2);
        if (SERVICE_OPERATIONS.contains(what)) {
            allow(method, "POST");
            return accepted(fleet.perform(name, operationOf(what)));
        }
        return switch (what) {
            case "units" -> {
                allow(method, "PUT");
                JsonNode units = jsonBody(exchange).path("units");
                if (!units.isInt()) {
                    throw new Refused(400, ApiJson.error("The body must be {\"units\": N} with N a whole number from "
                            + ServiceDefinition.MIN_UNITS + " to " + ServiceDefinition.MAX_UNITS));
                }
                yield accepted(fleet.scale(name, units.asInt()));
            }
            case "definition" -> {
                allow(method, "PUT", "GET");
                if (method.equals("GET")) {
                    yield new Answer(200, ApiJson.definition(find(fleet.snapshot(), name).definition()));
                }
                ServiceDefinition definition = definitionBody(exchange);
                if (!definition.problems().isEmpty()) {
                    throw new InvalidDefinitionException(definition.problems());
                }
                yield accepted(fleet.updateConfiguration(name, definition));
            }
            case "episodes" -> {
                allow(method, "GET");
                find(fleet.snapshot(), name);
                long to = timeParameter(query, "to", settings.clock().getAsLong() + 1);
                long from = timeParameter(query, "from", to - Duration.ofDays(1).toMillis());
                rangeInOrder("episodes", from, to);
                ArrayNode array = ApiJson.MAPPER.createArrayNode();
                fleet.episodes(name, from, to).forEach(e -> array.add(ApiJson.episode(e)));
                yield new Answer(200, array);
            }
            case "backups" -> {
                allow(method, "GET");
                find(fleet.snapshot(), name);
                ArrayNode array = ApiJson.MAPPER.createArrayNode();
                fleet.backups(name).forEach(b -> array.add(ApiJson.backup(b)));
                yield new Answer(200, array);
            }
            default -> throw noSuchResource();
        };
    }

    /**
     * The list of services, written again only when it differs from the one last written. A
     * client that names the current tag in {@code If-None-Match} gets {@code 304} without a body.
     * The comparison is with the services themselves, taken now, so that no change waits for an
     * event to reach the listener: a change is in the very next answer.
     */
    private Answer serviceList(List<ServiceSnapshot> services, List<String> ifNoneMatch) throws JsonProcessingException {
        ServiceList list = serviceList.get();
        if (list == null || !list.services().equals(services)) {
            byte[] json = ApiJson.MAPPER.writeValueAsBytes(ApiJson.services(services));
            list = new ServiceList(services, json, entityTag(json));
            // Two requests racing here write the same list twice at worst; either result is right.
            serviceList.set(list);
        }
        Map<String, String> tag = Map.of("ETag", list.tag());
        return matches(ifNoneMatch, list.tag()) ? new Answer(304, null, null, tag) : new Answer(200, null, list.json(), tag);
    }

    /** A strong entity tag for {@code json}: 128 bits of its SHA-256, quoted. */
    private static String entityTag(byte[] json) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code If-None-Match} names {@code tag}: {@code *}, or one of its tags, weak or not (RFC 9110, 13.1.2). */
    private static boolean matches(List<String> ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String header : ifNoneMatch) {
            for (String candidate : header.split(",")) {
                String t = candidate.strip();
                if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A piece of an instance's log. The file is found by the host from the service and the
     * instance number alone, so nothing in the request names a path; a piece is at most
     * {@link InstanceLog#MAX_BYTES}.
     */
    private static Answer instanceLog(Fleet fleet, String name, String index, Map<String, String> query) {
        int instance = instanceNumber(index);
        long offset = query.containsKey("offset") ? wholeNumber(query.get("offset"), "offset", 0, Long.MAX_VALUE) : -1;
        int limit = (int) (query.containsKey("limit") ? wholeNumber(query.get("limit"), "limit", 1, InstanceLog.MAX_BYTES)
                : InstanceLog.MAX_BYTES);
        InstanceLog.Run run = switch (query.getOrDefault("run", "current")) {
            case "current" -> InstanceLog.Run.CURRENT;
            case "previous" -> InstanceLog.Run.PREVIOUS;
            default -> throw new Refused(400, parameterError("run", "current or previous"));
        };
        return new Answer(200, ApiJson.instanceLog(fleet.instanceLog(name, instance, run, offset, limit)));
    }

    /** An instance number from the path; 404 for one no instance can have. */
    private static int instanceNumber(String index) {
        int instance;
        try {
            instance = Integer.parseInt(index);
        } catch (NumberFormatException e) {
            instance = -1;
        }
        if (instance < 0 || instance >= ServiceDefinition.MAX_UNITS) {
            throw new Refused(404, ApiJson.error("No instance '" + index + "': instances are numbered from 0 to "
                    + (ServiceDefinition.MAX_UNITS - 1)));
        }
        return instance;
    }

    /**
     * The samples an instance took in a range, oldest first: by default the hour up to now. One
     * answer holds at most what the host keeps of an instance, {@link SampleWindow#MAX_SAMPLES}.
     */
    private Answer samples(Fleet fleet, String name, String index, Map<String, String> query) {
        int instance = instanceNumber(index);
        long to = timeParameter(query, "to", settings.clock().getAsLong());
        long from = timeParameter(query, "from", to - Duration.ofHours(1).toMillis());
        rangeInOrder("samples", from, to);
        return new Answer(200, ApiJson.sampleWindow(fleet.samples(name, instance, from, to)));
    }

    private static long wholeNumber(String text, String name, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            n = min - 1;
        }
        if (n < min || n > max) {
            throw new Refused(400, parameterError(name, "a whole number from " + min + " to " + max));
        }
        return n;
    }

    private Answer operations(HttpExchange exchange, Fleet fleet, List<String> parts, Map<String, String> query) {
        allow(exchange.getRequestMethod(), "GET");
        if (parts.size() == 2) {
            String id = parts.get(1);
            OperationRecord record = fleet.operation(id).orElseThrow(() -> new Refused(404, notFound("operation", "requestId", id)));
            return new Answer(200, ApiJson.operation(record));
        }
        if (parts.size() != 1) {
            throw noSuchResource();
        }
        OperationQuery filter = OperationQuery.all(DEFAULT_LIMIT);
        if (query.containsKey("limit")) {
            filter = filter.withLimit((int) wholeNumber(query.get("limit"), "limit", 1, MAX_LIMIT));
        }
        if (query.containsKey("service")) {
            filter = filter.forService(query.get("service"));
        }
        if (query.containsKey("operation")) {
            String op = query.get("operation");
            filter = filter.withOperation(Operation.fromChartName(op)
                    .orElseThrow(() -> new Refused(400, parameterError("operation", "an operation of the chart, such as Start"))));
        }
        if (query.containsKey("outcome")) {
            try {
                filter = filter.withOutcome(ApiJson.outcome(query.get("outcome")));
            } catch (IllegalArgumentException e) {
                throw new Refused(400, parameterError("outcome", "Running, Succeeded, Failed or Interrupted"));
            }
        }
        if (query.containsKey("from") || query.containsKey("to")) {
            long to = timeParameter(query, "to", Long.MAX_VALUE);
            long from = timeParameter(query, "from", 0);
            rangeInOrder("operations", from, to);
            filter = filter.withRange(from, to);
        }
        return new Answer(200, ApiJson.operations(fleet.operations(filter)));
    }

    // The event stream

    private void stream(HttpExchange exchange, Fleet fleet, String issuer) throws IOException, InterruptedException {
        String address = exchange.getRemoteAddress().getAddress().getHostAddress();
        Object opened = streams.open(address, issuer);
        if (!(opened instanceof EventStreams.Stream stream)) {
            String why = opened == EventStreams.Refusal.TOO_MANY_FROM_ADDRESS
                    ? "This address has " + streams.maxPerAddress() + " event streams open for other issuers, the most it may; close one first"
                    : "The host has " + streams.maxStreams() + " event streams open, the most it serves; try again later";
            send(exchange, new Answer(429, ApiJson.error(why), Map.of("Retry-After", "5")));
            return;
        }
        stream.writtenBy(Thread.currentThread());
        try (stream) {
            // Events queue from the moment the stream opened, so none falls between the snapshot and them.
            FleetSnapshot snapshot = fleet.snapshot();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(EventStreams.format("snapshot", ApiJson.snapshot(snapshot)));
            out.flush();
            long idleMs = settings.keepAlive().toMillis();
            // The key the stream was opened with is asked about again now and then: a key rolled
            // while a client follows the host ends its stream within a keep-alive, and the client
            // hears 401 when it comes back.
            String[] credentials = basic(exchange.getRequestHeaders().getFirst("Authorization")).orElseThrow();
            long checkedAt = System.nanoTime();
            while (!stream.dropped()) {
                byte[] event = stream.next(idleMs);
                if (System.nanoTime() - checkedAt > 1_000_000_000L) {
                    checkedAt = System.nanoTime();
                    if (!authenticator.accepts(credentials[0], credentials[1])) {
                        LOG.info("Ended the event stream of {}: its key no longer works", address);
                        return;
                    }
                }
                out.write(event == null ? EventStreams.KEEP_ALIVE : event);
                if (event == null || stream.nextIsEmpty()) {
                    out.flush();
                }
            }
            LOG.info("Ended the event stream of {}: {}", address, stream.why());
        } catch (InterruptedException | IOException e) {
            if (stream.dropped()) {
                LOG.info("Ended the event stream of {}: {}", address, stream.why());
            } else {
                throw e;
            }
        }
    }

    // Sign-in

    private String signIn(HttpExchange exchange) throws InterruptedException {
        String address = exchange.getRemoteAddress().getAddress().getHostAddress();
        Optional<String[]> credentials = basic(exchange.getRequestHeaders().getFirst("Authorization"));
        if (credentials.isPresent() && authenticator.accepts(credentials.get()[0], credentials.get()[1])) {
            failures.succeeded(address);
            return credentials.get()[0];
        }
        long wait = failures.failed(address);
        if (wait > 0) {
            settings.pause().pause(wait);
        }
        String why = credentials.isEmpty()
                ? "Sign in with the issuer name and one of its keys (HTTP Basic); `sluice keys show` on the host prints them"
                : "The issuer or key is wrong; `sluice keys show` on the host prints the current keys";
        throw new Refused(401, ApiJson.error(why), Map.of("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\""));
    }

    private static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    // Bodies and answers

    private static JsonNode jsonBody(HttpExchange exchange) throws IOException {
        String text = body(exchange);
        try {
            JsonNode node = ApiJson.MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw new Refused(400, ApiJson.error("The body must be a JSON object"));
            }
            return node;
        } catch (JsonProcessingException e) {
            ObjectNode error = ApiJson.error("The body is not valid JSON: " + where(e));
            throw new Refused(400, error);
        }
    }

    private static String where(JsonProcessingException e) {
        var location = e.getLocation();
        String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return DefinitionJson.fieldGivenTwice(e).map(field -> "the field '" + field + "' is given twice" + (at.isEmpty() ? "" : "," + at))
                .orElse("it cannot be read" + at);
    }

    /** Refuses a range of {@code what} that ends before it begins. */
    private static void rangeInOrder(String what, long from, long to) {
        if (to < from) {
            throw new Refused(400, ApiJson.error("A range of " + what + " cannot end (" + ApiJson.time(to) + ") before it begins ("
                    + ApiJson.time(from) + "): give from before to"));
        }
    }

    private static ServiceDefinition definitionBody(HttpExchange exchange) throws IOException {
        JsonNode node = jsonBody(exchange);
        try {
            return ApiJson.readDefinition(node);
        } catch (IllegalArgumentException e) {
            ObjectNode error = ApiJson.error("The body is not a valid definition: " + e.getMessage());
            ArrayNode problems = error.putArray("problems");
            ObjectNode problem = problems.addObject();
            problem.put("field", e.getCause() instanceof DefinitionJsonException shape ? shape.field() : "");
            problem.put("message", e.getMessage());
            throw new Refused(400, error);
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new Refused(400, ApiJson.error("Content-Length is not a number"));
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (declared > MAX_BODY) {
                throw tooLarge(in);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[16_384];
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes.write(buffer, 0, n);
                if (bytes.size() > MAX_BODY) {
                    throw tooLarge(in);
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The 413 answer, after reading and dropping what the client still sends, up to {@link #MAX_DISCARDED}.
     * Closed with unread bytes, the connection would be reset, and a reset can reach the client before
     * the answer does: it would see a broken connection instead of the 413.
     */
    private static Refused tooLarge(InputStream rest) throws IOException {
        byte[] buffer = new byte[16_384];
        long dropped = 0;
        int n;
        while (dropped < MAX_DISCARDED && (n = rest.read(buffer)) > 0) {
            dropped += n;
        }
        return new Refused(413, ApiJson.error("The body is over 1 MiB, the most the management API takes"));
    }

    private static Answer accepted(OperationTicket ticket) {
        String location = API + "/operations/" + ticket.requestId();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Request-Id", ticket.requestId());
        headers.put("Location", location);
        return new Answer(202, ticket(ticket), headers);
    }

    private static ObjectNode ticket(OperationTicket ticket) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("requestId", ticket.requestId());
        body.put("service", ticket.service());
        body.put("operation", ticket.operation().chartName());
        return body;
    }

    /**
     * Writes the whole page before the first byte goes out, so that a scrape that fails on the
     * way gets a 500 with the error shape, never half a page that Prometheus would take as whole.
     */
    private void serveMetrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream page = new ByteArrayOutputStream(64 * 1024);
        metrics.write(page);
        exchange.getResponseHeaders().set("Content-Type", METRICS_TYPE);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, page.size());
        page.writeTo(exchange.getResponseBody());
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        answer.headers().forEach(exchange.getResponseHeaders()::set);
        byte[] bytes = answer.written() != null ? answer.written()
                : answer.body() != null ? ApiJson.MAPPER.writeValueAsBytes(answer.body()) : null;
        if (bytes == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // Small parts

    private static void allow(String method, String... allowed) {
        for (String m : allowed) {
            if (m.equals(method)) {
                return;
            }
        }
        String list = String.join(", ", allowed);
        throw new Refused(405, ApiJson.error(method + " is not taken here; this resource takes " + list),
                Map.of("Allow", list));
    }

    private static ServiceSnapshot find(FleetSnapshot snapshot, String name) {
        return snapshot.services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownServiceException(name));
    }

    private static Operation operationOf(String lower) {
        return lower.equals("serviceupdate") ? Operation.SERVICE_UPDATE
                : Operation.fromChartName(Character.toUpperCase(lower.charAt(0)) + lower.substring(1)).orElseThrow();
    }

    private static Refused noSuchResource() {
        return new Refused(404, ApiJson.error("No such resource; GET " + API + "/openapi.json lists them"));
    }

    /**
     * A 404 that repeats the name, in {@code field}, only when it could be one, so that no pasted
     * junk comes back. The field of an operation is {@code requestId}: {@code operation} is the
     * chart's name of an operation in every other answer.
     */
    private static ObjectNode notFound(String what, String field, String name) {
        boolean plausible = what.equals("service") ? ServiceDefinition.isValidName(name)
                : name.length() <= 80 && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
        ObjectNode body = ApiJson.error(plausible ? "No " + what + " named '" + name + "'" : "No such " + what);
        if (plausible) {
            body.put(field, name);
        }
        return body;
    }

    private static ObjectNode invalidDefinition(List<ServiceDefinition.Problem> problems) {
        ObjectNode body = ApiJson.error("The definition is not valid: " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems"));
        ArrayNode array = body.putArray("problems");
        problems.forEach(p -> {
            ObjectNode node = array.addObject();
            node.put("field", p.field());
            node.put("message", p.message());
        });
        return body;
    }

    private static ObjectNode parameterError(String name, String expected) {
        ObjectNode body = ApiJson.error("The query parameter '" + name + "' must be " + expected);
        body.put("parameter", name);
        return body;
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new Refused(400, ApiJson.error("The body must have \"" + field + "\" as a string"));
        }
        return value.asText();
    }

    private static long timeParameter(Map<String, String> query, String name, long fallback) {
        String text = query.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return ApiJson.parseTime(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, parameterError(name, "an ISO-8601 time such as 2026-01-31T08:00:00Z"));
        }
    }

    private static List<String> segments(String rest) {
        List<String> parts = new ArrayList<>();
        for (String part : rest.split("/")) {
            if (!part.isEmpty()) {
                parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
            }
        }
        return parts;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!key.isEmpty() && !value.isEmpty()) {
                values.put(key, value);
            }
        }
        return values;
    }
}
