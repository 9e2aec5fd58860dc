package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The event stream's text, read one event at a time and all at once alike. */
class ServerSentEventsTest {
    private static final String STREAM = """
            event: snapshot
            data: {"services":[]}

            : keep-alive

            data: first line
            data:  second line

            event: operation
            data: {"service":"orders"}

            """;

    private static InputStream stream() {
        return new ByteArrayInputStream(STREAM.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReaderHandsOutOneEventAtATimeAndNullAtTheEnd() throws Exception {
        ServerSentEvents.Reader reader = ServerSentEvents.reader(stream());

        assertThat(reader.next()).isEqualTo(new ServerSentEvents.Event("snapshot", "{\"services\":[]}"));
        assertThat(reader.next()).as("an event without a name is a message; data lines join with a newline")
                .isEqualTo(new ServerSentEvents.Event("message", "first line\nsecond line"));
        assertThat(reader.next()).isEqualTo(new ServerSentEvents.Event("operation", "{\"service\":\"orders\"}"));
        assertThat(reader.next()).isNull();
    }

    @Test
    void readHandsEveryEventAndEveryCommentToItsHandler() throws Exception {
        List<String> seen = new ArrayList<>();
        ServerSentEvents.read(stream(), new ServerSentEvents.Handler() {
            @Override
            public void event(String name, String data) {
                seen.add(name);
            }

            @Override
            public void alive() {
                seen.add(":");
            }
        });

        assertThat(seen).containsExactly("snapshot", ":", "message", "operation");
    }

    @Test
    void aLineOrAnEventPastTheLimitIsRefusedInsteadOfFillingMemory() {
        byte[] longLine = ("data: " + "x".repeat(200) + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ServerSentEvents.Reader reader = new ServerSentEvents.Reader(new java.io.ByteArrayInputStream(longLine), () -> { }, 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(reader::next).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("over 100 characters");

        byte[] manyLines = "data: 1234567890\n".repeat(20).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ServerSentEvents.Reader many = new ServerSentEvents.Reader(new java.io.ByteArrayInputStream(manyLines), () -> { }, 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(many::next).isInstanceOf(java.io.IOException.class);
    }
}
