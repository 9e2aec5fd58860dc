package org.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.runtime.metrics.HostMetrics;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;

/**
 * What one scrape of {@code /metrics} costs the host, with INSTANCES role instances (docs/perf.md,
 * M1): the page written by {@link HostMetrics} as the management listener writes it, into memory,
 * ROUNDS times after as many rounds of warm-up. The instances are simulated in process (services
 * of 3 instances, each with a sample, a latency histogram of 14 buckets, every tenth throttled):
 * what is measured is the host's side of a scrape, not TLS or the network.
 *
 * <p>{@code MetricsBench INSTANCES ROUNDS}; prints {@code RESULT} lines with the time (median, p90,
 * max) and the bytes allocated per scrape (the scraping thread's own, from the JVM).
 */
public final class MetricsBench {
    private MetricsBench() {
    }

    public static void main(String[] args) throws Exception {
        int instances = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<ServiceView> services = new ArrayList<>();
        HostMetrics metrics = new HostMetrics(() -> services, InstantSource.system());
        long now = System.currentTimeMillis();
        List<Long> bounds = List.of(1L, 2L, 5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L);
        for (int s = 0; s * 3 < instances; s++) {
            String name = "service-" + s;
            List<InstanceView> views = new ArrayList<>();
            for (int i = 0; i < 3 && s * 3 + i < instances; i++) {
                InstanceSample sample = new InstanceSample(now, 40 + i, 12, 2, 100_000 + s, 99_000, 12, 340, 4, 30);
                boolean throttled = (s * 3 + i) % 10 == 0;
                InstanceView view = new InstanceView(i, InstanceStatus.RUNNING,
                        throttled ? ThrottleState.THROTTLED : ThrottleState.NORMAL, throttled ? Set.of(Cause.MEMORY) : Set.of(),
                        throttled ? OptionalLong.of(now - 5_000) : OptionalLong.empty(), Optional.of(sample), 0);
                views.add(view);
                List<Long> counts = new ArrayList<>();
                for (int b = 0; b <= bounds.size(); b++) {
                    counts.add((long) (1_000 >> Math.min(b, 10)));
                }
                metrics.instanceEvent(name, view, new InstanceEvent.Sampled(sample,
                        Optional.of(new LatencyHistogram(bounds, counts, 123_456))));
            }
            services.add(new ServiceView(new ServiceDefinition(name, views.size(), 1, 256, ServiceDefinition.Validation.JSON,
                    null, null, "dir:/tmp/" + name), ServiceState.ACTIVE, Optional.empty(), views, Optional.empty()));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        ByteArrayOutputStream page = new ByteArrayOutputStream(1 << 20);
        for (int i = 0; i < rounds; i++) {
            page.reset();
            metrics.write(page);
        }
        long[] nanos = new long[rounds];
        long[] bytes = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            page.reset();
            long allocated = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            metrics.write(page);
            nanos[i] = System.nanoTime() - start;
            bytes[i] = threads.getThreadAllocatedBytes(thread) - allocated;
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        System.out.printf("RESULT metrics scrape, %d instances in %d services, page %,d bytes (%d lines): median %.2f ms, p90 %.2f ms, max %.2f ms; "
                        + "allocated per scrape median %,d bytes (%.1f MB)%n",
                instances, services.size(), page.size(), page.toString().split("\n").length,
                nanos[rounds / 2] / 1e6, nanos[rounds * 9 / 10] / 1e6, nanos[rounds - 1] / 1e6, bytes[rounds / 2], bytes[rounds / 2] / 1e6);
    }
}
