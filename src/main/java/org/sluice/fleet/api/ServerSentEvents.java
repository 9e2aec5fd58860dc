package org.sluice.fleet.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream}: each event is a name and a data text; a comment line is the
 * host saying it is still there.
 */
public final class ServerSentEvents {

    /** What the reader hands on. */
    public interface Handler {
        void event(String name, String data) throws IOException;

        /** A comment line arrived (the host's keep-alive). */
        default void alive() {
        }
    }

    /** One event of the stream: its name ({@code message} when it had none) and its data. */
    public record Event(String name, String data) {
    }

    /**
     * Takes events from a stream one at a time, for a client that stops reading once it has the
     * event it waits for.
     */
    public static final class Reader {
        private final BufferedReader lines;
        private final Runnable onComment;
        private final int limit;

        private Reader(InputStream stream, Runnable onComment) {
            this(stream, onComment, ManagementClient.MAX_ANSWER);
        }

        /** @param limit the most characters a line or an event's data may have */
        Reader(InputStream stream, Runnable onComment, int limit) {
            this.lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            this.onComment = onComment;
            this.limit = limit;
        }

        /** The next event, or {@code null} once the stream has ended. */
        public Event next() throws IOException {
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = boundedLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        return new Event(name, data.toString());
                    }
                    name = "message";
                } else if (line.startsWith(":")) {
                    onComment.run();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                    if (data.length() > limit) {
                        throw new IOException("An event of the stream is over " + limit + " characters");
                    }
                }
            }
            return null;
        }

        /** A line, as {@link BufferedReader#readLine()} reads it, refused past the largest answer. */
        private String boundedLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = lines.read()) >= 0) {
                if (c == '\n') {
                    return line.toString();
                }
                if (c != '\r') {
                    line.append((char) c);
                    if (line.length() > limit) {
                        throw new IOException("A line of the event stream is over " + limit + " characters");
                    }
                }
            }
            return line.isEmpty() ? null : line.toString();
        }
    }

    private ServerSentEvents() {
    }

    /** A reader of {@code stream} that passes over comment lines. */
    public static Reader reader(InputStream stream) {
        return new Reader(stream, () -> { });
    }

    /** Reads until the stream ends or {@code handler} throws. */
    public static void read(InputStream stream, Handler handler) throws IOException {
        Reader reader = new Reader(stream, handler::alive);
        for (Event event = reader.next(); event != null; event = reader.next()) {
            handler.event(event.name(), event.data());
        }
    }
}
