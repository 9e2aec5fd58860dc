package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;

import org.junit.jupiter.api.Test;

/** The host reads an instance's event stream a line at a time, and never holds an endless line. */
class EventLinesTest {

    @Test
    void linesEndAtANewlineWithOrWithoutACarriageReturnAndTheLastMayHaveNone() throws IOException {
        NetworkInstanceConnector.EventLines lines = new NetworkInstanceConnector.EventLines(
                new StringReader("{\"event\":\"ready\"}\n{\"event\":\"gate\"}\r\n\n{\"event\":\"stopped\"}"), 1_000);

        assertThat(lines.readLine()).isEqualTo("{\"event\":\"ready\"}");
        assertThat(lines.readLine()).isEqualTo("{\"event\":\"gate\"}");
        assertThat(lines.readLine()).isEmpty();
        assertThat(lines.readLine()).isEqualTo("{\"event\":\"stopped\"}");
        assertThat(lines.readLine()).isNull();
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedBeforeItIsHeldWhole() throws IOException {
        NetworkInstanceConnector.EventLines lines = new NetworkInstanceConnector.EventLines(
                new StringReader("short\n" + "x".repeat(1_001) + "\nnever read\n"), 1_000);

        assertThat(lines.readLine()).isEqualTo("short");
        assertThatThrownBy(lines::readLine).isInstanceOf(IOException.class).hasMessageContaining("longer than 1000 characters");
    }

    @Test
    void aLineOfExactlyTheLimitIsRead() throws IOException {
        NetworkInstanceConnector.EventLines lines = new NetworkInstanceConnector.EventLines(
                new StringReader("y".repeat(1_000) + "\n"), 1_000);

        assertThat(lines.readLine()).hasSize(1_000);
    }
}
