package org.sluice.bench;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.api.ManagementServer;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.runtime.access.HostCertificate;

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
 *   <li>{@code poll URL FINGERPRINT KEY_FILE ADMINS SECONDS}: ADMINS administrators each asking a
 *       real host for its service list once a second, for SECONDS; prints how many answers came.</li>
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
            case "poll" -> poll(URI.create(args[1]), args[2], Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("snapshot | latency | poll");
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

    private static void poll(URI url, String fingerprint, Path keys, int admins, int seconds) throws Exception {
        String key = ApiJson.MAPPER.readTree(keys.toFile()).path("primary").asText();
        AtomicLong answers = new AtomicLong();
        AtomicLong failures = new AtomicLong();
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
                        if (client.get("/services").status() == 200) {
                            answers.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    next += TimeUnit.SECONDS.toNanos(1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(seconds + 30));
        }
        System.out.printf("RESULT pollers %d administrators for %d s: %d answers, %d failures%n", admins, seconds, answers.get(),
                failures.get());
    }
}
