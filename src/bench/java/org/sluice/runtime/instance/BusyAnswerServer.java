package org.sluice.runtime.instance;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.lifecycle.ServiceDefinition.Validation;

/**
 * The server half of {@link BusyAnswerBench}, run as its own process: one role instance's message
 * endpoint ({@link MessageHandler}, {@link InstanceMonitor}, a JSON pipeline, sampled every
 * 200 ms) whose destination takes {@code deliveryMs} a message and notes each message id it
 * delivers. Memory reads a constant 40 %, so that concurrency alone throttles.
 *
 * <p>{@code wiring} says how the HTTP side is set up: {@code instance} is what
 * {@code InstanceProcess} does ({@link MessageEndpoint} with {@link MessageHandler}); {@code bare}
 * is the same endpoint, loops and workers with a handler that has no throttle check at all (for
 * throughput with and without it). Arguments: {@code wiring deliveryMs}.
 *
 * <p>For every 503 it notes two times, on the event loop: from dispatch (the moment the loop has
 * the whole request, its body read and dropped) to the answer written (its write completed), and
 * inside the handler (the handler's checks, made when the request's headers came, plus that same
 * writing). With the JDK's server, before, "dispatch" was the moment the server handed the
 * connection to its executor, so the wait for a pool thread and the reading of the headers were in
 * it; on a loop there is no hand-off left to wait for. A third time, from arrival (the loop's first
 * read of the request to the answer written), is the nearer to that old "dispatch" (docs/perf.md
 * says how the figures compare).
 * Besides {@code /messages} it answers {@code GET /bench/reset} (forget the times so far: the end
 * of the warm-up) and {@code GET /bench/report} (waits, on a worker, until no message is in process, then
 * prints the figures and the delivered ids). Prints {@code PORT n} when ready.
 */
public final class BusyAnswerServer {
    private static final int CAPACITY = 2_000_000;

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
        Times fromArrival = new Times();
        AtomicLong refused = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        MessageEndpoint endpoint;
        if (wiring.equals("instance")) {
            endpoint = MessageEndpoint.open(new MessageHandler(0, gate, monitor, pipeline, problems), cores);
        } else if (wiring.equals("bare")) {
            // The same loops and workers, and a handler that runs the pipeline with no throttle
            // check at all: no monitor, no admission, no gate.
            endpoint = MessageEndpoint.open(new Bare(gate, monitor, pipeline, problems), cores);
        } else {
            throw new IllegalArgumentException("unknown wiring " + wiring + " (instance or bare)");
        }
        // "Dispatch": the loop has the whole request. "Inside the handler": the handler's checks, made
        // when the headers came, and the writing of the answer from dispatch until its write completed.
        // "From arrival": from the loop's first read of the request, which is nearer what "dispatch"
        // was with the JDK's server (before the request's head and body were read on a pool thread).
        endpoint.time((status, decideNanos, arrivedAt, dispatchedAt, writtenAt) -> {
            answered.incrementAndGet();
            if (status == 503) {
                refused.incrementAndGet();
                inside.add(decideNanos + (writtenAt - dispatchedAt));
                fromDispatch.add(writtenAt - dispatchedAt);
                fromArrival.add(writtenAt - arrivedAt);
            }
        });
        long[] schedAtReset = new long[2];
        endpoint.route("/bench/reset", request -> {
            long[] now = schedstat();
            schedAtReset[0] = now[0];
            schedAtReset[1] = now[1];
            inside.reset();
            fromDispatch.reset();
            fromArrival.reset();
            refused.set(0);
            // The answer to this request is counted too.
            answered.set(-1);
            return Reply.Answer.text(200, "reset");
        });
        endpoint.route("/bench/report", request -> new Reply.Later(() -> {
            boolean idle = monitor.awaitIdle(30_000);
            StringBuilder report = new StringBuilder();
            report.append(String.format(Locale.ROOT, "wiring=%s cores=%d deliveryMs=%d idle=%s refused=%d duplicates=%d%n",
                    wiring, cores, deliveryMs, idle, refused.get(), duplicates.get()));
            long[] sched = schedstat();
            double ran = (sched[0] - schedAtReset[0]) / 1e9;
            report.append(String.format(Locale.ROOT, "threads ran %.2f s on a CPU and waited %.2f s for one "
                    + "(run queue, /proc/self/task/*/schedstat) since the warm-up; %d answers (any status), "
                    + "%.1f µs of CPU each%n", ran, (sched[1] - schedAtReset[1]) / 1e9, answered.get(),
                    answered.get() <= 0 ? 0 : ran * 1e6 / answered.get()));
            report.append("503 inside the handler ").append(inside.summary()).append('\n');
            report.append("503 from dispatch ").append(fromDispatch.summary()).append('\n');
            report.append("503 from arrival ").append(fromArrival.summary()).append('\n');
            report.append("delivered");
            for (String id : delivered) {
                report.append(' ').append(id);
            }
            report.append('\n');
            return Reply.Answer.text(200, report.toString());
        }));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(monitor::sample, 0, InstanceProcess.SAMPLE_PERIOD_MS, TimeUnit.MILLISECONDS);
        System.out.println("PORT " + endpoint.port());
        System.out.flush();
        // Runs until the bench kills it, or until its standard input closes.
        System.in.transferTo(OutputStream.nullOutputStream());
        System.exit(0);
    }

    /** What {@link MessageHandler} does for a message it admits, without anything else. */
    private static final class Bare extends MessageHandler {
        Bare(InstanceGate gate, InstanceMonitor monitor, MessagePipeline pipeline, DeliveryProblems problems) {
            super(0, gate, monitor, pipeline, problems);
        }

        @Override
        Start begin(EndpointRequest request) {
            if (!PATH.equals(request.path()) || !"POST".equals(request.method())) {
                return new Refused(Reply.Answer.empty(404));
            }
            return new Admitted(null, false);
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
}
