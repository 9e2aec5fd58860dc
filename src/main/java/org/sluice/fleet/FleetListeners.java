package org.sluice.fleet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a fleet: each hears every event, in order, and one that throws is logged and
 * keeps hearing the rest, as {@link Fleet#subscribe} promises.
 */
public final class FleetListeners {
    private static final Logger LOG = LoggerFactory.getLogger(FleetListeners.class);

    private final List<FleetListener> listeners = new CopyOnWriteArrayList<>();

    public Subscription add(FleetListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(FleetEvent event) {
        for (FleetListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("A fleet listener failed on {}", event.getClass().getSimpleName(), e);
            }
        }
    }
}
