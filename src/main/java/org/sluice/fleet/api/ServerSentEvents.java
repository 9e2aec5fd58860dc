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

    private ServerSentEvents() {
    }

    /** Reads until the stream ends or {@code handler} throws. */
    public static void read(InputStream stream, Handler handler) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        String name = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    handler.event(name, data.toString());
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith(":")) {
                handler.alive();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
    }
}
