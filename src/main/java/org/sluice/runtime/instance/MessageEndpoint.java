package org.sluice.runtime.instance;

import java.io.IOException;
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
    private final HttpContext context;
    private final ThreadPoolExecutor threads;

    private MessageEndpoint(HttpServer server, HttpContext context, ThreadPoolExecutor threads) {
        this.server = server;
        this.context = context;
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
        int size = 200 * cores + 50;
        ThreadPoolExecutor threads = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10 * size), Thread.ofPlatform().name("instance-http-", 1).daemon().factory());
        threads.allowCoreThreadTimeOut(true);
        HttpServer server;
        try {
            server = LoopbackHttpServer.create(0, 1024);
        } catch (IOException e) {
            threads.shutdownNow();
            throw e;
        }
        HttpContext context = server.createContext("/", handler);
        server.setExecutor(dispatch.apply(threads));
        server.start();
        return new MessageEndpoint(server, context, threads);
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
        server.stop(0);
        threads.shutdownNow();
    }
}
