package org.sluice.runtime.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;

/**
 * A role instance's HTTP side: its server on 127.0.0.1 ({@link LoopbackHttpServer}) with
 * {@link MessageHandler} on {@code /}, and the threads that answer it: 200 &times; cores + 50,
 * well above the high concurrency threshold, so that throttling, not a full pool, is what refuses
 * a burst.
 *
 * <p>Refusals are answered by the same threads as admitted messages. Giving them a few threads of
 * their own while the instance refuses was tried: at 10 &times; the threshold it answered them
 * no faster (docs/perf.md, R3).
 */
final class MessageEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ThreadPoolExecutor threads;
    private volatile HttpContext context;

    private MessageEndpoint(HttpServer server, ThreadPoolExecutor threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Opens and starts the endpoint of an instance with {@code cores} processors.
     *
     * @throws IOException when no port can be opened on 127.0.0.1
     */
    static MessageEndpoint open(MessageHandler handler, int cores) throws IOException {
        return open(handler, cores, UnaryOperator.identity());
    }

    /**
     * @param dispatch wraps the executor the server hands each request to (the identity but in
     *                 benchmarks, which time the wait for a thread)
     */
    static MessageEndpoint open(MessageHandler handler, int cores, UnaryOperator<Executor> dispatch) throws IOException {
        MessageEndpoint endpoint = open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), cores, dispatch);
        endpoint.serve(handler);
        return endpoint;
    }

    /**
     * Opens and starts the endpoint of an instance with {@code cores} processors on {@code address},
     * taking no message until {@link #serve}: a networked instance opens it before it starts, so that
     * its host can follow its events (and learn why, should it fail to start).
     *
     * @throws IOException when the port cannot be opened
     */
    static MessageEndpoint open(InetSocketAddress address, int cores) throws IOException {
        return open(address, cores, UnaryOperator.identity());
    }

    private static MessageEndpoint open(InetSocketAddress address, int cores, UnaryOperator<Executor> dispatch)
            throws IOException {
        int size = 200 * cores + 50;
        ThreadPoolExecutor threads = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10 * size), Thread.ofPlatform().name("instance-http-", 1).daemon().factory());
        threads.allowCoreThreadTimeOut(true);
        HttpServer server;
        try {
            server = LoopbackHttpServer.create(address, 1024);
        } catch (IOException e) {
            threads.shutdownNow();
            throw e;
        }
        server.setExecutor(dispatch.apply(threads));
        server.start();
        return new MessageEndpoint(server, threads);
    }

    /** Takes messages from now on, at {@code POST /messages}. */
    void serve(MessageHandler handler) {
        context = server.createContext("/", handler);
    }

    /** Answers the protocol's requests from now on, beside the messages ({@link ProtocolHandler#PREFIX}). */
    void serveProtocol(ProtocolHandler handler) {
        server.createContext(ProtocolHandler.PREFIX, handler);
    }

    /** Where the endpoint listens. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** The port messages are posted to. */
    int port() {
        return server.getAddress().getPort();
    }

    /** The context of {@code /}, for benchmarks that time the handler with a filter. */
    HttpContext context() {
        return context;
    }

    /** Closes the port and stops the threads. */
    @Override
    public void close() {
        close(0);
    }

    /**
     * Closes the port, waiting up to {@code graceSeconds} for the requests under way to be answered
     * (a networked instance's answer to {@code stop}, the ends of its event streams), and stops the threads.
     */
    void close(int graceSeconds) {
        server.stop(graceSeconds);
        threads.shutdownNow();
    }
}
