package org.sluice.fleet;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps a fleet's events as they arrive, for a test to wait for the one it expects. */
public final class EventRecorder implements FleetListener {
    private final BlockingQueue<FleetEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onEvent(FleetEvent event) {
        events.add(event);
    }

    /** Forgets what arrived so far. */
    public void clear() {
        events.clear();
    }

    /** Waits up to 10 s for the next event of {@code type}, passing over any other. */
    public <E extends FleetEvent> E next(Class<E> type) throws InterruptedException {
        return next(type, e -> true);
    }

    /** Waits up to 10 s for the next event of {@code type} that {@code which} accepts, passing over any other. */
    public <E extends FleetEvent> E next(Class<E> type, Predicate<E> which) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            FleetEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (type.isInstance(event) && which.test(type.cast(event))) {
                return type.cast(event);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " of the kind expected arrived within 10 s");
    }
}
