package org.sluice.fleet.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer of the HTTPS management port to a request in plain HTTP: {@code 400} in the API's
 * error shape, naming the {@code https://} address to use, and then the connection closes.
 *
 * <p>The JDK's {@code HttpsServer} hands every byte of a connection to the {@link SSLEngine} its
 * context makes, and writes out whatever that engine's {@code wrap} produces. So the context
 * {@link #context} makes engines that look at the first byte before the real engine does: a TLS
 * connection starts with a handshake record (22) and is passed through untouched from then on; a
 * capital letter cannot start any TLS record, and there the engine reads a plain request's head
 * itself, at most {@link #MAX_HEAD} bytes and a body of at most {@link #MAX_DRAINED}, then asks to
 * be wrapped, produces the answer as its "network bytes" and reports itself closed, which makes the
 * JDK's server send them and close the socket. Bytes that are neither TLS nor an HTTP request end
 * the connection without an answer, as they always did.
 *
 * <p>Nothing the client sent is repeated unless it is a plausible host and path; the answer is
 * made by Jackson, so even those are escaped.
 */
final class PlainHttpAnswer {
    private static final Logger LOG = LoggerFactory.getLogger(PlainHttpAnswer.class);
    /** The most of a plain request's head that is read: beyond it the connection is closed unanswered. */
    static final int MAX_HEAD = 8 * 1024;
    /** The most of a plain request's declared body that is read and dropped before answering. */
    static final long MAX_DRAINED = ManagementServer.MAX_BODY;
    /** The longest path repeated in the answer. */
    private static final int MAX_PATH = 1024;
    private static final int MAX_METHOD = 16;
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]{1," + MAX_METHOD + "}) ([\\x21-\\x7e]+) HTTP/[0-9]\\.[0-9]");
    /** A host name or an address, and a port: only characters that cannot carry markup or quotes. */
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::([0-9]{1,5}))?");
    /** An origin-form path and query of RFC 3986 characters, less quotes and parentheses. */
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&*+,;=:@%/?-]{0," + (MAX_PATH - 1) + "}");

    private PlainHttpAnswer() {
    }

    /**
     * Wraps the host's TLS context for the JDK's {@code HttpsServer}.
     *
     * @param tls  the host's certificate and key
     * @param host the listener's own address as a URL authority ({@code 127.0.0.1}, {@code [::1]}),
     *             for a request without a usable {@code Host} header; null when it listens on every
     *             address and so cannot name one
     * @param port the listener's port
     */
    static SSLContext context(SSLContext tls, String host, int port) {
        return new SSLContext(new Context(tls, host, port), tls.getProvider(), tls.getProtocol()) { };
    }

    /**
     * The bytes to send for a complete request head (request line and headers, the blank line
     * included), or null when it is not an HTTP request.
     */
    static byte[] answer(String head, String ownHost, int ownPort) {
        List<String> lines = head.lines().toList();
        if (lines.isEmpty()) {
            return null;
        }
        var requestLine = REQUEST_LINE.matcher(lines.getFirst());
        if (!requestLine.matches()) {
            return null;
        }
        String host = ownHost;
        int port = ownPort;
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Host")) {
                var given = HOST.matcher(line.substring(colon + 1).strip());
                if (given.matches()) {
                    host = given.group(1);
                    port = given.group(2) == null ? ownPort : Integer.parseInt(given.group(2));
                }
                break;
            }
        }
        String target = requestLine.group(2);
        String path = PATH.matcher(target).matches() ? target : "/";
        ObjectNode body;
        if (host == null || port < 1 || port > 65_535) {
            body = ApiJson.error("The management API speaks HTTPS only, and this request came in plain HTTP: "
                    + "send it again with https:// in place of http://");
        } else {
            String url = "https://" + host + ":" + port + path;
            body = ApiJson.error("The management API speaks HTTPS only, and this request came in plain HTTP: "
                    + "send it again to " + url);
            body.put("url", url);
        }
        byte[] json;
        try {
            json = ApiJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An error answer of two strings could not be written", e);
        }
        boolean headOnly = requestLine.group(1).equals("HEAD");
        String status = "HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + json.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n\r\n";
        byte[] start = status.getBytes(StandardCharsets.US_ASCII);
        if (headOnly) {
            return start;
        }
        byte[] all = new byte[start.length + json.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(json, 0, all, start.length, json.length);
        return all;
    }

    /** The declared length of a plain request's body, 0 when none is declared or it cannot be read. */
    static long declaredLength(String head) {
        for (String line : head.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                String value = line.substring(colon + 1).strip();
                return value.matches("[0-9]{1,18}") ? Long.parseLong(value) : 0;
            }
        }
        return 0;
    }

    /** The host's context in every respect but the engines it makes. */
    private static final class Context extends SSLContextSpi {
        private final SSLContext tls;
        private final String host;
        private final int port;

        Context(SSLContext tls, String host, int port) {
            this.tls = tls;
            this.host = host;
            this.port = port;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            tls.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return tls.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return tls.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new Engine(tls.createSSLEngine(), null, -1, host, port);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String peerHost, int peerPort) {
            return new Engine(tls.createSSLEngine(peerHost, peerPort), peerHost, peerPort, host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return tls.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return tls.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return tls.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return tls.getSupportedSSLParameters();
        }
    }

    /** Where a connection's engine stands. */
    private enum Mode {
        /** No byte seen yet. */
        FIRST_BYTE,
        /** A TLS connection, or one that is no HTTP either: everything goes to the real engine. */
        TLS,
        /** Reading a plain request's head. */
        HEAD,
        /** Reading and dropping the body the head declared. */
        BODY,
        /** The answer is ready for the next wrap. */
        ANSWER,
        /** Answered, or given up on: nothing more in or out. */
        DONE
    }

    /**
     * The real engine, with a look at the first byte. Once a connection is TLS, every call goes to
     * the real engine as it came; the plain path is guarded by the engine's lock, which the TLS
     * path never takes.
     */
    static final class Engine extends SSLEngine {
        private final SSLEngine tls;
        private final String ownHost;
        private final int ownPort;
        private volatile Mode mode = Mode.FIRST_BYTE;
        private byte[] head;
        private int headLength;
        private int lineStart;
        /** Where the method ends, at the first space; -1 before it. */
        private int methodEnd = -1;
        private long toDrop;
        private byte[] answer;
        private boolean inboundDone;

        Engine(SSLEngine tls, String peerHost, int peerPort, String ownHost, int ownPort) {
            super(peerHost, peerPort);
            this.tls = tls;
            this.ownHost = ownHost;
            this.ownPort = ownPort;
        }

        private boolean tls() {
            Mode now = mode;
            return now == Mode.TLS || now == Mode.FIRST_BYTE;
        }

        // Bytes in and out

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            if (mode == Mode.TLS || !decidePlain(src)) {
                return tls.unwrap(src, dst);
            }
            return readPlain(src);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
            if (mode == Mode.TLS || !decidePlain(src)) {
                return tls.unwrap(src, dsts);
            }
            return readPlain(src);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            if (mode == Mode.TLS || !decidePlain(src)) {
                return tls.unwrap(src, dsts, offset, length);
            }
            return readPlain(src);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return tls() ? tls.wrap(src, dst) : writePlain(dst);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
            return tls() ? tls.wrap(srcs, dst) : writePlain(dst);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return tls() ? tls.wrap(srcs, offset, length, dst) : writePlain(dst);
        }

        /**
         * Whether the connection is plain text, deciding it on the first byte: a TLS record's first
         * byte is its content type (20 to 24) and an SSLv2 hello's has the high bit set, so a
         * capital letter is never TLS.
         */
        private boolean decidePlain(ByteBuffer src) {
            if (mode != Mode.FIRST_BYTE) {
                return true;
            }
            if (!src.hasRemaining()) {
                return false;
            }
            byte first = src.get(src.position());
            if (first < 'A' || first > 'Z') {
                mode = Mode.TLS;
                return false;
            }
            synchronized (this) {
                head = new byte[MAX_HEAD];
                mode = Mode.HEAD;
            }
            return true;
        }

        private synchronized SSLEngineResult readPlain(ByteBuffer src) throws SSLException {
            int consumed = 0;
            while (mode == Mode.HEAD && src.hasRemaining()) {
                byte b = src.get();
                consumed++;
                takeHeadByte(b);
            }
            if (mode == Mode.BODY) {
                int n = (int) Math.min(toDrop, src.remaining());
                src.position(src.position() + n);
                consumed += n;
                toDrop -= n;
                if (toDrop == 0) {
                    mode = Mode.ANSWER;
                }
            }
            return switch (mode) {
                case HEAD, BODY -> new SSLEngineResult(Status.OK, HandshakeStatus.NEED_UNWRAP, consumed, 0);
                case ANSWER -> new SSLEngineResult(Status.OK, HandshakeStatus.NEED_WRAP, consumed, 0);
                default -> new SSLEngineResult(Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, consumed, 0);
            };
        }

        /** Takes one byte of the head; at the blank line that ends it, prepares the answer. */
        private void takeHeadByte(byte b) throws SSLException {
            if (headLength == MAX_HEAD) {
                refuse("a head over " + MAX_HEAD + " bytes");
            }
            head[headLength++] = b;
            boolean inRequestLine = lineStart == 0;
            if (inRequestLine && !plausibleRequestLine()) {
                refuse("neither TLS nor an HTTP request");
            }
            if (b != '\n') {
                return;
            }
            int lineEnd = headLength - 1;
            if (lineEnd > lineStart && head[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            boolean blank = lineEnd == lineStart;
            lineStart = headLength;
            if (!blank) {
                return;
            }
            String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            head = null;
            answer = answer(text, ownHost, ownPort);
            if (answer == null) {
                refuse("neither TLS nor an HTTP request");
            }
            long declared = declaredLength(text);
            toDrop = declared <= MAX_DRAINED ? declared : 0;
            mode = toDrop > 0 ? Mode.BODY : Mode.ANSWER;
            LOG.debug("A plain-HTTP request from {} on the HTTPS management port is told to use https", getPeerHost());
        }

        /** The request line so far could still be one: a capital method, a space, then visible characters. */
        private boolean plausibleRequestLine() {
            int last = headLength - 1;
            byte b = head[last];
            if (methodEnd < 0) {
                if (b == ' ' && last > 0) {
                    methodEnd = last;
                    return true;
                }
                return last < MAX_METHOD && b >= 'A' && b <= 'Z';
            }
            return (b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n';
        }

        private void refuse(String why) throws SSLException {
            mode = Mode.DONE;
            head = null;
            throw new SSLException("Closed a connection to the HTTPS management port that sent " + why);
        }

        private synchronized SSLEngineResult writePlain(ByteBuffer dst) {
            if (mode != Mode.ANSWER) {
                HandshakeStatus next = mode == Mode.DONE ? HandshakeStatus.NOT_HANDSHAKING : HandshakeStatus.NEED_UNWRAP;
                return new SSLEngineResult(mode == Mode.DONE ? Status.CLOSED : Status.OK, next, 0, 0);
            }
            if (dst.remaining() < answer.length) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, HandshakeStatus.NEED_WRAP, 0, 0);
            }
            dst.put(answer);
            int produced = answer.length;
            answer = null;
            mode = Mode.DONE;
            return new SSLEngineResult(Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, produced);
        }

        // The state of the connection

        @Override
        public Runnable getDelegatedTask() {
            return tls() ? tls.getDelegatedTask() : null;
        }

        @Override
        public void closeInbound() throws SSLException {
            if (tls()) {
                tls.closeInbound();
                return;
            }
            synchronized (this) {
                inboundDone = true;
            }
        }

        @Override
        public boolean isInboundDone() {
            if (tls()) {
                return tls.isInboundDone();
            }
            synchronized (this) {
                return inboundDone || mode == Mode.DONE;
            }
        }

        @Override
        public void closeOutbound() {
            if (tls()) {
                tls.closeOutbound();
                return;
            }
            synchronized (this) {
                if (mode != Mode.ANSWER) {
                    mode = Mode.DONE;
                }
            }
        }

        @Override
        public boolean isOutboundDone() {
            return tls() ? tls.isOutboundDone() : mode == Mode.DONE;
        }

        @Override
        public HandshakeStatus getHandshakeStatus() {
            return switch (mode) {
                case FIRST_BYTE, TLS -> tls.getHandshakeStatus();
                case HEAD, BODY -> HandshakeStatus.NEED_UNWRAP;
                case ANSWER -> HandshakeStatus.NEED_WRAP;
                case DONE -> HandshakeStatus.NOT_HANDSHAKING;
            };
        }

        @Override
        public void beginHandshake() throws SSLException {
            tls.beginHandshake();
        }

        @Override
        public SSLSession getSession() {
            return tls.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return tls.getHandshakeSession();
        }

        @Override
        public String getPeerHost() {
            return tls.getPeerHost();
        }

        @Override
        public int getPeerPort() {
            return tls.getPeerPort();
        }

        // Settings, all the real engine's

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return tls.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            tls.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return tls.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return tls.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            tls.setEnabledProtocols(protocols);
        }

        @Override
        public void setUseClientMode(boolean clientMode) {
            tls.setUseClientMode(clientMode);
        }

        @Override
        public boolean getUseClientMode() {
            return tls.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            tls.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return tls.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            tls.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return tls.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            tls.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return tls.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return tls.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            tls.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return tls.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return tls.getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            tls.setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return tls.getHandshakeApplicationProtocolSelector();
        }
    }
}
