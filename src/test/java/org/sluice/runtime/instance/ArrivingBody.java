package org.sluice.runtime.instance;

import java.io.InputStream;

/**
 * A message body arriving 1,000 bytes at a time, with no Content-Length; remembers the most room a
 * reader offered in one read beyond the bytes that had arrived by then. The front door's and the
 * instance's tests read a slow sender's body with it.
 */
public final class ArrivingBody extends InputStream {
    private final byte[] bytes;
    private int next;
    private int mostRoomAhead;

    public ArrivingBody(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Bytes not read yet. */
    public int left() {
        return bytes.length - next;
    }

    /** The most room a reader offered in one read beyond the bytes that had arrived. */
    public int mostRoomAhead() {
        return mostRoomAhead;
    }

    @Override
    public int read() {
        return next < bytes.length ? bytes[next++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        mostRoomAhead = Math.max(mostRoomAhead, length - next);
        if (next == bytes.length) {
            return -1;
        }
        int n = Math.min(Math.min(length, 1000), bytes.length - next);
        System.arraycopy(bytes, next, into, offset, n);
        next += n;
        return n;
    }
}
