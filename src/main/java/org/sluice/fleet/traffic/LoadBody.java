package org.sluice.fleet.traffic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The body of each message {@code sluice load} sends: a JSON object of exactly the size asked,
 * {@code {"seq":"0000000000000000042","pad":"xxx…"}}, where {@code seq} is the message's number
 * in the run (19 digits, as text, so the length never changes) and {@code pad} is filled with
 * {@code x} to the size. The padding is shared by every message; only the head is new.
 */
public final class LoadBody {
    /** The smallest size asked for; the object without padding is 38 bytes. */
    public static final int MIN_SIZE = 64;
    /** The largest size asked for: above the instance's 4 MiB limit, so a 413 can be provoked. */
    public static final int MAX_SIZE = 64 * 1024 * 1024;

    private static final int DIGITS = 19;
    private static final String HEAD_START = "{\"seq\":\"";
    private static final String HEAD_END = "\",\"pad\":\"";
    private static final int HEAD_LENGTH = HEAD_START.length() + DIGITS + HEAD_END.length();

    private final int size;
    private final byte[] tail;

    public LoadBody(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be from " + MIN_SIZE + " to " + MAX_SIZE + ", was " + size);
        }
        this.size = size;
        this.tail = new byte[size - HEAD_LENGTH];
        Arrays.fill(tail, (byte) 'x');
        tail[tail.length - 2] = '"';
        tail[tail.length - 1] = '}';
    }

    /** The body's length in bytes. */
    int size() {
        return size;
    }

    /** The body of message {@code seq}, as pieces to be sent one after the other. */
    List<byte[]> parts(long seq) {
        String head = HEAD_START + String.format("%0" + DIGITS + "d", seq) + HEAD_END;
        return List.of(head.getBytes(StandardCharsets.US_ASCII), tail);
    }

    /** The body of message {@code seq} in one array. */
    byte[] bytes(long seq) {
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts(seq)) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
