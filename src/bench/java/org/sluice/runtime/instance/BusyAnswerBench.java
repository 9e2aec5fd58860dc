package org.sluice.runtime.instance;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.bench.Stats;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.throttle.Thresholds;

import com.sun.net.httpserver.HttpServer;

/**
 * One role instance's message endpoint in process ({@link MessageHandler}, {@link InstanceMonitor},
 * a JSON pipeline, the HTTP server and thread pool set up as {@link InstanceProcess#start()} does)
 * whose destination takes {@code deliveryMs} per message, so that messages stay in process. A
 * closed loop of {@code clients} senders (10 &times; the high concurrency threshold by default)
 * posts for {@code seconds}. Reports the 503 answer time seen by the sender and inside the
 * handler, and checks that every message answered 200 reached the destination exactly once.
 *
 * <p>Memory reads a constant 40 %, so that concurrency is the only thing that throttles.
 * Arguments: {@code seconds clients deliveryMs}.
 */
public final class BusyAnswerBench {
    private BusyAnswerBench() {
    }

    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : (int) (10 * Thresholds.concurrencyHigh(cores));
        int deliveryMs = args.length > 2 ? Integer.parseInt(args[2]) : 100;

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
        MessageHandler handler = new MessageHandler(0, new InstanceGate(), monitor, pipeline,
                new DeliveryProblems(InstantSource.system(), out));

        List<Double> busyInside = Collections.synchronizedList(new ArrayList<>());
        int threads = 200 * cores + 50;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10 * threads));
        pool.allowCoreThreadTimeOut(true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", exchange -> {
            long start = System.nanoTime();
            handler.handle(exchange);
            if (exchange.getResponseCode() == 503) {
                busyInside.add((System.nanoTime() - start) / 1e6);
            }
        });
        server.setExecutor(pool);
        server.start();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(monitor::sample, 0, InstanceProcess.SAMPLE_PERIOD_MS, TimeUnit.MILLISECONDS);

        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/messages");
        byte[] body = "{\"order\":42,\"lines\":[{\"sku\":\"A-1\",\"qty\":3}]}".getBytes(StandardCharsets.UTF_8);
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).connectTimeout(Duration.ofSeconds(30)).build();
        List<Double> busySeen = Collections.synchronizedList(new ArrayList<>());
        List<Double> okSeen = Collections.synchronizedList(new ArrayList<>());
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(3, seconds / 4));

        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            loops.add(loop(client, uri, body, end, warmEnd, busySeen, okSeen, accepted, other, errors));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 120L, TimeUnit.SECONDS);
        if (!monitor.awaitIdle(30_000)) {
            System.out.println("messages still in process after 30 s: " + monitor.inProcess());
        }
        long lost = accepted.stream().filter(id -> !delivered.contains(id)).count();
        System.out.println("RESULT busy answer ms seen by the sender " + Stats.summary(busySeen));
        System.out.println("RESULT busy answer ms inside the handler " + Stats.summary(busyInside));
        System.out.println("RESULT accepted answer ms seen by the sender " + Stats.summary(okSeen));
        System.out.printf(Locale.ROOT, "RESULT clients=%d (high threshold %d) seconds=%d accepted=%d delivered=%d "
                        + "accepted-but-not-delivered=%d duplicates=%d other-status=%d errors=%d%n", clients,
                Thresholds.concurrencyHigh(cores), seconds, accepted.size(), delivered.size(), lost, duplicates.get(),
                other.get(), errors.get());
        sampler.shutdownNow();
        server.stop(0);
        pool.shutdownNow();
        clientThreads.shutdownNow();
        System.exit(0);
    }

    private static CompletableFuture<Void> loop(HttpClient client, URI uri, byte[] body, long end, long warmEnd,
                                                List<Double> busy, List<Double> ok, Set<String> accepted,
                                                AtomicInteger other, AtomicInteger errors) {
        if (System.nanoTime() > end) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            double ms = (System.nanoTime() - start) / 1e6;
            boolean counted = start > warmEnd;
            if (failure != null) {
                errors.incrementAndGet();
            } else if (response.statusCode() == 503) {
                if (counted) {
                    busy.add(ms);
                }
            } else if (response.statusCode() == 200) {
                String text = response.body();
                accepted.add(text.substring(text.indexOf(':') + 2, text.indexOf('"', text.indexOf(':') + 2)));
                if (counted) {
                    ok.add(ms);
                }
            } else {
                other.incrementAndGet();
            }
            return null;
        }).thenCompose(ignored -> loop(client, uri, body, end, warmEnd, busy, ok, accepted, other, errors));
    }
}
