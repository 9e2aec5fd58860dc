package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** How a role instance reads a message's body (the front door reads its own: DoorConnectionTest). */
class MessageBodyTest {
    private static final int LIMIT = 4 * 1024 * 1024;

    @Test
    void aStalledUploadIsGivenRoomOnlyForTheBytesThatArrived() throws Exception {
        // Three bytes of a message, then nothing: what an instance sets aside for the body must follow
        // what came, not what may come, or 1,000 such senders hold memory for nothing (perf.md, J6).
        ArrivingBody stalled = new ArrivingBody("abc".getBytes(StandardCharsets.US_ASCII));

        byte[] body = MessageBody.readLimited(stalled, LIMIT);

        assertThat(body).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(stalled.mostRoomAhead()).as("bytes made room for beyond those that had arrived").isLessThanOrEqualTo(1024);
    }

    @Test
    void aBodyIsReadWholeUpToTheLimitAndRefusedOneByteOver() throws Exception {
        byte[] largest = new byte[LIMIT];
        java.util.Arrays.fill(largest, (byte) 'x');
        largest[largest.length - 1] = 'y';
        ArrivingBody whole = new ArrivingBody(largest);
        ArrivingBody over = new ArrivingBody(new byte[LIMIT + 1]);

        assertThat(MessageBody.readLimited(whole, LIMIT)).isEqualTo(largest);
        assertThat(MessageBody.readLimited(over, LIMIT)).isNull();
        assertThat(over.left()).as("the rest of a body over the limit is read and dropped").isZero();
        assertThat(whole.mostRoomAhead()).as("bytes made room for beyond those that had arrived").isLessThanOrEqualTo(1024);
    }
}
