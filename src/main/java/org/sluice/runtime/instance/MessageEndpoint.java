package org.sluice.runtime.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.runtime.http.HttpTurns;
import org.sluice.throttle.Thresholds;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A role instance's HTTP side (docs/decisions/0057-instance-endpoint-on-an-event-loop.md): as many
 * event loops as processors (Netty, NIO) read every request and write every answer, and
 * {@link MessageHandler} on {@code /messages} decides on the loop; refusals never leave it
 * ({@link InstanceConnection}). Admitted messages are delivered by worker threads, 200 &times;
 * cores + 50 of them as before, since delivery blocks and throttling, not a full pool, is what
 * refuses a burst. A networked instance answers its protocol ({@link ProtocolHandler}) on the same
 * loops.
 *
 * <p>It keeps the limits the JDK's server had here ({@link LoopbackHttpServer}): {@code TCP_NODELAY}
 * on every connection; a request must arrive whole within {@value LoopbackHttpServer#REQUEST_SECONDS}
 * s (the system property {@value LoopbackHttpServer#MAX_REQUEST_TIME} shortens it); a connection
 * idle for 30 s is closed; and it takes at most 20 &times; the high concurrency threshold of
 * connections at once ({@value LoopbackHttpServer#MAX_CONNECTIONS} sets another bound), closing any
 * more as soon as they are accepted.
 */
final class MessageEndpoint implements AutoCloseable {
    /** Netty's system property that keeps it from using {@code sun.misc.Unsafe} (as the front door sets it). */
    static final String NETTY_NO_UNSAFE = "io.netty.noUnsafe";

    /** What else the endpoint answers, under a path prefix: the protocol, a benchmark's controls. Called on the loop. */
    interface Route {
        /** The reply to a whole request (its body dropped); must not block: what may is a {@link Reply.Later}. */
        Reply handle(EndpointRequest request);
    }

    /** Told of every answer written, for benchmarks; called on the loop. */
    interface Timing {
        /**
         * @param status       the answer's status
         * @param decideNanos  how long the message's checks took, when its headers came (0 for other requests)
         * @param arrivedAt    {@link System#nanoTime()} when the loop read the request's first bytes
         * @param dispatchedAt {@link System#nanoTime()} when the loop had the whole request
         * @param writtenAt    {@link System#nanoTime()} when the answer's write completed
         */
        void answered(int status, long decideNanos, long arrivedAt, long dispatchedAt, long writtenAt);
    }

    private final EventLoopGroup loops;
    private final ThreadPoolExecutor workers;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    /** Connections whose request is whole and whose answer (or stream) is not yet written out. */
    private final Object answeringLock = new Object();
    private int answering;
    private Channel listening;
    private volatile MessageHandler messages;
    private volatile Timing timing;

    private MessageEndpoint(EventLoopGroup loops, ThreadPoolExecutor workers) {
        this.loops = loops;
        this.workers = workers;
    }

    /**
     * Opens and starts the endpoint of an instance with {@code cores} processors.
     *
     * @throws IOException when no port can be opened on 127.0.0.1
     */
    static MessageEndpoint open(MessageHandler handler, int cores) throws IOException {
        MessageEndpoint endpoint = open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), cores);
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
        if (System.getProperty(NETTY_NO_UNSAFE) == null) {
            System.setProperty(NETTY_NO_UNSAFE, "true");
        }
        int size = 200 * cores + 50;
        ThreadPoolExecutor workers = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10 * size), Thread.ofPlatform().name("instance-http-", 1).daemon().factory());
        workers.allowCoreThreadTimeOut(true);
        EventLoopGroup loops = new NioEventLoopGroup(Math.max(1, cores), new DefaultThreadFactory("instance-loop", true));
        MessageEndpoint endpoint = new MessageEndpoint(loops, workers);
        long high = Thresholds.concurrencyHigh(Runtime.getRuntime().availableProcessors());
        int maxConnections = Integer.getInteger(LoopbackHttpServer.MAX_CONNECTIONS, (int) (20 * high));
        Duration requestTime = Duration.ofSeconds(Integer.getInteger(LoopbackHttpServer.MAX_REQUEST_TIME,
                LoopbackHttpServer.REQUEST_SECONDS));
        ChannelFuture bound = HttpTurns.server(loops, NioServerSocketChannel.class, 1024, endpoint.connections, maxConnections,
                        () -> new InstanceConnection(endpoint, requestTime))
                .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
            workers.shutdownNow();
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io : new IOException("cannot listen on " + address + ": " + cause, cause);
        }
        endpoint.listening = bound.channel();
        return endpoint;
    }

    /** Takes messages from now on, at {@code POST /messages}. */
    void serve(MessageHandler handler) {
        messages = handler;
    }

    /** Answers the protocol's requests from now on, beside the messages ({@link ProtocolHandler#PREFIX}). */
    void serveProtocol(ProtocolHandler handler) {
        route(ProtocolHandler.PREFIX, handler::handle);
    }

    /** Answers requests whose path starts with {@code prefix} with {@code route} from now on. */
    void route(String prefix, Route route) {
        routes.put(prefix, route);
    }

    /** Tells {@code timing} of every answer written from now on (benchmarks). */
    void time(Timing timing) {
        this.timing = timing;
    }

    MessageHandler messages() {
        return messages;
    }

    Timing timing() {
        return timing;
    }

    ExecutorService workers() {
        return workers;
    }

    /** The route whose prefix starts {@code path}, or null. */
    Route routeFor(String path) {
        if (routes.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, Route> entry : routes.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    void answering(int change) {
        synchronized (answeringLock) {
            answering += change;
            if (answering == 0) {
                answeringLock.notifyAll();
            }
        }
    }

    /** Returns once every loop has done what was handed to it before (for tests). */
    void settle() {
        for (io.netty.util.concurrent.EventExecutor loop : loops) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
    }

    /** Where the endpoint listens. */
    InetSocketAddress address() {
        return (InetSocketAddress) listening.localAddress();
    }

    /** The port messages are posted to. */
    int port() {
        return address().getPort();
    }

    /** Closes the port and stops the loops and the threads. */
    @Override
    public void close() {
        close(0);
    }

    /**
     * Closes the port, waiting up to {@code graceSeconds} for the requests under way to be answered
     * (a networked instance's answer to {@code stop}, the ends of its event streams), and stops the
     * loops and the threads.
     */
    void close(int graceSeconds) {
        listening.close().awaitUninterruptibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        synchronized (answeringLock) {
            while (answering > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(answeringLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownNow();
    }
}
