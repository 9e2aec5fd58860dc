package org.sluice.runtime.instance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.fleet.traffic.LoadGenerator;
import org.sluice.throttle.Thresholds;

/**
 * The 503 answer time of one role instance at 10 &times; its high concurrency threshold, and
 * whether every message it accepted was delivered, with the sender in its own process.
 *
 * <p>Starts {@link BusyAnswerServer} as a child JVM, pinned with {@code taskset} to the CPUs in
 * {@code server-cpus} (so the instance has that many cores, as {@code -XX:ActiveProcessorCount}
 * gives a real one), while this process sends from the CPUs it was started on (run it under
 * {@code taskset -c 0}). Load is either a closed loop of {@code senders} senders, each sending
 * its next message as soon as the last is answered, or, with {@code rate}, open loop: a message
 * due every 1/rate s whatever the answers ({@link LoadGenerator}), with at most {@code senders}
 * in flight. Bodies are 1 KiB of JSON.
 *
 * <p>After {@code warmup} seconds of load the server's times are reset and counting starts; after
 * {@code seconds} more the load stops, the server waits until nothing is in process and reports
 * its 503 times and the ids it delivered, and this process compares them with the ids answered
 * 200. Arguments as {@code key=value}: {@code wiring} (instance), {@code seconds} (20),
 * {@code warmup} (5), {@code senders} (10 &times; the high threshold of the server's cores),
 * {@code rate} (absent: closed loop), {@code server-cpus} (1), {@code delivery-ms} (100),
 * {@code probe-per-s} (50, see {@link Probe}), {@code jfr} (a file to record the server with JFR), {@code server-jvm} (more options for the
 * server's JVM, separated by spaces).
 */
public final class BusyAnswerBench {
    private BusyAnswerBench() {
    }

    /** Latencies in nanoseconds from many threads; counted only once {@code counting}. */
    static final class Latencies {
        private final long[] values = new long[4_000_000];
        private final AtomicInteger next = new AtomicInteger();

        void add(long nanos) {
            int i = next.getAndIncrement();
            if (i < values.length) {
                values[i] = nanos;
            }
        }

        int count() {
            return next.get();
        }

        String summary() {
            int n = Math.min(next.get(), values.length);
            if (n == 0) {
                return "n=0";
            }
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "n=%d p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f ms", n,
                    ms(sorted, 50), ms(sorted, 90), ms(sorted, 99), ms(sorted, 99.9), sorted[n - 1] / 1e6);
        }

        private static double ms(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }
    }

    private static final class Counts {
        final Latencies busy = new Latencies();
        final Latencies ok = new Latencies();
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final AtomicLong sentCounted = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong retryAfterWrong = new AtomicLong();
        volatile String firstError;
        volatile boolean counting;

        void answered(long sentNanos, boolean countedWhenSent, HttpResponse<String> response, Throwable failure) {
            long nanos = System.nanoTime() - sentNanos;
            if (failure != null) {
                errors.incrementAndGet();
                if (firstError == null) {
                    firstError = failure.toString();
                }
                return;
            }
            int status = response.statusCode();
            if (status == 200) {
                String text = response.body();
                int start = text.indexOf(':') + 2;
                accepted.add(text.substring(start, text.indexOf('"', start)));
                if (countedWhenSent) {
                    ok.add(nanos);
                }
            } else if (status == 503) {
                if (!MessageHandler.BUSY.equals(response.body())
                        || !"1".equals(response.headers().firstValue("Retry-After").orElse(null))) {
                    retryAfterWrong.incrementAndGet();
                }
                if (countedWhenSent) {
                    busy.add(nanos);
                }
            } else {
                other.incrementAndGet();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("arguments are key=value, was " + arg);
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String wiring = options.getOrDefault("wiring", "instance");
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        String serverCpus = options.getOrDefault("server-cpus", "1");
        int serverCores = serverCpus.split(",").length;
        int senders = Integer.parseInt(options.getOrDefault("senders",
                String.valueOf(10 * Thresholds.concurrencyHigh(serverCores))));
        String deliveryMs = options.getOrDefault("delivery-ms", "100");
        OptionalLong rate = options.containsKey("rate") ? OptionalLong.of(Long.parseLong(options.get("rate")))
                : OptionalLong.empty();

        List<String> command = new ArrayList<>();
        boolean pinned = Files.isExecutable(Path.of("/usr/bin/taskset"));
        if (pinned) {
            command.addAll(List.of("/usr/bin/taskset", "-c", serverCpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path")));
        if (options.containsKey("jfr")) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + options.get("jfr"));
        }
        if (options.containsKey("server-jvm")) {
            command.addAll(Arrays.asList(options.get("server-jvm").strip().split("\\s+")));
        }
        command.addAll(List.of(BusyAnswerServer.class.getName(), wiring, deliveryMs));
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String portLine = serverOut.readLine();
        while (portLine != null && !portLine.startsWith("PORT ")) {
            // JFR, when asked for, says that it started.
            portLine = serverOut.readLine();
        }
        if (portLine == null || !portLine.startsWith("PORT ")) {
            throw new IllegalStateException("the server did not start: " + portLine);
        }
        String base = "http://127.0.0.1:" + portLine.substring(5).strip();
        URI messages = URI.create(base + "/messages");

        StringBuilder json = new StringBuilder("{\"order\":42,\"lines\":[");
        while (json.length() < 1000) {
            json.append("{\"sku\":\"A-1\",\"qty\":3},");
        }
        json.setLength(json.length() - 1);
        json.append("]}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);

        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(30)).build();
        Counts counts = new Counts();
        long startNanos = System.nanoTime();
        long countFrom = startNanos + TimeUnit.SECONDS.toNanos(warmup);
        long end = countFrom + TimeUnit.SECONDS.toNanos(seconds);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        scheduler.schedule(() -> {
            get(client, base + "/bench/reset");
            counts.counting = true;
        }, warmup, TimeUnit.SECONDS);
        long serverCpuBefore = cpuNanos(server);
        long clientCpuBefore = clientCpuNanos();
        long[] clientSchedBefore = BusyAnswerServer.schedstat();

        Probe probe = new Probe(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), body, counts, end,
                Integer.parseInt(options.getOrDefault("probe-per-s", "50")));
        Thread probeThread = new Thread(probe, "busy-probe");
        probeThread.setDaemon(true);
        probeThread.start();

        CompletableFuture<?> load;
        if (rate.isPresent()) {
            LoadGenerator generator = new LoadGenerator(rate.getAsLong(), senders,
                    Duration.ofSeconds(warmup + seconds), false, seq -> {
                        boolean counted = counts.counting;
                        if (counted) {
                            counts.sentCounted.incrementAndGet();
                        }
                        long sent = System.nanoTime();
                        return client.sendAsync(post(messages, body), HttpResponse.BodyHandlers.ofString())
                                .whenComplete((response, failure) -> counts.answered(sent, counted, response, failure))
                                .thenApply(r -> new LoadGenerator.Reply(r.statusCode(), OptionalLong.empty()));
                    }, scheduler, System::nanoTime);
            load = generator.start();
        } else {
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                loops.add(loop(client, messages, body, end, counts));
            }
            load = CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new));
        }
        load.get(warmup + seconds + 180L, TimeUnit.SECONDS);
        probeThread.join(TimeUnit.SECONDS.toMillis(70));
        long serverCpu = cpuNanos(server) - serverCpuBefore;
        long clientCpu = clientCpuNanos() - clientCpuBefore;
        long[] clientSched = BusyAnswerServer.schedstat();
        double wall = (System.nanoTime() - startNanos) / 1e9;

        String report = get(client, base + "/bench/report");
        Set<String> delivered = new HashSet<>();
        for (String line : report.split("\n")) {
            if (line.startsWith("delivered")) {
                delivered.addAll(Arrays.asList(line.substring("delivered".length()).strip().split(" ")));
                delivered.remove("");
            } else {
                System.out.println("RESULT server " + line);
            }
        }
        counts.accepted.addAll(probe.accepted);
        long lost = counts.accepted.stream().filter(id -> !delivered.contains(id)).count();
        System.out.println("RESULT server command " + String.join(" ", command).replace(System.getProperty("java.class.path"), "CP"));
        System.out.printf(Locale.ROOT, "RESULT load %s: senders=%d (high threshold %d on %d core(s), server on CPU %s%s), "
                        + "warm-up %d s, counted %d s%n", rate.isPresent() ? "open loop at " + rate.getAsLong() + "/s" : "closed loop",
                senders, Thresholds.concurrencyHigh(serverCores), serverCores, serverCpus, pinned ? "" : " NOT pinned",
                warmup, seconds);
        System.out.println("RESULT 503 seen by the sender " + counts.busy.summary());
        System.out.println("RESULT 200 seen by the sender " + counts.ok.summary());
        System.out.printf(Locale.ROOT, "RESULT 503 seen by the probe (one request at a time on its own connection, "
                + "%s/s, during the same load) %s%n", options.getOrDefault("probe-per-s", "50"), probe.busy.summary());
        System.out.printf(Locale.ROOT, "RESULT 200 seen by the probe %s; probe errors %d%n", probe.ok.summary(),
                probe.errors);
        System.out.printf(Locale.ROOT, "RESULT throughput: %.0f messages/s answered 200, %.0f/s answered 503%n",
                counts.ok.count() / (double) seconds, counts.busy.count() / (double) seconds);
        System.out.printf(Locale.ROOT, "RESULT accepted=%d delivered=%d accepted-but-not-delivered=%d other-status=%d "
                        + "errors=%d wrong-503-body-or-retry-after=%d%s%n", counts.accepted.size(), delivered.size(), lost,
                counts.other.get(), counts.errors.get(), counts.retryAfterWrong.get(),
                counts.firstError == null ? "" : " first error: " + counts.firstError);
        System.out.printf(Locale.ROOT, "RESULT cpu over %.1f s: server %.0f %% of one core, sender %.0f %% of one core; "
                        + "the sender's threads waited %.2f s for a CPU%n", wall, 100.0 * serverCpu / 1e9 / wall,
                100.0 * clientCpu / 1e9 / wall, (clientSched[1] - clientSchedBefore[1]) / 1e9);
        server.getOutputStream().close();
        server.waitFor(30, TimeUnit.SECONDS);
        server.destroy();
        System.exit(0);
    }

    /**
     * A sender of its own beside the load: one request at a time on one keep-alive connection
     * (a plain socket, {@code TCP_NODELAY}, headers and body in one write), {@code perSecond} a
     * second. It sees the instance's answer time without the queue of the load's own HTTP client,
     * which at 10 &times; the threshold keeps its processor busy.
     */
    static final class Probe implements Runnable {
        final Latencies busy = new Latencies();
        final Latencies ok = new Latencies();
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        volatile int errors;
        private final int port;
        private final byte[] request;
        private final Counts counts;
        private final long end;
        private final long periodNanos;

        Probe(int port, byte[] body, Counts counts, long end, int perSecond) {
            this.port = port;
            this.counts = counts;
            this.end = end;
            this.periodNanos = 1_000_000_000L / perSecond;
            byte[] head = ("POST /messages HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
        }

        @Override
        public void run() {
            java.net.Socket socket = null;
            java.io.InputStream in = null;
            long next = System.nanoTime();
            while (System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                next += periodNanos;
                try {
                    if (socket == null) {
                        socket = new java.net.Socket("127.0.0.1", port);
                        socket.setTcpNoDelay(true);
                        in = new java.io.BufferedInputStream(socket.getInputStream());
                    }
                    boolean counted = counts.counting;
                    long start = System.nanoTime();
                    socket.getOutputStream().write(request);
                    String status = line(in);
                    int length = 0;
                    boolean close = false;
                    for (String header = line(in); !header.isEmpty(); header = line(in)) {
                        String lower = header.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("content-length:")) {
                            length = Integer.parseInt(header.substring(15).strip());
                        } else if (lower.startsWith("connection:") && lower.contains("close")) {
                            close = true;
                        }
                    }
                    String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    long nanos = System.nanoTime() - start;
                    if (status.startsWith("HTTP/1.1 503")) {
                        if (counted) {
                            busy.add(nanos);
                        }
                    } else if (status.startsWith("HTTP/1.1 200")) {
                        int from = answer.indexOf(':') + 2;
                        accepted.add(answer.substring(from, answer.indexOf('"', from)));
                        if (counted) {
                            ok.add(nanos);
                        }
                    } else {
                        errors++;
                    }
                    if (close) {
                        socket.close();
                        socket = null;
                    }
                } catch (IOException | RuntimeException e) {
                    errors++;
                    try {
                        if (socket != null) {
                            socket.close();
                        }
                    } catch (IOException ignored) {
                        // Reconnect next time.
                    }
                    socket = null;
                }
            }
        }

        private static String line(java.io.InputStream in) throws IOException {
            StringBuilder text = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    text.append((char) c);
                }
            }
            if (c == -1) {
                throw new IOException("the connection closed");
            }
            return text.toString();
        }
    }

    private static HttpRequest post(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static CompletableFuture<Void> loop(HttpClient client, URI uri, byte[] body, long end, Counts counts) {
        if (System.nanoTime() > end) {
            return CompletableFuture.completedFuture(null);
        }
        boolean counted = counts.counting;
        long start = System.nanoTime();
        return client.sendAsync(post(uri, body), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    counts.answered(start, counted, response, failure);
                    return null;
                })
                .thenCompose(ignored -> loop(client, uri, body, end, counts));
    }

    private static String get(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The child's CPU time (user + system) from /proc, in nanoseconds. */
    private static long cpuNanos(Process process) {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
