package org.sluice.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import javafx.animation.AnimationTimer;

import org.sluice.console.viewmodel.HostStatus;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.remote.RemoteFleet;

/**
 * Carries fleet events and host changes to the JavaFX thread without flooding it: events are
 * queued as they arrive on the fleet's threads and drained once per pulse, all together. A change
 * of the hosts or of a connection only marks them changed; the pulse then reads every host's
 * connection as it is at that moment, so any number of changes between two frames cost one read,
 * and what is shown is never older than the last change.
 */
final class FleetEventPump implements AutoCloseable {
    /** Receives, on the JavaFX thread, the hosts when they changed and then one pulse's events. */
    interface Sink {
        void hosts(List<HostStatus> remotes);

        void apply(List<FleetEvent> events);
    }

    private final FleetGroup group;
    private final Queue<FleetEvent> queue = new ConcurrentLinkedQueue<>();
    /** Set when a host came, went or its connection changed; the first pulse reads them too. */
    private final AtomicBoolean hostsChanged = new AtomicBoolean(true);
    private final Subscription subscription;
    private final Subscription hostSubscription;
    private final AnimationTimer timer;

    /**
     * @param onPulse called on every pulse with the pulse's time in milliseconds, after the events
     *                are applied: the dashboard advances its flashes there
     */
    FleetEventPump(FleetGroup group, Sink sink, LongConsumer onPulse) {
        this.group = group;
        subscription = group.subscribe(queue::add);
        hostSubscription = group.onHosts(new FleetGroup.HostsListener() {
            @Override
            public void hostsChanged(List<String> hosts) {
                hostsChanged.set(true);
            }

            @Override
            public void connectionChanged(String host, RemoteFleet.Connection connection) {
                hostsChanged.set(true);
            }
        });
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                // Hosts first: a service that arrives names a host the console knows by then.
                if (hostsChanged.getAndSet(false)) {
                    sink.hosts(remotes());
                }
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

    /** Every remote host with its connection now; reading them takes no I/O and waits for nothing. */
    private List<HostStatus> remotes() {
        List<HostStatus> remotes = new ArrayList<>();
        for (String host : group.hosts()) {
            group.remote(host).ifPresent(r -> remotes.add(new HostStatus(host, r.client().base(), r.connection())));
        }
        return remotes;
    }

    void start() {
        timer.start();
    }

    @Override
    public void close() {
        timer.stop();
        subscription.close();
        hostSubscription.close();
    }
}
