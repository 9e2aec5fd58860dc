package org.sluice.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.LocalHost;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredService;

/**
 * One host with many services (docs/scale.md): {@code ScaleBench SERVICES ROUNDS} writes SERVICES
 * stopped services to a new store, reads them back, opens a host on that data folder (as after a
 * restart; stopped services start no instance) and measures its live heap and the time to list
 * every service (the views a snapshot and the management API's {@code GET /services} are made from).
 */
public final class ScaleBench {
    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        int services = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path data = Files.createTempDirectory("sluice-bench-scale");
        long baseline = liveHeapBytes();

        long t0 = System.nanoTime();
        try (Store store = Store.open(data)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < services; i++) {
                ServiceDefinition definition = new ServiceDefinition(String.format("service-%05d", i), 2, 1, 256,
                        ServiceDefinition.Validation.JSON, null, null, "dir:" + data.resolve("out"));
                store.saveService(StoredService.resting(definition, ServiceState.STOPPED, now));
            }
        }
        long t1 = System.nanoTime();
        long bytes;
        try (Stream<Path> files = Files.list(data)) {
            bytes = files.filter(f -> f.getFileName().toString().startsWith(Store.FILE_NAME)).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("RESULT store: %d services written one by one in %.0f ms (%.2f ms each); database %.1f MiB%n",
                services, (t1 - t0) / 1e6, (t1 - t0) / 1e6 / services, bytes / 1048576.0);

        List<Double> loads = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            try (Store store = Store.open(data)) {
                long a = System.nanoTime();
                int n = store.loadServices().size();
                loads.add((System.nanoTime() - a) / 1e6);
                if (n != services) {
                    throw new IllegalStateException("read " + n + " services");
                }
            }
        }
        System.out.printf("RESULT store: all %d services read back, median of 5 %.0f ms%n", services, Stats.median(loads));

        long t2 = System.nanoTime();
        LocalHost local = LocalHost.openWithoutInstances(data, 0);
        long t3 = System.nanoTime();
        long opened = liveHeapBytes();
        List<Double> lists = new ArrayList<>();
        for (int round = -5; round < rounds; round++) {
            long a = System.nanoTime();
            int n = local.host().services().size();
            long b = System.nanoTime();
            if (n != services) {
                throw new IllegalStateException("listed " + n + " services");
            }
            if (round >= 0) {
                lists.add((b - a) / 1e6);
            }
        }
        System.out.printf("RESULT host: opened on %d services in %.0f ms; live heap %.1f MiB (%.1f MiB before it, %.1f KiB a service); "
                        + "every service listed, median %.2f ms (p90 %.2f, %d rounds)%n",
                services, (t3 - t2) / 1e6, opened / 1048576.0, baseline / 1048576.0, (opened - baseline) / 1024.0 / services,
                Stats.median(lists), Stats.percentile(lists, 90), rounds);
        local.close();
    }

    private static long liveHeapBytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
