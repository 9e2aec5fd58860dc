package org.sluice.runtime.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * Opens the JDK's HTTP server on 127.0.0.1 with {@code TCP_NODELAY} on every connection it
 * accepts. Both of Sluice's servers (a role instance's and the host's front door) open theirs here.
 *
 * <p>The JDK's server writes an answer in two pieces: the status line and headers, then the body.
 * Without {@code TCP_NODELAY} (the JDK's default) the body waits until the client has acknowledged
 * the headers, and a client that delays its acknowledgements, as Linux does on a connection where
 * requests and answers take turns, holds every answer back by up to 40 ms: one message at a time
 * through the front door to an instance took 52 ms instead of 11 (docs/perf.md, R6).
 *
 * <p>The JDK reads the setting, {@value #NO_DELAY}, once, when the first server of the JVM is
 * created, so it is set here before that; a value given on the command line is left as it is.
 */
public final class LoopbackHttpServer {
    /** The JDK's system property that sets {@code TCP_NODELAY} on the connections its server accepts. */
    public static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private LoopbackHttpServer() {
    }

    /**
     * Creates (does not start) a server on 127.0.0.1.
     *
     * @param port    the port, 0 for any free one
     * @param backlog the most connections waiting to be accepted
     */
    public static HttpServer create(int port, int backlog) throws IOException {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    }
}
