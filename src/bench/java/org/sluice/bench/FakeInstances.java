package org.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.runtime.instance.InstanceProcess;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.runtime.instance.ProtocolEvent;
import org.sluice.runtime.instance.ProtocolEvents;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Role instances for the 300-instance simulation (docs/perf.md): each one a small server at its own
 * loopback address on port {@link #PORT} (7400 unless told), as a pod has its own address, that speaks the instance
 * protocol of decision 0022 ({@code GET /protocol/events}, {@code POST /protocol/suspend|resume|stop},
 * all with the token) and nothing else: no messages, no pull loop, no governor. Every instance samples
 * itself every {@link InstanceProcess#SAMPLE_PERIOD_MS} ms as a real one does, with counters that grow
 * as under about 100 messages a second, and the whole set crosses into Throttled and back at a given
 * rate, each crossing lasting {@value #THROTTLED_MS} ms and ending with its episode.
 *
 * <p>They run in a JVM of their own, so that the host's process CPU is the host's alone. The wire
 * lines are made by the runtime's own {@link ProtocolEvents}. A stopped instance starts afresh at
 * once, as a pod's container restarted under its Deployment, and waits for the next host to follow it.
 *
 * <p>{@code FakeInstances COUNT TOKEN CROSSINGS_PER_MINUTE}: prints {@code FAKES-READY} once all
 * listen, then serves until it is ended.
 */
public final class FakeInstances {
    /** The port of every instance, as the Kubernetes engine's pods use. */
    /**
     * The port every fake listens on at its own address: 7400 as a pod's, unless the system
     * property {@code sluice.bench.fakePort} says another, so that two simulations on one machine
     * do not take each other's addresses.
     */
    public static final int PORT = Integer.getInteger("sluice.bench.fakePort", 7400);
    /** How long a crossing keeps an instance Throttled. */
    static final long THROTTLED_MS = 2_000;
    private static final List<Long> BOUNDS_MS = List.of(1L, 2L, 5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L,
            10_000L);
    /** Never sent: ends a follower's stream after the stopped line. */
    private static final String END = new String("end");

    private FakeInstances() {
    }

    /** The address of instance {@code slot}: 127.10.x.y, 250 to a /24, none ending in 0 or 255. */
    public static InetSocketAddress address(int slot) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 10, (byte) (slot / 250), (byte) (slot % 250 + 1)}), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        String token = args[1];
        int crossingsPerMinute = Integer.parseInt(args[2]);
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("fake-clock").daemon().factory());
        List<Fake> fakes = new ArrayList<>();
        for (int slot = 0; slot < count; slot++) {
            Fake fake = new Fake(token);
            HttpServer server = HttpServer.create(address(slot), 64);
            server.createContext("/protocol/", fake::handle);
            server.setExecutor(handlers);
            server.start();
            fakes.add(fake);
            // Spread over the period, as instances started at different times are.
            clock.scheduleAtFixedRate(fake::sample, slot * InstanceProcess.SAMPLE_PERIOD_MS / count,
                    InstanceProcess.SAMPLE_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        AtomicLong crossings = new AtomicLong();
        if (crossingsPerMinute > 0) {
            long every = 60_000L / crossingsPerMinute;
            clock.scheduleAtFixedRate(() -> {
                List<Fake> followed = fakes.stream().filter(Fake::calm).toList();
                if (!followed.isEmpty()) {
                    Fake fake = followed.get(ThreadLocalRandom.current().nextInt(followed.size()));
                    fake.cross();
                    crossings.incrementAndGet();
                    clock.schedule(fake::calmDown, THROTTLED_MS, TimeUnit.MILLISECONDS);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() ->
                System.out.println("fakes: " + crossings.get() + " crossings made, " + Fake.LINES.get() + " lines sent")));
        System.out.println("FAKES-READY " + count + " instances at " + address(0).getHostString() + " to "
                + address(count - 1).getHostString() + " port " + PORT);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** One instance: its state, its followers, its answers to the host's words. */
    private static final class Fake {
        static final AtomicLong LINES = new AtomicLong();
        private final String authorization;
        private final List<BlockingQueue<String>> followers = new ArrayList<>();
        private String ready;
        private String gate;
        private String throttle;
        private String sample;
        private ThrottleState state;
        private long throttledSince;
        private long received;
        private long refused;
        private long[] counts;
        private long sumMs;

        Fake(String token) {
            this.authorization = "Bearer " + token;
            fresh();
        }

        /** A new run: ready and open, nothing counted yet. */
        private void fresh() {
            ready = ProtocolEvents.toLine(new ProtocolEvent.Ready(PORT, ProcessHandle.current().pid()));
            gate = null;
            throttle = null;
            sample = null;
            state = ThrottleState.NORMAL;
            received = 0;
            refused = 0;
            counts = new long[BOUNDS_MS.size() + 1];
            sumMs = 0;
        }

        synchronized boolean calm() {
            return !followers.isEmpty() && state == ThrottleState.NORMAL;
        }

        synchronized void sample() {
            if (followers.isEmpty()) {
                return;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            boolean throttled = state == ThrottleState.THROTTLED;
            int messages = 15 + random.nextInt(10);
            received += messages;
            if (throttled) {
                refused += 5 + random.nextInt(10);
            }
            for (int i = 0; i < messages; i++) {
                long ms = 1 + (long) Math.abs(random.nextGaussian() * (throttled ? 40 : 4));
                int bucket = 0;
                while (bucket < BOUNDS_MS.size() && ms > BOUNDS_MS.get(bucket)) {
                    bucket++;
                }
                counts[bucket]++;
                sumMs += ms;
            }
            List<Long> histogram = new ArrayList<>(counts.length);
            for (long c : counts) {
                histogram.add(c);
            }
            publish(new ProtocolEvent.Sampled(System.currentTimeMillis(), 35 + random.nextDouble() * 10,
                    throttled ? 200 + random.nextInt(20) : random.nextInt(12), 1, received, received - refused,
                    0, refused, throttled ? 30 : 3, throttled ? 120 : 12, state,
                    throttled ? EnumSet.of(Cause.CONCURRENCY) : Set.of(),
                    Optional.of(new LatencyHistogram(BOUNDS_MS, histogram, sumMs))));
        }

        synchronized void cross() {
            long now = System.currentTimeMillis();
            state = ThrottleState.THROTTLED;
            throttledSince = now;
            publish(new ProtocolEvent.Throttle(now, ThrottleState.NORMAL, ThrottleState.THROTTLED, EnumSet.of(Cause.CONCURRENCY)));
        }

        synchronized void calmDown() {
            if (state != ThrottleState.THROTTLED) {
                return;
            }
            long now = System.currentTimeMillis();
            state = ThrottleState.NORMAL;
            publish(new ProtocolEvent.Throttle(now, ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of()));
            publish(new ProtocolEvent.Episode(throttledSince, now, EnumSet.of(Cause.CONCURRENCY)));
        }

        private void publish(ProtocolEvent event) {
            String line = ProtocolEvents.toLine(event);
            switch (event) {
                case ProtocolEvent.Gate g -> gate = line;
                case ProtocolEvent.Throttle t -> throttle = line;
                case ProtocolEvent.Sampled s -> sample = line;
                default -> {
                    // Passed on as it happens.
                }
            }
            // A follower that cannot keep up is the host's problem to show; the fake does not wait for it.
            followers.forEach(f -> f.offer(line));
            LINES.addAndGet(followers.size());
        }

        void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                try (InputStream in = exchange.getRequestBody()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                switch (path) {
                    case "/protocol/events" -> follow(exchange);
                    case "/protocol/suspend", "/protocol/resume" -> {
                        synchronized (this) {
                            publish(new ProtocolEvent.Gate(path.endsWith("resume")));
                        }
                        exchange.sendResponseHeaders(204, -1);
                    }
                    case "/protocol/stop" -> {
                        stop();
                        exchange.sendResponseHeaders(204, -1);
                    }
                    default -> exchange.sendResponseHeaders(404, -1);
                }
            }
        }

        private synchronized void stop() {
            publish(new ProtocolEvent.Stopped());
            followers.forEach(f -> f.offer(END));
            followers.clear();
            fresh();
        }

        private void follow(HttpExchange exchange) throws IOException {
            BlockingQueue<String> lines = new ArrayBlockingQueue<>(4_096);
            synchronized (this) {
                for (String line : new String[] {ready, gate, throttle, sample}) {
                    if (line != null) {
                        lines.offer(line);
                    }
                }
                followers.add(lines);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    String line = lines.poll(1, TimeUnit.SECONDS);
                    if (line == END) {
                        return;
                    }
                    if (line != null) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (this) {
                    followers.remove(lines);
                }
            }
        }
    }
}
