package org.sluice.runtime.instance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.sluice.lifecycle.ServiceDefinition.Validation;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The server half of {@link BusyAnswerBench}, run as its own process: one role instance's message
 * endpoint ({@link MessageHandler}, {@link InstanceMonitor}, a JSON pipeline, sampled every
 * 200 ms) whose destination takes {@code deliveryMs} a message and notes each message id it
 * delivers. Memory reads a constant 40 %, so that concurrency alone throttles.
 *
 * <p>{@code wiring} says how the HTTP side is set up: {@code instance} is what
 * {@code InstanceProcess} does ({@link MessageEndpoint}); {@code legacy} is the same pool on a
 * server made by {@code HttpServer.create} with the JDK's defaults (no {@code TCP_NODELAY}, at most
 * 200 idle connections) unless {@code -Dsun.net.httpserver.*} options say otherwise, as the instance
 * had it before; {@code bare} is the endpoint's server and pool with a handler that has no
 * throttle check at all (for throughput with and without it). Arguments: {@code wiring deliveryMs}.
 *
 * <p>For every 503 it notes two times: inside the handler (from the handler's start to the answer
 * written), and from dispatch (the moment the HTTP server handed the connection to its executor,
 * so queueing for a thread and reading the request's headers are in it) to the answer written.
 * Besides {@code /messages} it answers {@code GET /bench/reset} (forget the times so far: the end
 * of the warm-up) and {@code GET /bench/report} (waits until no message is in process, then
 * prints the figures and the delivered ids). Prints {@code PORT n} when ready.
 */
public final class BusyAnswerServer {
    private static final int CAPACITY = 2_000_000;
    private static final ThreadLocal<Long> DISPATCHED = new ThreadLocal<>();

    private BusyAnswerServer() {
    }

    /** Times in nanoseconds, kept without locking; those over capacity are counted, not kept. */
    static final class Times {
        private final long[] values = new long[CAPACITY];
        private final AtomicInteger next = new AtomicInteger();

        void add(long nanos) {
            int i = next.getAndIncrement();
            if (i < values.length) {
                values[i] = nanos;
            }
        }

        void reset() {
            next.set(0);
        }

        String summary() {
            int n = Math.min(next.get(), values.length);
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            if (n == 0) {
                return "n=0";
            }
            return String.format(Locale.ROOT, "n=%d p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f ms%s", n,
                    ms(sorted, 50), ms(sorted, 90), ms(sorted, 99), ms(sorted, 99.9), sorted[n - 1] / 1e6,
                    next.get() > values.length ? " (" + (next.get() - values.length) + " over capacity not kept)" : "");
        }

        private static double ms(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        String wiring = args.length > 0 ? args[0] : "instance";
        int deliveryMs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int cores = Runtime.getRuntime().availableProcessors();

        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicLong duplicates = new AtomicLong();
        Destination slow = (id, message) -> {
            try {
                Thread.sleep(deliveryMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryException("interrupted", e);
            }
            if (!delivered.add(id)) {
                duplicates.incrementAndGet();
            }
        };
        ProtocolWriter out = new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream()));
        InstanceMonitor monitor = new InstanceMonitor(InstantSource.system(), bytes -> 40.0, () -> cores, out);
        MessagePipeline pipeline = MessagePipeline.create(Validation.JSON, Optional.empty(), slow);
        InstanceGate gate = new InstanceGate();
        DeliveryProblems problems = new DeliveryProblems(InstantSource.system(), out);

        Times inside = new Times();
        Times fromDispatch = new Times();
        AtomicLong refused = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        Filter timing = new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                long start = System.nanoTime();
                Long dispatched = DISPATCHED.get();
                chain.doFilter(exchange);
                answered.incrementAndGet();
                if (exchange.getResponseCode() == 503) {
                    long end = System.nanoTime();
                    refused.incrementAndGet();
                    inside.add(end - start);
                    if (dispatched != null) {
                        fromDispatch.add(end - dispatched);
                    }
                }
            }

            @Override
            public String description() {
                return "times each 503";
            }
        };
        UnaryOperator<Executor> dispatchTimed = executor -> command -> {
            long dispatched = System.nanoTime();
            executor.execute(() -> {
                DISPATCHED.set(dispatched);
                try {
                    command.run();
                } finally {
                    DISPATCHED.remove();
                }
            });
        };

        HttpServer server;
        if (wiring.equals("legacy")) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            int threads = 200 * cores + 50;
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(10 * threads));
            pool.allowCoreThreadTimeOut(true);
            server.createContext("/", new MessageHandler(0, gate, monitor, pipeline, problems)).getFilters().add(timing);
            server.setExecutor(dispatchTimed.apply(pool));
            server.start();
        } else if (wiring.equals("instance")) {
            MessageEndpoint endpoint = MessageEndpoint.open(new MessageHandler(0, gate, monitor, pipeline, problems),
                    cores, dispatchTimed);
            endpoint.context().getFilters().add(timing);
            server = endpoint.context().getServer();
        } else if (wiring.equals("bare")) {
            // The same server and workers, and a handler that runs the pipeline with no throttle
            // check at all: no monitor, no admission, no gate.
            server = LoopbackHttpServer.create(0, 1024);
            int threads = 200 * cores + 50;
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(10 * threads));
            pool.allowCoreThreadTimeOut(true);
            server.createContext("/", exchange -> bare(exchange, pipeline)).getFilters().add(timing);
            server.setExecutor(pool);
            server.start();
        } else {
            throw new IllegalArgumentException("unknown wiring " + wiring);
        }
        long[] schedAtReset = new long[2];
        server.createContext("/bench/reset", exchange -> {
            long[] now = schedstat();
            schedAtReset[0] = now[0];
            schedAtReset[1] = now[1];
            inside.reset();
            fromDispatch.reset();
            refused.set(0);
            answered.set(0);
            answer(exchange, "reset");
        });
        server.createContext("/bench/report", exchange -> {
            try {
                boolean idle = monitor.awaitIdle(30_000);
                StringBuilder report = new StringBuilder();
                report.append(String.format(Locale.ROOT, "wiring=%s cores=%d deliveryMs=%d idle=%s refused=%d duplicates=%d%n",
                        wiring, cores, deliveryMs, idle, refused.get(), duplicates.get()));
                long[] sched = schedstat();
                double ran = (sched[0] - schedAtReset[0]) / 1e9;
                report.append(String.format(Locale.ROOT, "threads ran %.2f s on a CPU and waited %.2f s for one "
                        + "(run queue, /proc/self/task/*/schedstat) since the warm-up; %d answers (any status), "
                        + "%.1f µs of CPU each%n", ran, (sched[1] - schedAtReset[1]) / 1e9, answered.get(),
                        answered.get() == 0 ? 0 : ran * 1e6 / answered.get()));
                report.append("503 inside the handler ").append(inside.summary()).append('\n');
                report.append("503 from dispatch ").append(fromDispatch.summary()).append('\n');
                report.append("delivered");
                for (String id : delivered) {
                    report.append(' ').append(id);
                }
                report.append('\n');
                answer(exchange, report.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(monitor::sample, 0, InstanceProcess.SAMPLE_PERIOD_MS, TimeUnit.MILLISECONDS);
        System.out.println("PORT " + server.getAddress().getPort());
        System.out.flush();
        // Runs until the bench kills it, or until its standard input closes.
        System.in.transferTo(OutputStream.nullOutputStream());
        System.exit(0);
    }

    /** What {@link MessageHandler} does for a message it admits, without anything else. */
    private static void bare(HttpExchange exchange, MessagePipeline pipeline) throws IOException {
        try (exchange) {
            if (!"/messages".equals(exchange.getRequestURI().getPath()) || !"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MessageHandler.MAX_MESSAGE_BYTES + 1);
            }
            String id = UUID.randomUUID().toString();
            try {
                pipeline.process(id, body);
            } catch (MessageRejectedException | DeliveryException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] bytes = ("{\"messageId\":\"" + id + "\",\"instance\":0}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Time this process's threads ran on a CPU and waited in the run queue, in ns (Linux). */
    static long[] schedstat() {
        long[] total = new long[2];
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String[] fields = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    total[0] += Long.parseLong(fields[0]);
                    total[1] += Long.parseLong(fields[1]);
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    private static void answer(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }
}
