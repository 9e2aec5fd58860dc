package org.sluice.fleet.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.sluice.fleet.api.ManagementClient.UnreachableException.Reason;
import org.sluice.lifecycle.Outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Speaks to one host's management API: HTTPS to a pinned certificate, signed in as an issuer.
 * The first client of the API is the console's remote fleet; {@code sluice ctl} is the second.
 */
public final class ManagementClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The first and the longest pause before looking at an operation again when no event stream can be followed. */
    private static final Duration FIRST_LOOK_AGAIN = Duration.ofMillis(100);
    private static final Duration LONGEST_LOOK_AGAIN = Duration.ofSeconds(2);

    /**
     * The largest answer read, 64 MiB: ten thousand services fit several times over, and a host
     * that is not what it claims cannot fill the console's memory.
     */
    public static final int MAX_ANSWER = 64 << 20;

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final PinnedCertificate trust;

    /** An answer of the API: its status, its JSON body (a missing node when it had none) and headers. */
    public record Answer(int status, JsonNode body, HttpHeaders headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The {@code error} of an error answer. */
        public String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    /** The host could not be reached or did not speak the API; the message says which and what to do. */
    public static final class UnreachableException extends IOException {
        private static final long serialVersionUID = 1L;
        private final Reason reason;

        /** What went wrong, for a client that says it in its own words. */
        public enum Reason {
            /** Nothing accepted the connection. */
            NO_ANSWER,
            /** The host took the connection but did not answer in time. */
            TIMEOUT,
            /** The TLS handshake failed: not an HTTPS port, or not one this client can speak to. */
            NOT_TLS,
            /** The host presented another certificate than the pinned one ({@link #changed}). */
            CERTIFICATE_CHANGED,
            /** The answer was not the API's JSON. */
            NOT_THE_API,
            /** The handshake ended without a certificate to take the fingerprint of. */
            NO_CERTIFICATE
        }

        public UnreachableException(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        public Reason reason() {
            return reason;
        }
    }

    /**
     * @param base        the host's address, such as {@code https://127.0.0.1:7071}
     * @param issuer      the issuer to sign in as
     * @param key         one of its keys
     * @param fingerprint the SHA-256 fingerprint of the host's certificate
     */
    public ManagementClient(URI base, String issuer, String key, String fingerprint) {
        this(base, issuer, key, PinnedCertificate.pinned(fingerprint));
    }

    private ManagementClient(URI base, String issuer, String key, PinnedCertificate trust) {
        this.base = normalise(base);
        this.trust = trust;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (Objects.requireNonNull(issuer, "issuer") + ":" + Objects.requireNonNull(key, "key")).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().sslContext(trust.context()).connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Connects once, trusting whatever certificate the host presents, and returns its
     * fingerprint, for the operator to compare with what the host printed and accept.
     */
    public static String fingerprintOf(URI base) throws IOException, InterruptedException {
        PinnedCertificate firstContact = PinnedCertificate.firstContact();
        try (ManagementClient client = new ManagementClient(base, "-", "-", firstContact)) {
            client.send("GET", "/health", null);
        }
        return firstContact.presented().orElseThrow(() -> new UnreachableException(
                Reason.NO_CERTIFICATE, "The host at " + base + " presented no certificate", null));
    }

    /** Lets go of the client's connections and its selector thread. */
    @Override
    public void close() {
        http.close();
    }

    public URI base() {
        return base;
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    public Answer put(String path, JsonNode body) throws IOException, InterruptedException {
        return send("PUT", path, body);
    }

    public Answer delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    /**
     * Sends a request to {@code /api/v1}{@code path} and reads the JSON answer.
     *
     * @throws UnreachableException when the host does not answer, does not speak TLS, or presents
     *                              another certificate than the pinned one
     */
    public Answer send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(ApiJson.MAPPER.writeValueAsBytes(body));
        HttpRequest.Builder request = request(path).timeout(REQUEST_TIMEOUT).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return answer(exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /**
     * Sends a request without a body to {@code path} beside the API rather than under it, as
     * {@code /metrics}; an answer in plain text comes back as one JSON string.
     *
     * @throws UnreachableException as {@link #send}
     */
    public Answer sendBesideTheApi(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization)
                .timeout(REQUEST_TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return answer(exchange(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    private Answer answer(HttpResponse<InputStream> response) throws IOException {
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_ANSWER + 1);
        }
        if (bytes.length > MAX_ANSWER) {
            throw new UnreachableException(Reason.NOT_THE_API, "The host at " + base + " answered with more than "
                    + (MAX_ANSWER >> 20) + " MiB: is this the management address of a Sluice host?", null);
        }
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
            return new Answer(response.statusCode(), ApiJson.MAPPER.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8)),
                    response.headers());
        }
        JsonNode json;
        try {
            json = bytes.length == 0 ? ApiJson.MAPPER.missingNode() : ApiJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new UnreachableException(Reason.NOT_THE_API, "The host at " + base + " answered " + response.statusCode()
                    + " with something other than JSON: is this the management address of a Sluice host?", e);
        }
        return new Answer(response.statusCode(), json, response.headers());
    }

    /**
     * Waits until the operation {@code requestId} has ended and returns its final record as
     * {@code GET /operations/{requestId}} answers it, or the first answer to that request that is
     * not a success (the operation is unknown, the key was rolled meanwhile).
     *
     * <p>It follows the event stream, so it hears of the end as it happens. The stream is opened
     * before the operation is first looked at: an end in between is then either seen by that look
     * or sent on the stream. When the host refuses a stream (it has too many open) or drops this
     * one (it did not keep up), it looks again after a pause that doubles, up to
     * {@link #LONGEST_LOOK_AGAIN}.
     *
     * @throws UnreachableException when the host cannot be reached any more
     */
    public Answer awaitEnd(String requestId) throws IOException, InterruptedException {
        String path = "/operations/" + segment(requestId);
        long pauseMs = FIRST_LOOK_AGAIN.toMillis();
        while (true) {
            HttpResponse<InputStream> stream = events();
            try (InputStream events = stream.body()) {
                Answer now = get(path);
                if (!now.ok() || !running(now.body())) {
                    return now;
                }
                if (stream.statusCode() == 200 && endHeard(events, requestId)) {
                    return get(path);
                }
            }
            Thread.sleep(pauseMs);
            pauseMs = Math.min(pauseMs * 2, LONGEST_LOOK_AGAIN.toMillis());
        }
    }

    private static boolean running(JsonNode record) {
        return record.path("status").asText().equals(ApiJson.word(Outcome.RUNNING));
    }

    /** Reads the stream until it tells that {@code requestId} ended (true) or the stream ends (false). */
    private static boolean endHeard(InputStream stream, String requestId) {
        ServerSentEvents.Reader events = ServerSentEvents.reader(stream);
        try {
            for (ServerSentEvents.Event event = events.next(); event != null; event = events.next()) {
                if (event.name().equals("operation")) {
                    JsonNode record = ApiJson.MAPPER.readTree(event.data()).path("record");
                    if (record.path("requestId").asText().equals(requestId) && !running(record)) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            // A stream cut off half-way is a stream that ended: the caller looks at the operation again.
        }
        return false;
    }

    /** {@code value} as one segment of a path, every character that could end the segment encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Opens the event stream; the caller reads it with {@link ServerSentEvents} and closes it. */
    public HttpResponse<InputStream> events() throws IOException, InterruptedException {
        HttpRequest request = request("/events").header("Accept", "text/event-stream").GET().build();
        return exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + ManagementServer.API + path))
                .header("Authorization", authorization)
                .header("Accept", "application/json");
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new UnreachableException(Reason.NO_ANSWER, "Nothing answers at " + base
                    + ": is `sluice host` running there with its management listener on (--manage)?", e);
        } catch (HttpTimeoutException e) {
            throw new UnreachableException(Reason.TIMEOUT, "The host at " + base + " did not answer in time", e);
        } catch (SSLException e) {
            Optional<PinnedCertificate.CertificateChangedException> changed = changed(e);
            if (changed.isPresent()) {
                throw new UnreachableException(Reason.CERTIFICATE_CHANGED, changed.get().getMessage(), changed.get());
            }
            throw new UnreachableException(Reason.NOT_TLS, "The host at " + base + " did not complete a TLS handshake: "
                    + "is this the management address (https) of a Sluice host? (" + e.getMessage() + ")", e);
        }
    }

    /** The changed certificate behind a failed handshake, if that is what failed it. */
    public static Optional<PinnedCertificate.CertificateChangedException> changed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PinnedCertificate.CertificateChangedException changed) {
                return Optional.of(changed);
            }
        }
        return Optional.empty();
    }

    private static URI normalise(URI base) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.regionMatches(true, 0, "http://", 0, 7)) {
            throw new IllegalArgumentException("The management API speaks HTTPS only: use https://" + text.substring(7)
                    + " instead of " + base);
        }
        if (!text.startsWith("https://")) {
            throw new IllegalArgumentException("The management address must start with https://, was " + base);
        }
        return URI.create(text);
    }
}
