package org.sluice.runtime.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.sluice.throttle.Thresholds;

import com.sun.net.httpserver.HttpServer;

/**
 * The limits of Sluice's HTTP servers and the names of the system properties that set them. A role
 * instance's endpoint ({@link MessageEndpoint}, on event loops since decision
 * 0057-instance-endpoint-on-an-event-loop) and the host's front door (decision 0034) read them
 * ({@link #MAX_REQUEST_TIME}, {@link #MAX_CONNECTIONS}) and keep {@code TCP_NODELAY} and 30 s idle
 * connections on their own. {@link #create} still opens the JDK's server on 127.0.0.1 with the
 * same settings, for a server that wants them; what follows says why each was chosen when the
 * instance ran on it.
 *
 * <p>The JDK's server writes an answer in two pieces: the status line and headers, then the body.
 * Without {@code TCP_NODELAY} (the JDK's default) the body waits until the client has acknowledged
 * the headers, and a client that delays its acknowledgements, as Linux does on a connection where
 * requests and answers take turns, holds every answer back by up to 40 ms: one message at a time
 * through the front door to an instance took 52 ms instead of 11 (docs/perf.md, R6).
 *
 * <p>The JDK's server also keeps at most 200 idle connections (its default) and closes any other
 * connection once it has answered. Under a load of more connections than that, nearly every
 * request needed a new connection, and a sender that reused one the server was closing got no
 * answer at all: at 10 &times; the threshold, more than half of the requests of a sender posting
 * one at a time on one connection failed so (docs/perf.md, R5). Here it keeps up to 10 &times; the
 * high threshold of this machine's processors; an idle connection is still closed after the JDK's
 * 30 s.
 *
 * <p>A request must arrive whole, headers and body, within {@value #REQUEST_SECONDS} s: a sender
 * that stops half-way (a stalled upload, or one sent on purpose to tie the server up) has its
 * connection closed instead of holding it, and the thread reading its body, for ever. And the
 * server takes at most twice the connections it keeps idle, 20 &times; the high threshold.
 *
 * <p>The JDK reads these settings ({@value #NO_DELAY}, {@value #MAX_IDLE_CONNECTIONS},
 * {@value #MAX_REQUEST_TIME}, {@value #MAX_CONNECTIONS}) once, when
 * the first server of the JVM is created, so they are set here before that; a value given on the
 * command line is left as it is.
 */
public final class LoopbackHttpServer {
    /** The JDK's system property that sets {@code TCP_NODELAY} on the connections its server accepts. */
    public static final String NO_DELAY = "sun.net.httpserver.nodelay";
    /** The JDK's system property for the most idle connections its server keeps open. */
    public static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";
    /** The JDK's system property for the seconds a request may take to arrive whole. */
    public static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    /** The JDK's system property for the most connections its server takes at once. */
    public static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    /** How long a request may take to arrive, headers and body. */
    public static final int REQUEST_SECONDS = 30;

    private LoopbackHttpServer() {
    }

    /**
     * Creates (does not start) a server on 127.0.0.1.
     *
     * @param port    the port, 0 for any free one
     * @param backlog the most connections waiting to be accepted
     */
    public static HttpServer create(int port, int backlog) throws IOException {
        return create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    }

    /**
     * Creates (does not start) a server on {@code address}, with the same settings: for an
     * instance that takes its host's words and messages over the network (docs/runtime.md).
     */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        setUnlessGiven(NO_DELAY, "true");
        long high = Thresholds.concurrencyHigh(Runtime.getRuntime().availableProcessors());
        setUnlessGiven(MAX_IDLE_CONNECTIONS, String.valueOf(10 * high));
        setUnlessGiven(MAX_CONNECTIONS, String.valueOf(20 * high));
        setUnlessGiven(MAX_REQUEST_TIME, String.valueOf(REQUEST_SECONDS));
        return HttpServer.create(address, backlog);
    }

    private static void setUnlessGiven(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
