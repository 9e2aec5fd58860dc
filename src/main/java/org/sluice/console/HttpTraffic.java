package org.sluice.console;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.console.viewmodel.TrafficViewModel;
import org.sluice.fleet.traffic.HttpSender;
import org.sluice.fleet.traffic.LoadBody;
import org.sluice.fleet.traffic.LoadGenerator;
import org.sluice.fleet.traffic.LoadSummary;

/** Test traffic over HTTP to a service's front door, until stopped. */
final class HttpTraffic implements TrafficViewModel.Traffic {
    private static final int CONCURRENCY = 512;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ScheduledExecutorService scheduler;
    private final LoadGenerator generator;

    private HttpTraffic(String endpoint, int rate, int size) {
        int run = RUNS.incrementAndGet();
        scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("sluice-test-traffic-" + run + "-", 1).daemon().factory());
        generator = new LoadGenerator(rate, CONCURRENCY, Duration.ofDays(1), false,
                new HttpSender(URI.create(endpoint), new LoadBody(size), scheduler), scheduler, System::nanoTime);
        generator.start().whenComplete((summary, failure) -> scheduler.shutdown());
    }

    static TrafficViewModel.Traffic start(String endpoint, int rate, int size) {
        return new HttpTraffic(endpoint, rate, size);
    }

    @Override
    public LoadSummary progress() {
        return generator.progress();
    }

    @Override
    public void stop() {
        generator.stop();
    }
}
