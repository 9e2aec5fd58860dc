package org.sluice.runtime.instance;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What an instance's endpoint writes back for a request: an answer with a body, the events stream,
 * or work that may block (a command, a delivery), done on one of the endpoint's worker threads and
 * answered once it is done.
 */
sealed interface Reply {
    /** An answer whole: status, headers and body. */
    record Answer(int status, Map<String, String> headers, byte[] body) implements Reply {
        public Answer {
            headers = Map.copyOf(headers);
        }

        /** A plain text answer. */
        static Answer text(int status, String text) {
            return of(status, "text/plain; charset=utf-8", text);
        }

        /** An answer of {@code contentType}. */
        static Answer of(int status, String contentType, String body) {
            return new Answer(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
        }

        /** An answer without a body (204). */
        static Answer empty(int status) {
            return new Answer(status, Map.of(), new byte[0]);
        }

        /** The same answer with header {@code name} set to {@code value} as well. */
        Answer with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, body);
        }

        /** The body as text. */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * The events stream: 200 with {@code headers}, then each line of {@code subscriber} as it comes,
     * written as the follower takes them, until the feed ends ({@code ended} is run once the end is
     * written) or drops the subscriber.
     */
    record Stream(Map<String, String> headers, EventFeed.Subscriber subscriber, EventFeed feed, Runnable ended) implements Reply {
    }

    /** Work that may block: done on a worker thread, then its reply is written. */
    record Later(Callable<Reply> work) implements Reply {
    }
}
