package org.sluice.runtime.instance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A networked instance's side of the protocol (docs/runtime.md), under {@value #PREFIX}:
 * {@code GET events} follows the instance's events as a stream of lines ({@link EventFeed}), and
 * {@code POST suspend}, {@code resume} and {@code stop} are answered 204 once the instance has
 * acted. Every request must carry the service's token as {@code Authorization: Bearer TOKEN};
 * any other is answered 401 and changes nothing. The token is compared in constant time and never
 * logged.
 */
final class ProtocolHandler implements HttpHandler {
    /** Where the protocol's requests go; {@code /messages} is beside it, without a token. */
    static final String PREFIX = "/protocol/";
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
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        EventFeed.Subscriber subscriber = feed.subscribe();
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
