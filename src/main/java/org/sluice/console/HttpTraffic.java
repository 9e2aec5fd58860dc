package org.sluice.console;

import java.net.URI;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.console.viewmodel.TrafficViewModel;
import org.sluice.fleet.traffic.HttpSender;
import org.sluice.fleet.traffic.LoadBody;
import org.sluice.fleet.traffic.SteadyTraffic;
import org.sluice.fleet.traffic.TrafficCounts;

/**
 * Test traffic over HTTP to a service's front door, until stopped. Every message shares one body
 * but for its first few bytes, and at most {@link TrafficViewModel#MAX_IN_FLIGHT} requests wait for answers: what
 * the console holds stays the same whatever the rate, the size and the service's speed.
 */
final class HttpTraffic implements TrafficViewModel.Traffic {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ScheduledExecutorService scheduler;
    private final SteadyTraffic traffic;
    private volatile boolean stopped;

    private HttpTraffic(String endpoint, int rate, int size) {
        int run = RUNS.incrementAndGet();
        scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("sluice-test-traffic-" + run + "-", 1).daemon().factory());
        traffic = new SteadyTraffic(rate, TrafficViewModel.MAX_IN_FLIGHT, new HttpSender(URI.create(endpoint), new LoadBody(size), scheduler),
                scheduler, System::nanoTime);
        traffic.start();
    }

    static TrafficViewModel.Traffic start(String endpoint, int rate, int size) {
        return new HttpTraffic(endpoint, rate, size);
    }

    @Override
    public TrafficCounts counts() {
        TrafficCounts counts = traffic.counts();
        // The answers after a stop come in on the scheduler's threads: they go once the last is in.
        if (stopped && counts.inFlight() == 0) {
            scheduler.shutdown();
        }
        return counts;
    }

    @Override
    public OptionalInt lastOtherStatus() {
        return traffic.lastOtherStatus();
    }

    @Override
    public void stop() {
        stopped = true;
        traffic.stop();
    }
}
