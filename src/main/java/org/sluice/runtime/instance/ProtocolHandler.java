package org.sluice.runtime.instance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A networked instance's side of the protocol (docs/runtime.md), under {@value #PREFIX}:
 * {@code GET events} follows the instance's events as a stream of numbered lines ({@link EventFeed});
 * {@code GET events?run=RUN&after=N} resumes a stream that broke after line N of run RUN. And
 * {@code POST suspend}, {@code resume} and {@code stop} are answered 204 once the instance has
 * acted. Every request must carry the service's token as {@code Authorization: Bearer TOKEN};
 * any other is answered 401 and changes nothing. The token is compared in constant time and never
 * logged.
 */
final class ProtocolHandler implements HttpHandler {
    /** Where the protocol's requests go; {@code /messages} is beside it, without a token. */
    static final String PREFIX = "/protocol/";
    /** The answer's header naming the instance's run, which a follower gives back when it resumes. */
    static final String RUN_HEADER = "Sluice-Run";
    /**
     * The answer's header, to a follower that asked to resume, saying whether it gets the lines it
     * missed ({@code resumed}) or the state: {@code too-old} (they are no longer kept) or
     * {@code other-run} (the instance restarted).
     */
    static final String RESUME_HEADER = "Sluice-Resume";
    /** The answer's header with the number of the last line before the stream's own ones. */
    static final String SEQ_HEADER = "Sluice-Seq";
    /** The answer's header with how many lines of state open the stream (0 when it resumes). */
    static final String STATE_LINES_HEADER = "Sluice-State-Lines";
    /** How long a stream waits for an event at a time. */
    private static final long POLL_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHandler.class);

    /** What the instance does on the host's word; each returns once it has. */
    interface Commands {
        /** @return why the instance cannot act now; empty once it has */
        Optional<String> suspend();

        /** @return why the instance cannot act now; empty once it has */
        Optional<String> resume();

        /** @return why the instance cannot act now; empty once it has stopped */
        Optional<String> stop() throws InterruptedException;
    }

    private final byte[] tokenDigest;
    private final EventFeed feed;
    private final CountDownLatch endDelivered = new CountDownLatch(1);
    private volatile Commands commands;

    ProtocolHandler(String token, EventFeed feed) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a networked instance needs a token");
        }
        this.tokenDigest = digest(token);
        this.feed = feed;
    }

    /** From now on the commands are acted on; before, they are answered 409. */
    void ready(Commands commands) {
        this.commands = commands;
    }

    /** Waits until a follower has read the stream to its end, or {@code timeoutMs}; true if one has. */
    boolean awaitEndDelivered(long timeoutMs) throws InterruptedException {
        return endDelivered.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            discardBody(exchange);
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sluice-instance\"");
                text(exchange, 401, "the service's token is required: send it as Authorization: Bearer TOKEN");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String word = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
            switch (word) {
                case "events" -> {
                    if (method(exchange, "GET")) {
                        stream(exchange);
                    }
                }
                case "suspend", "resume", "stop" -> {
                    if (method(exchange, "POST")) {
                        command(exchange, word);
                    }
                }
                default -> text(exchange, 404, "not found: the protocol has GET events and POST suspend, resume and stop");
            }
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", exchange.getRemoteAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        // Digests of equal length, compared in constant time: neither the token nor its length leaks through timing.
        return MessageDigest.isEqual(tokenDigest, digest(header.substring(7).strip()));
    }

    private void command(HttpExchange exchange, String word) throws IOException, InterruptedException {
        // A host names the run it follows: a word meant for a process that has ended (this one
        // took its place at the same address) must not act on this one. No run: a host of an earlier Sluice.
        String meant;
        try {
            meant = query(exchange.getRequestURI().getRawQuery()).get("run");
        } catch (IllegalArgumentException e) {
            text(exchange, 400, "the query of " + word + " is not decodable: " + e.getMessage());
            return;
        }
        if (meant != null && !meant.equals(feed.run())) {
            text(exchange, 409, word + " was meant for another run of the instance (" + meant + "); this is run "
                    + feed.run() + ": follow its event stream anew");
            return;
        }
        Commands acting = commands;
        if (acting == null) {
            text(exchange, 409, "the instance is not ready yet; send " + word + " once it has said it is ready");
            return;
        }
        Optional<String> refused = switch (word) {
            case "suspend" -> acting.suspend();
            case "resume" -> acting.resume();
            default -> acting.stop();
        };
        if (refused.isPresent()) {
            text(exchange, 409, refused.get());
        } else {
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private void stream(HttpExchange exchange) throws IOException, InterruptedException {
        Map<String, String> query;
        try {
            query = query(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            text(exchange, 400, "the query of the event stream is not decodable: " + e.getMessage());
            return;
        }
        String run = query.get("run");
        String after = query.get("after");
        long resumeAfter = -1;
        if (run != null || after != null) {
            try {
                resumeAfter = Long.parseLong(after == null ? "" : after);
            } catch (NumberFormatException e) {
                resumeAfter = -1;
            }
            if (run == null || run.isEmpty() || resumeAfter < 0) {
                text(exchange, 400, "to resume the event stream give both run (from the " + RUN_HEADER
                        + " header) and after (the number of the last line seen, 0 or more)");
                return;
            }
        }
        EventFeed.Subscriber subscriber = run == null ? feed.subscribe() : feed.resume(run, resumeAfter);
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set(RUN_HEADER, feed.run());
        exchange.getResponseHeaders().set(SEQ_HEADER, Long.toString(subscriber.before()));
        exchange.getResponseHeaders().set(STATE_LINES_HEADER, Integer.toString(subscriber.stateLines()));
        if (run != null) {
            exchange.getResponseHeaders().set(RESUME_HEADER, switch (subscriber.start()) {
                case RESUMED -> "resumed";
                case OTHER_RUN -> "other-run";
                case TOO_OLD, STATE -> "too-old";
            });
        }
        try {
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException e) {
            feed.unsubscribe(subscriber);
            throw e;
        }
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                Optional<String> line = subscriber.next(POLL_MS);
                if (line.isPresent()) {
                    out.write((line.get() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (EventFeed.EndOfFeed end) {
            if (end.clean()) {
                endDelivered.countDown();
            } else {
                // Its stream ends without a stopped event: the host takes that as a break and follows again.
                LOG.warn("a follower of the event stream fell {} events behind and was cut off", EventFeed.BACKLOG);
            }
        } finally {
            feed.unsubscribe(subscriber);
        }
    }

    /** The parameters of a query, each name's first value, decoded. */
    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    private static boolean method(HttpExchange exchange, String allowed) throws IOException {
        if (allowed.equals(exchange.getRequestMethod())) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", allowed);
        text(exchange, 405, "only " + allowed);
        return false;
    }

    private static void discardBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
