package org.sluice.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;

import javafx.animation.AnimationTimer;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.Subscription;

/**
 * Carries fleet events to the JavaFX thread without flooding it: events are queued as they arrive
 * on the fleet's thread and drained once per pulse, all together.
 */
final class FleetEventPump implements AutoCloseable {
    /** Receives one pulse's events, on the JavaFX thread. */
    interface Sink {
        void apply(List<FleetEvent> events);
    }

    private final Queue<FleetEvent> queue = new ConcurrentLinkedQueue<>();
    private final Subscription subscription;
    private final AnimationTimer timer;

    /**
     * @param onPulse called on every pulse with the pulse's time in milliseconds, after the events
     *                are applied: the dashboard advances its flashes there
     */
    FleetEventPump(Fleet fleet, Sink sink, LongConsumer onPulse) {
        subscription = fleet.subscribe(queue::add);
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (!queue.isEmpty()) {
                    List<FleetEvent> batch = new ArrayList<>(queue.size());
                    FleetEvent event;
                    while ((event = queue.poll()) != null) {
                        batch.add(event);
                    }
                    sink.apply(batch);
                }
                onPulse.accept(System.currentTimeMillis());
            }
        };
    }

    void start() {
        timer.start();
    }

    @Override
    public void close() {
        timer.stop();
        subscription.close();
    }
}
