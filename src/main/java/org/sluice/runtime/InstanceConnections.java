package org.sluice.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The front door's side of its connections to role instances: one {@code POST /messages} at a
 * time on each, kept open between messages and reused, so that a message costs the door a write
 * and a read on a socket it already has.
 *
 * <p>The JDK's {@code HttpClient} did the same hop before. It hands every exchange between the
 * calling thread, its selector thread and its executor, which cost more than the instance's whole
 * work on a small message (docs/perf.md). Both ends here are ours: the instance answers with a
 * status, a {@code Content-Length} and a body, so the door needs only that much of HTTP/1.1 (and
 * reads a chunked body too, should an answer ever come without a length).
 *
 * <p>Connections idle for longer than {@link #MAX_IDLE} are closed rather than reused, well before
 * the instance's server drops them (30 s). A kept connection that turns out to be closed when
 * reused (the instance restarted, say) gives way to a new one once, if not a byte of the answer
 * had come; any other failure is the caller's to report.
 */
final class InstanceConnections implements AutoCloseable {
    /** Connections unused for longer are closed rather than reused. */
    static final Duration MAX_IDLE = Duration.ofSeconds(20);
    /** The most idle connections kept per instance. */
    static final int MAX_KEPT = 512;
    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    /** An instance's answer. */
    record Answer(int status, byte[] body, Optional<String> contentType, Optional<String> retryAfter) {
    }

    private final Map<InetSocketAddress, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final Duration readTimeout;
    private final Duration connectTimeout;
    private volatile boolean closed;

    /**
     * @param connectTimeout how long a new connection may take
     * @param readTimeout    how long the instance may take to answer a message
     */
    InstanceConnections(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** Posts {@code body} to the instance on {@code port} of this machine's loopback and returns its answer. */
    Answer post(int port, byte[] body) throws IOException {
        return post(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), body);
    }

    /** Posts {@code body} to the instance at {@code address} and returns its answer. */
    Answer post(InetSocketAddress address, byte[] body) throws IOException {
        Connection kept = take(address);
        if (kept != null) {
            try {
                return exchange(kept, address, body, true);
            } catch (StaleConnection stale) {
                kept.close();
            }
        }
        return exchange(open(address), address, body, false);
    }

    private Answer exchange(Connection connection, InetSocketAddress address, byte[] body, boolean reused) throws IOException {
        ParsedAnswer parsed;
        try {
            try {
                connection.write(address, body);
            } catch (IOException e) {
                // A kept connection the instance had closed: the message never reached it.
                throw reused ? new StaleConnection(e.toString()) : e;
            }
            parsed = connection.read(reused);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        if (parsed.keepAlive && !closed) {
            give(address, connection);
        } else {
            connection.close();
        }
        return parsed.answer;
    }

    private Connection take(InetSocketAddress address) {
        Deque<Connection> kept = idle.get(address);
        if (kept == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection c; (c = kept.pollFirst()) != null; ) {
            if (now - c.idleSince < MAX_IDLE.toNanos() && !c.socket.isClosed()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void give(InetSocketAddress address, Connection connection) {
        Deque<Connection> kept = idle.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>());
        connection.idleSince = System.nanoTime();
        // Newest first: the connections in use stay warm and the surplus ages out at the back.
        kept.offerFirst(connection);
        if (kept.size() > MAX_KEPT) {
            Connection surplus = kept.pollLast();
            if (surplus != null) {
                surplus.close();
            }
        }
    }

    private Connection open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Closes every kept connection; connections in use are closed when their answer is in. */
    @Override
    public void close() {
        closed = true;
        idle.values().forEach(kept -> {
            for (Connection c; (c = kept.pollFirst()) != null; ) {
                c.close();
            }
        });
    }

    /** A kept connection was found closed before a byte of the answer came: try a new one. */
    private static final class StaleConnection extends IOException {
        StaleConnection(String message) {
            super(message);
        }
    }

    private record ParsedAnswer(Answer answer, boolean keepAlive) {
    }

    /** The {@code Host} header for {@code address}: its literal address (bracketed for IPv6) and port, never a name looked up. */
    static String hostHeader(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        volatile long idleSince = System.nanoTime();

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
        }

        void write(InetSocketAddress address, byte[] body) throws IOException {
            byte[] head = ("POST /messages HTTP/1.1\r\nHost: " + hostHeader(address) + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            if (body.length <= 16 * 1024) {
                // One segment for a small message: with TCP_NODELAY two writes are two packets.
                byte[] both = new byte[head.length + body.length];
                System.arraycopy(head, 0, both, 0, head.length);
                System.arraycopy(body, 0, both, head.length, body.length);
                out.write(both);
            } else {
                out.write(head);
                out.write(body);
            }
            out.flush();
        }

        /**
         * Reads one answer. On a {@code reused} connection, an end or a reset before its first
         * byte means the instance had closed the connection before the message came.
         */
        ParsedAnswer read(boolean reused) throws IOException {
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketTimeoutException slow) {
                throw slow;
            } catch (java.net.SocketException reset) {
                throw reused ? new StaleConnection(reset.toString()) : reset;
            }
            if (first < 0) {
                throw reused ? new StaleConnection("closed before the answer")
                        : new EOFException("the instance closed the connection without answering");
            }
            String statusLine = (char) first + line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + abbreviate(statusLine));
            }
            long length = -1;
            boolean chunked = false;
            boolean keepAlive = parts[0].equals("HTTP/1.1");
            String contentType = null;
            String retryAfter = null;
            for (int count = 0; ; count++) {
                String header = line();
                if (header.isEmpty()) {
                    break;
                }
                if (count >= MAX_HEADERS) {
                    throw new IOException("more than " + MAX_HEADERS + " header lines");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                    case "content-type" -> contentType = value;
                    case "retry-after" -> retryAfter = value;
                    default -> { }
                }
            }
            byte[] body;
            if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
                body = new byte[0];
            } else if (chunked) {
                body = readChunked();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("the answer ended after " + body.length + " of " + length + " bytes");
                }
            } else {
                body = in.readAllBytes();
                keepAlive = false;
            }
            return new ParsedAnswer(new Answer(status, body, Optional.ofNullable(contentType), Optional.ofNullable(retryAfter)), keepAlive);
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers: none expected, none kept
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) {
                    throw new EOFException("a chunk of the answer ended early");
                }
                body.write(chunk);
                line();
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the answer ended in its headers");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= MAX_HEADER_LINE) {
                    throw new IOException("a header line of the answer is over " + MAX_HEADER_LINE + " bytes");
                }
                line.append((char) b);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a socket we are done with: nothing left to save.
            }
        }

        private static String abbreviate(String text) {
            return text.length() <= 80 ? text : text.substring(0, 80) + "...";
        }
    }
}
