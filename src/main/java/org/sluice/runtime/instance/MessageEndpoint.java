package org.sluice.runtime.instance;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;

/**
 * A role instance's HTTP side: its server on 127.0.0.1 ({@link LoopbackHttpServer}) and the two
 * sets of threads that answer it.
 *
 * <p>While the instance takes messages, every request goes to the <em>workers</em>, 200 &times;
 * cores + 50 threads: well above the high concurrency threshold, so that throttling, not a full
 * pool, is what refuses a burst. While it refuses them (throttled, suspended or stopping), new
 * requests go to a few <em>refusal threads</em> instead, 8 &times; cores, which answer 503 or 409.
 * A refusal then neither shares the processors with hundreds of threads answering other
 * refusals, nor waits for a worker; and the workers stay free for the messages in process. At
 * 10 &times; the threshold, with every request on the workers, the instance's threads waited for a
 * processor about five times as long (docs/perf.md, R3). A request that a refusal thread admits after all (the instance recovered
 * between the server's dispatch and the handler's check) is handed to the workers.
 *
 * <p>A refusal thread reads and drops the refused body before it answers (see
 * {@link MessageHandler}), so a sender that sends its body slowly holds one of them up; the
 * host's front door, which is what posts to an instance, sends each body whole right after its
 * headers.
 */
final class MessageEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final HttpContext context;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor refusals;

    private MessageEndpoint(HttpServer server, HttpContext context, ThreadPoolExecutor workers,
                            ThreadPoolExecutor refusals) {
        this.server = server;
        this.context = context;
        this.workers = workers;
        this.refusals = refusals;
    }

    /** A refusal thread; an admitted message's work found on one goes to the workers. */
    private static final class RefusalThread extends Thread {
        RefusalThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    /**
     * Opens and starts the endpoint of an instance with {@code cores} processors.
     *
     * @throws IOException when no port can be opened on 127.0.0.1
     */
    static MessageEndpoint open(int index, InstanceGate gate, InstanceMonitor monitor, MessagePipeline pipeline,
                                DeliveryProblems problems, int cores) throws IOException {
        return open(index, gate, monitor, pipeline, problems, 200 * cores + 50, 8 * cores, UnaryOperator.identity());
    }

    /**
     * @param workerThreads  threads for requests while the instance takes messages
     * @param refusalThreads threads for requests while it refuses them
     * @param dispatch       wraps the executor the server hands each request to (the identity
     *                       but in benchmarks, which time the wait for a thread)
     */
    static MessageEndpoint open(int index, InstanceGate gate, InstanceMonitor monitor, MessagePipeline pipeline,
                                DeliveryProblems problems, int workerThreads, int refusalThreads,
                                UnaryOperator<Executor> dispatch) throws IOException {
        ThreadPoolExecutor workers = new ThreadPoolExecutor(workerThreads, workerThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10 * workerThreads), threads("instance-http", false));
        workers.allowCoreThreadTimeOut(true);
        // Unbounded: the server holds at most one request per connection, and a refusal is short.
        ThreadPoolExecutor refusals = new ThreadPoolExecutor(refusalThreads, refusalThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("instance-refusals", true));
        refusals.allowCoreThreadTimeOut(true);
        HttpServer server;
        try {
            server = LoopbackHttpServer.create(0, 1024);
        } catch (IOException e) {
            workers.shutdownNow();
            refusals.shutdownNow();
            throw e;
        }
        Executor handOff = task -> {
            if (Thread.currentThread() instanceof RefusalThread) {
                try {
                    workers.execute(task);
                    return;
                } catch (RejectedExecutionException e) {
                    // Every worker busy and the queue full, or the workers shut down: run it here.
                }
            }
            task.run();
        };
        HttpContext context = server.createContext("/", new MessageHandler(index, gate, monitor, pipeline, problems, handOff));
        BooleanSupplier refusing = () -> monitor.isThrottled() || gate.closedBecause().isPresent();
        server.setExecutor(dispatch.apply(request -> {
            if (refusing.getAsBoolean()) {
                refusals.execute(request);
            } else {
                workers.execute(request);
            }
        }));
        server.start();
        return new MessageEndpoint(server, context, workers, refusals);
    }

    private static ThreadFactory threads(String prefix, boolean refusing) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            String name = prefix + "-" + count.incrementAndGet();
            if (refusing) {
                return new RefusalThread(task, name);
            }
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The port messages are posted to. */
    int port() {
        return server.getAddress().getPort();
    }

    /** The context of {@code /}, for benchmarks that time the handler with a filter. */
    HttpContext context() {
        return context;
    }

    /** Closes the port and stops both sets of threads. */
    @Override
    public void close() {
        server.stop(0);
        refusals.shutdownNow();
        workers.shutdownNow();
    }
}
