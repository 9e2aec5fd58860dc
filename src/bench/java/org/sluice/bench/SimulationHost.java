package org.sluice.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.sluice.fleet.api.HostManagement;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.Host;
import org.sluice.runtime.HostListener;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.LocalHost;
import org.sluice.runtime.NetworkInstanceConnector;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredService;

/**
 * The host of the 300-instance simulation (docs/perf.md): the real {@link LocalHost} with its store,
 * front door and management listener ({@link HostManagement}, as {@code sluice host --manage} opens
 * it), whose role instances are {@link FakeInstances} reached through the real
 * {@link NetworkInstanceConnector} ({@link FakePodLauncher}).
 *
 * <p>{@code SimulationHost DATA SERVICES INSTANCES SUSPENDED TOKEN WINDOW_S}: SERVICES services, of
 * which INSTANCES / 2 run with 2 units each (SUSPENDED of these then suspended) and the rest are
 * stopped, written to the store beforehand as a host that has run for a while has them. Prints
 * {@code SIMULATION-READY} once every instance is ready, then waits for the console to say it measures
 * (the file {@code DATA/console-measuring}; 120 s at most, then it measures alone and says so), and
 * measures over WINDOW_S seconds: process CPU over wall time, events heard by the host's listener and
 * their latency from the instance (the event's own time, which the fake sets as it writes the line,
 * to the listener; both clocks are this machine's wall clock, to the millisecond), then live heap
 * after GC, peak RSS and threads. It serves on until it is ended.
 */
public final class SimulationHost {
    private SimulationHost() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int services = Integer.parseInt(args[1]);
        int instances = Integer.parseInt(args[2]);
        int suspended = Integer.parseInt(args[3]);
        String token = args[4];
        int windowS = Integer.parseInt(args[5]);
        int running = instances / 2;
        if (instances % 2 != 0 || running > services || suspended > running) {
            throw new IllegalArgumentException("2 instances a running service, at most all services running, at most all running suspended");
        }

        long t0 = System.nanoTime();
        try (Store store = Store.open(data)) {
            long now = System.currentTimeMillis();
            for (int i = running; i < services; i++) {
                store.saveService(StoredService.resting(definition(data, i), ServiceState.STOPPED, now));
            }
        }
        long t1 = System.nanoTime();
        LocalHost local = LocalHost.open(data, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), true,
                new FakePodLauncher(new NetworkInstanceConnector(), token, instances));
        HostManagement management = HostManagement.open(local, new HostManagement.Options(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, Optional.empty(), Optional.empty(),
                Optional.empty()), "simulation");
        long t2 = System.nanoTime();
        Host host = local.host();
        Latencies latencies = new Latencies();
        host.addListener(latencies);

        List<CompletableFuture<OperationRecord>> created = new ArrayList<>();
        for (int i = 0; i < running; i++) {
            created.add(host.create(definition(data, i), "simulation").completion());
        }
        long failedCreates = created.stream().map(CompletableFuture::join).filter(r -> r.outcome() != Outcome.SUCCEEDED).count();
        long t3 = System.nanoTime();
        List<CompletableFuture<OperationRecord>> suspensions = new ArrayList<>();
        for (int i = 0; i < suspended; i++) {
            // Spread over the running ones: every n-th rests Suspended.
            suspensions.add(host.perform(name(i * running / suspended), Operation.SUSPEND, "simulation").completion());
        }
        long failedSuspends = suspensions.stream().map(CompletableFuture::join).filter(r -> r.outcome() != Outcome.SUCCEEDED).count();
        long t4 = System.nanoTime();
        long ready = host.services().stream().mapToLong(s -> s.instances().stream().filter(i -> i.status() == InstanceStatus.RUNNING).count()).sum();
        System.out.printf(Locale.ROOT, "RESULT simulation setup: %d stopped services stored in %.1f s; host and management listener opened in %.1f s; "
                        + "%d services created with 2 instances each in %.1f s (%d failed); %d suspended in %.1f s (%d failed); %d instances ready%n",
                services - running, (t1 - t0) / 1e9, (t2 - t1) / 1e9, running, (t3 - t2) / 1e9, failedCreates, suspended,
                (t4 - t3) / 1e9, failedSuspends, ready);
        System.out.println("SIMULATION-READY " + management.url());
        System.out.flush();

        Path signal = data.resolve("console-measuring");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(signal) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        boolean withConsole = Files.exists(signal);
        // The host keeps every sample in a ring per instance (decision 0025), so its live heap grows
        // with the time it has run, up to an hour of samples: read before and after the window.
        long liveBefore = Footprint.liveHeapBytes();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long wall0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        latencies.measuring(true);
        Thread.sleep(windowS * 1000L);
        latencies.measuring(false);
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        System.out.printf(Locale.ROOT, "RESULT simulation host window %d s (%s): process CPU %.1f %% of one core (%.1f %% of %d cores); "
                        + "events heard %.0f/s (samples %.0f/s, throttle changes %d, episodes %d)%n",
                windowS, withConsole ? "a console connected and measuring" : "no console measuring", 100.0 * cpu / wall,
                100.0 * cpu / wall / os.getAvailableProcessors(), os.getAvailableProcessors(),
                latencies.events.get() * 1e9 / wall, latencies.samples.size() * 1e9 / wall, latencies.throttles.size(),
                latencies.episodes.get());
        System.out.println("RESULT simulation event latency instance -> host listener, ms: samples " + Stats.summary(latencies.samples)
                + "; throttle changes " + Stats.summary(latencies.throttles));
        long live = Footprint.liveHeapBytes();
        System.out.printf(Locale.ROOT, "RESULT simulation host footprint: live heap after GC %.1f MiB at the window's start, %.1f MiB at its end "
                        + "(%+.2f MiB a minute); peak RSS %.0f MiB, RSS %.0f MiB, %d threads (%d services, %d instances)%n",
                liveBefore / 1048576.0, live / 1048576.0, (live - liveBefore) / 1048576.0 * 60e9 / wall,
                Footprint.status("VmHWM") / 1024.0, Footprint.status("VmRSS") / 1024.0,
                ManagementFactory.getThreadMXBean().getThreadCount(), services, instances);
        account(host);
        System.out.println("SIMULATION-MEASURED");
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * Disable, then Enable, of the whole account, as an operator's one action: every service an
     * operation, each written to the store as it starts and ends, and every running instance
     * stopped through its connection, then bound and followed again.
     */
    private static void account(Host host) {
        long t0 = System.nanoTime();
        List<Host.Accepted> disabled = host.disableAccount("simulation");
        long failedDisables = disabled.stream().map(a -> a.completion().join()).filter(r -> r.outcome() != Outcome.SUCCEEDED).count();
        long t1 = System.nanoTime();
        List<Host.Accepted> enabled = host.enableAccount("simulation");
        long failedEnables = enabled.stream().map(a -> a.completion().join()).filter(r -> r.outcome() != Outcome.SUCCEEDED).count();
        long t2 = System.nanoTime();
        long ready = host.services().stream().mapToLong(s -> s.instances().stream().filter(i -> i.status() == InstanceStatus.RUNNING).count()).sum();
        System.out.printf(Locale.ROOT, "RESULT simulation account: Disable of %d services in %.1f s (%d failed); Enable of %d in %.1f s "
                        + "(%d failed); %d instances running after it%n",
                disabled.size(), (t1 - t0) / 1e9, failedDisables, enabled.size(), (t2 - t1) / 1e9, failedEnables, ready);
    }

    static String name(int i) {
        return String.format(Locale.ROOT, "sim-%04d", i);
    }

    private static ServiceDefinition definition(Path data, int i) {
        return new ServiceDefinition(name(i), 2, 1, 256, ServiceDefinition.Validation.JSON, null, null,
                "dir:" + data.toAbsolutePath().resolve("out"));
    }

    /** What the host's listener hears, and how long after the instance wrote it. */
    private static final class Latencies implements HostListener {
        final List<Long> samples = Collections.synchronizedList(new ArrayList<>());
        final List<Long> throttles = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong events = new AtomicLong();
        final AtomicLong episodes = new AtomicLong();
        private volatile boolean measuring;

        void measuring(boolean on) {
            measuring = on;
        }

        @Override
        public void serviceChanged(ServiceView service) {
            count();
        }

        @Override
        public void serviceRemoved(String name) {
            count();
        }

        @Override
        public void operationProgress(OperationRecord record) {
            count();
        }

        @Override
        public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
            if (!measuring) {
                return;
            }
            events.incrementAndGet();
            long now = System.currentTimeMillis();
            switch (event) {
                case InstanceEvent.Sampled s -> samples.add(now - s.sample().timeMs());
                case InstanceEvent.Throttle t -> throttles.add(now - t.transition().timeMs());
                case InstanceEvent.EpisodeEnded e -> episodes.incrementAndGet();
                default -> {
                    // Counted only.
                }
            }
        }

        private void count() {
            if (measuring) {
                events.incrementAndGet();
            }
        }
    }
}
