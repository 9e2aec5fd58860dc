package org.sluice.runtime.instance;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;


/**
 * A networked instance's side of the protocol (docs/runtime.md), under {@value #PREFIX}:
 * {@code GET events} follows the instance's events as a stream of numbered lines ({@link EventFeed});
 * {@code GET events?run=RUN&after=N} resumes a stream that broke after line N of run RUN. And
 * {@code POST suspend}, {@code resume} and {@code stop} are answered 204 once the instance has
 * acted. Every request must carry the service's token as {@code Authorization: Bearer TOKEN};
 * any other is answered 401 and changes nothing. The token is compared in constant time and never
 * logged. The instance's endpoint answers these on its event loops ({@link InstanceConnection}):
 * the stream is written as its lines come and as fast as the follower takes them, and a command is
 * acted on by a worker thread.
 */
final class ProtocolHandler {
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

    /**
     * The reply to a request under {@value #PREFIX} whose line and headers have arrived (its body, if
     * any, is dropped). Made on the endpoint's event loop: what may block, a command, is a
     * {@link Reply.Later}; the events stream is a {@link Reply.Stream} the loop writes as lines come.
     */
    Reply handle(EndpointRequest request) {
        if (!authorized(request)) {
            return Reply.Answer.text(401, "the service's token is required: send it as Authorization: Bearer TOKEN")
                    .with("WWW-Authenticate", "Bearer realm=\"sluice-instance\"");
        }
        String path = request.path();
        String word = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        return switch (word) {
            case "events" -> "GET".equals(request.method()) ? stream(request) : wrongMethod("GET");
            case "suspend", "resume", "stop" -> "POST".equals(request.method()) ? command(request, word) : wrongMethod("POST");
            default -> Reply.Answer.text(404, "not found: the protocol has GET events and POST suspend, resume and stop");
        };
    }

    private boolean authorized(EndpointRequest request) {
        String header = request.header("Authorization");
        if (header == null || header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        // Digests of equal length, compared in constant time: neither the token nor its length leaks through timing.
        return MessageDigest.isEqual(tokenDigest, digest(header.substring(7).strip()));
    }

    private Reply command(EndpointRequest request, String word) {
        // A host names the run it follows: a word meant for a process that has ended (this one
        // took its place at the same address) must not act on this one. No run: a host of an earlier Sluice.
        String meant;
        try {
            meant = query(request.rawQuery()).get("run");
        } catch (IllegalArgumentException e) {
            return Reply.Answer.text(400, "the query of " + word + " is not decodable: " + e.getMessage());
        }
        if (meant != null && !meant.equals(feed.run())) {
            return Reply.Answer.text(409, word + " was meant for another run of the instance (" + meant + "); this is run "
                    + feed.run() + ": follow its event stream anew");
        }
        Commands acting = commands;
        if (acting == null) {
            return Reply.Answer.text(409, "the instance is not ready yet; send " + word + " once it has said it is ready");
        }
        // Acting may take a while (stop waits for the messages in process): not on the loop.
        return new Reply.Later(() -> {
            Optional<String> refused = switch (word) {
                case "suspend" -> acting.suspend();
                case "resume" -> acting.resume();
                default -> acting.stop();
            };
            return refused.<Reply>map(why -> Reply.Answer.text(409, why)).orElseGet(() -> Reply.Answer.empty(204));
        });
    }

    private Reply stream(EndpointRequest request) {
        Map<String, String> query;
        try {
            query = query(request.rawQuery());
        } catch (IllegalArgumentException e) {
            return Reply.Answer.text(400, "the query of the event stream is not decodable: " + e.getMessage());
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
                return Reply.Answer.text(400, "to resume the event stream give both run (from the " + RUN_HEADER
                        + " header) and after (the number of the last line seen, 0 or more)");
            }
        }
        EventFeed.Subscriber subscriber = run == null ? feed.subscribe() : feed.resume(run, resumeAfter);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-ndjson; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put(RUN_HEADER, feed.run());
        headers.put(SEQ_HEADER, Long.toString(subscriber.before()));
        headers.put(STATE_LINES_HEADER, Integer.toString(subscriber.stateLines()));
        if (run != null) {
            headers.put(RESUME_HEADER, switch (subscriber.start()) {
                case RESUMED -> "resumed";
                case OTHER_RUN -> "other-run";
                case TOO_OLD, STATE -> "too-old";
            });
        }
        return new Reply.Stream(headers, subscriber, feed, endDelivered::countDown);
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

    private static Reply wrongMethod(String allowed) {
        return Reply.Answer.text(405, "only " + allowed).with("Allow", allowed);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
