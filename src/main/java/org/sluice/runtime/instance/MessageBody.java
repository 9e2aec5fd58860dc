package org.sluice.runtime.instance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Reads a message's body as its bytes arrive, for a role instance's server (the servers on event
 * loops, the host's front door and an instance's endpoint, gather their bodies the same way:
 * {@code HttpTurns}).
 *
 * <p>The room set aside grows with the bytes that arrive, from {@value #FIRST_ROOM} bytes,
 * doubling each time it is full: a sender that stalls after a few bytes holds that little, not the
 * 16 KiB that {@link InputStream#readNBytes(int)} sets aside at once (docs/perf.md, J6), nor what
 * its {@code Content-Length} promises.
 */
public final class MessageBody {
    /** The room for a body before any of its bytes has arrived. */
    static final int FIRST_ROOM = 1024;

    private MessageBody() {
    }

    /**
     * The body, or {@code null} when it is longer than {@code limit} bytes; the rest of a body
     * over the limit is read and dropped, so that the answer is not overtaken by a reset of the
     * connection.
     */
    public static byte[] readLimited(InputStream in, int limit) throws IOException {
        byte[] room = new byte[Math.min(FIRST_ROOM, limit + 1)];
        int length = 0;
        while (true) {
            if (length == room.length) {
                if (length > limit) {
                    in.transferTo(OutputStream.nullOutputStream());
                    return null;
                }
                room = Arrays.copyOf(room, (int) Math.min(2L * length, limit + 1L));
            }
            int read = in.read(room, length, room.length - length);
            if (read < 0) {
                return length == room.length ? room : Arrays.copyOf(room, length);
            }
            length += read;
        }
    }
}
