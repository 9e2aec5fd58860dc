package org.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.api.ManagementServer;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.runtime.access.HostCertificate;
import org.sluice.runtime.access.HostKeys;
import org.sluice.runtime.store.Store;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The management API's figures (docs/perf.md, M rows):
 * <ul>
 *   <li>{@code snapshot SERVICES ROUNDS [INSTANCES]}: a fleet of SERVICES services (INSTANCES role
 *       instances, 2 a service from the first; 2 × SERVICES when not given), read in
 *       process, over {@code GET /api/v1/services}, and as a remote fleet's first snapshot (a new
 *       connection each time, TLS handshake and all);</li>
 *   <li>{@code latency EVENTS RATE}: from an event entering the host's listener to the remote
 *       fleet's listener hearing it, over loopback HTTPS;</li>
 *   <li>{@code cost ADMINS WARMUP_S SECONDS [PER_SECOND [SERVICES]]}: the CPU time one {@code GET /api/v1/services}
 *       costs the host, measured in one process: a listener over a fleet of one service (or
 *       SERVICES, one of them running) of two instances whose list changes eight times a second (each instance sampled four times a
 *       second, as a real host's), signed in through the host's
 *       real keys, asked by ADMINS administrators PER_SECOND times a second each (once by default)
 *       through one client. Fewer administrators asking more often make fewer connections, so
 *       fewer TLS handshakes, and warm the compiler sooner: the cost of a request itself. After WARMUP_S
 *       seconds the CPU time of the host's threads (the HTTP dispatcher and the carriers of its
 *       request threads) and of the client's is read for SECONDS and divided by the answers; the
 *       rest of the process (compiler, garbage collector) is given apart. The administrators run on
 *       platform threads, so that no client work runs on the carriers the host's requests use;</li>
 *   <li>{@code poll URL FINGERPRINT KEY_FILE ADMINS SECONDS}: ADMINS administrators each asking a
 *       real host for its service list once a second, for SECONDS; prints how many answers came,
 *       why any failed, how long they took and the CPU time of the pollers' own JVM.</li>
 * </ul>
 */
public final class ManagementBench {
    private ManagementBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "snapshot" -> snapshot(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    args.length > 3 ? Integer.parseInt(args[3]) : 2 * Integer.parseInt(args[1]));
            case "latency" -> latency(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "cost" -> cost(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 1, args.length > 5 ? Integer.parseInt(args[5]) : 1);
            case "poll" -> poll(URI.create(args[1]), args[2], Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("snapshot | latency | cost | poll");
        }
    }

    private static ManagementServer serve(Fleet fleet, HostCertificate tls) throws Exception {
        return ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tls.sslContext(),
                (issuer, key) -> key.equals("bench"), issuer -> fleet, "bench",
                // Each round's remote fleet leaves a stream the host frees only at its next keep-alive.
                ManagementServer.Settings.defaults().withStreams(256, 256, 4_096, Duration.ofSeconds(5)));
    }

    private static void snapshot(int services, int rounds, int instances) throws Exception {
        SyntheticFleet fleet = new SyntheticFleet(services, instances, 0, 0);
        HostCertificate tls = HostCertificate.loadOrCreate(Files.createTempDirectory("sluice-bench-tls"));
        ManagementServer server = serve(fleet, tls);
        URI url = URI.create("https://127.0.0.1:" + server.port());
        ManagementClient client = new ManagementClient(url, "owner", "bench", tls.fingerprint());
        List<Double> local = new ArrayList<>();
        List<Double> listed = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        for (int round = -10; round < rounds; round++) {
            long t0 = System.nanoTime();
            int n = fleet.snapshot().services().size();
            long t1 = System.nanoTime();
            JsonNode array = client.get("/services").body();
            int read = 0;
            for (JsonNode service : array) {
                ApiJson.readService(service);
                read++;
            }
            long t2 = System.nanoTime();
            RemoteFleet remote = RemoteFleet.connect("bench", new ManagementClient(url, "owner", "bench", tls.fingerprint()),
                    RemoteFleet.Settings.defaults());
            int mirrored = remote.snapshot().services().size();
            long t3 = System.nanoTime();
            remote.close();
            if (n != services || read != services || mirrored != services) {
                throw new IllegalStateException("expected " + services + " services, got " + n + "/" + read + "/" + mirrored);
            }
            if (round >= 0) {
                local.add((t1 - t0) / 1e6);
                listed.add((t2 - t1) / 1e6);
                first.add((t3 - t2) / 1e6);
            }
        }
        server.close();
        System.out.printf("RESULT snapshot of %d services (%d instances), %d rounds: in process median %.2f ms; GET /services read back median %.1f ms "
                        + "(p90 %.1f); remote fleet connect -> first snapshot median %.1f ms (p90 %.1f); ratio GET/in process %.0f x%n",
                services, instances, rounds, Stats.median(local), Stats.median(listed), Stats.percentile(listed, 90),
                Stats.median(first), Stats.percentile(first, 90), Stats.median(listed) / Stats.median(local));
    }

    private static void latency(int events, int rate) throws Exception {
        SyntheticFleet inner = new SyntheticFleet(10, 2, 0, 0);
        AtomicReference<FleetListener> host = new AtomicReference<>();
        Fleet fleet = (Fleet) Proxy.newProxyInstance(Fleet.class.getClassLoader(), new Class<?>[] {Fleet.class}, (p, m, a) -> {
            if (m.getName().equals("subscribe")) {
                host.set((FleetListener) a[0]);
                return (Subscription) () -> { };
            }
            return m.invoke(inner, a);
        });
        HostCertificate tls = HostCertificate.loadOrCreate(Files.createTempDirectory("sluice-bench-tls"));
        ManagementServer server = serve(fleet, tls);
        RemoteFleet remote = RemoteFleet.connect("bench", new ManagementClient(URI.create("https://127.0.0.1:" + server.port()),
                "owner", "bench", tls.fingerprint()), RemoteFleet.Settings.defaults());
        remote.snapshot();
        ConcurrentHashMap<Long, Long> sent = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(events);
        remote.subscribe(event -> {
            if (event instanceof FleetEvent.InstanceProblem problem && problem.message().startsWith("seq ")) {
                long seq = Long.parseLong(problem.message().substring(4));
                Long at = sent.get(seq);
                if (at != null && seq >= 0) {
                    latencies.add((System.nanoTime() - at) / 1e6);
                    all.countDown();
                }
            }
        });
        long gap = TimeUnit.SECONDS.toNanos(1) / rate;
        AtomicLong next = new AtomicLong(System.nanoTime());
        for (long seq = -200; seq < events; seq++) {
            LockSupport.parkNanos(next.addAndGet(gap) - System.nanoTime());
            sent.put(seq, System.nanoTime());
            host.get().onEvent(new FleetEvent.InstanceProblem("svc-00000", 0, "seq " + seq));
        }
        if (!all.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (events - all.getCount()) + " of " + events + " events arrived");
        }
        remote.close();
        server.close();
        System.out.printf("RESULT event latency host listener -> remote fleet listener, %d events at %d/s: p50 %.2f ms, p99 %.2f ms, "
                + "max %.2f ms%n", events, rate, Stats.median(latencies), Stats.percentile(latencies, 99),
                latencies.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static void cost(int admins, int warmupSeconds, int seconds, int perSecond, int services) throws Exception {
        Fleet fleet = sampledEvery(125, new SyntheticFleet(services, 2, 0, 0));
        Path data = Files.createTempDirectory("sluice-bench-cost");
        HostCertificate tls = HostCertificate.loadOrCreate(data);
        try (Store store = Store.open(data)) {
            HostKeys keys = HostKeys.openOrCreate(data, store);
            String key = HostKeys.show(data).primary();
            ManagementServer server = ManagementServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    tls.sslContext(), keys::accepts, issuer -> fleet, "bench", ManagementServer.Settings.defaults());
            ManagementClient client = new ManagementClient(URI.create("https://127.0.0.1:" + server.port()), HostKeys.ISSUER,
                    key, tls.fingerprint());
            AtomicLong answers = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            AtomicLong measured = new AtomicLong();
            Map<String, Integer> why = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < admins; i++) {
                long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
                long offset = interval * i / admins;
                threads.add(Thread.ofPlatform().name("admin-" + i).start(() -> {
                    long next = start + offset;
                    while (next < end) {
                        LockSupport.parkNanos(next - System.nanoTime());
                        try {
                            ManagementClient.Answer answer = client.get("/services");
                            if (answer.status() == 200) {
                                answers.incrementAndGet();
                                if (next >= measureFrom) {
                                    measured.incrementAndGet();
                                }
                            } else {
                                failures.incrementAndGet();
                                why.merge("HTTP " + answer.status() + " " + answer.error(), 1, Integer::sum);
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            why.merge(e.toString(), 1, Integer::sum);
                        }
                        next += interval;
                    }
                }));
            }
            LockSupport.parkNanos(measureFrom - System.nanoTime());
            Map<Long, Long> before = cpuByThread();
            long measuredBefore = measured.get();
            LockSupport.parkNanos(end - System.nanoTime());
            Map<String, Long> spent = spent(before, cpuByThread());
            long n = measured.get() - measuredBefore;
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60));
            }
            client.close();
            server.close();
            StringBuilder parts = new StringBuilder();
            spent.forEach((part, ns) -> parts.append(String.format(" %s %.3f ms,", part, ns / 1e6 / n)));
            System.out.printf("RESULT CPU per GET /services of %d services, %d administrators %d a second each, after %d s of warm-up, "
                            + "over %d s (%d answers, %d failures in all%s):%s%n",
                    services, admins, perSecond, warmupSeconds, seconds, n, failures.get(), why.isEmpty() ? "" : " " + why, parts.substring(0, parts.length() - 1));
        }
    }

    /**
     * {@code inner} as a host's fleet looks: its snapshot holds each instance's last sample, so it
     * changes when a sample arrives, here every {@code periodMs} (a real host's two instances each
     * sampled four times a second: eight changes a second), not at every look as the synthetic
     * fleet's, which makes a sample at each.
     */
    private static Fleet sampledEvery(long periodMs, SyntheticFleet inner) {
        AtomicReference<FleetSnapshot> last = new AtomicReference<>();
        return (Fleet) Proxy.newProxyInstance(Fleet.class.getClassLoader(), new Class<?>[] {Fleet.class}, (p, m, a) -> {
            if (m.getName().equals("snapshot") && m.getParameterCount() == 0) {
                FleetSnapshot known = last.get();
                long now = System.currentTimeMillis();
                if (known == null || now / periodMs != known.timeMs() / periodMs) {
                    known = inner.snapshot();
                    last.set(known);
                }
                return known;
            }
            return m.invoke(inner, a);
        });
    }

    /**
     * CPU time so far, in nanoseconds, by thread id ({@link #PROCESS} for the whole process). A
     * thread that ends between two readings loses what it spent since the first: the client's
     * pool threads live 60 s when idle, so with requests every few milliseconds none ends.
     */
    private static Map<Long, Long> cpuByThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new LinkedHashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long ns = threads.getThreadCpuTime(id);
            if (ns >= 0) {
                cpu.put(id, ns);
            }
        }
        cpu.put(PROCESS, ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
        return cpu;
    }

    private static final long PROCESS = -1;

    /**
     * The CPU time spent between two readings, in the host's threads (the HTTP dispatcher and
     * the carriers of the request threads), the client's (the administrators' threads and the
     * HTTP client's), and the rest of the process (compiler and garbage collector, which are not
     * Java threads).
     */
    private static Map<String, Long> spent(Map<Long, Long> before, Map<Long, Long> after) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long host = 0;
        long client = 0;
        long java = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            if (e.getKey() == PROCESS) {
                continue;
            }
            long ns = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            java += ns;
            ThreadInfo info = threads.getThreadInfo(e.getKey());
            String name = info == null ? "" : info.getThreadName();
            if (name.equals("HTTP-Dispatcher") || name.startsWith("ForkJoinPool-1-worker-")) {
                host += ns;
            } else if (name.startsWith("admin-") || name.startsWith("HttpClient-") || name.startsWith("ForkJoinPool.commonPool-")) {
                client += ns;
            }
        }
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("host", host);
        parts.put("client", client);
        parts.put("compiler and GC", after.get(PROCESS) - before.get(PROCESS) - java);
        return parts;
    }

    private static void poll(URI url, String fingerprint, Path keys, int admins, int seconds) throws Exception {
        String key = ApiJson.MAPPER.readTree(keys.toFile()).path("primary").asText();
        AtomicLong answers = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Map<String, Integer> why = new ConcurrentHashMap<>();
        List<Double> took = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        // One client for all: each administrator's requests are its own, but a client per
        // administrator would spend this machine's cores on 100 selector threads, and so take them
        // from the front door being measured, where 100 real administrators use their own machines.
        ManagementClient client = new ManagementClient(url, "owner", key, fingerprint);
        for (int i = 0; i < admins; i++) {
            long offset = TimeUnit.SECONDS.toNanos(1) * i / admins;
            threads.add(Thread.ofVirtual().start(() -> {
                long next = System.nanoTime() + offset;
                while (next < end) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    try {
                        long asked = System.nanoTime();
                        int status = client.get("/services").status();
                        took.add((System.nanoTime() - asked) / 1e6);
                        if (status == 200) {
                            answers.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                            why.merge("HTTP " + status, 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        why.merge(e.getClass().getSimpleName() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), 1, Integer::sum);
                    }
                    next += TimeUnit.SECONDS.toNanos(1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(seconds + 30));
        }
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.printf("RESULT pollers %d administrators for %d s: %d answers, %d failures%s; answer p50 %.1f ms, p99 %.1f ms; "
                        + "the pollers' JVM used %.1f s of CPU, start included%n",
                admins, seconds, answers.get(), failures.get(), why.isEmpty() ? "" : " " + why, Stats.median(took), Stats.percentile(took, 99),
                cpu / 1e9);
    }
}
