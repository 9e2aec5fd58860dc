package org.sluice.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the host's events to its {@link HostListener}s, in the order they were published, on
 * one thread of their own, so that no listener runs on an operation or instance thread.
 */
final class HostEvents {
    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    private final ExecutorService thread;
    private final List<HostListener> listeners = new CopyOnWriteArrayList<>();

    /** @param thread a single-thread executor, owned from now on: one thread keeps events in order */
    HostEvents(ExecutorService thread) {
        this.thread = thread;
    }

    void add(HostListener listener) {
        listeners.add(listener);
    }

    void remove(HostListener listener) {
        listeners.remove(listener);
    }

    /**
     * Hands {@code delivery} to every listener on the event thread. A listener that throws is
     * logged and does not keep the others from hearing; once closed, events are dropped.
     */
    void publish(Consumer<HostListener> delivery) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> {
                for (HostListener listener : listeners) {
                    try {
                        delivery.accept(listener);
                    } catch (RuntimeException e) {
                        LOG.error("A host listener failed", e);
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("Host closed; an event was not delivered");
        }
    }

    /** Lets the events already published reach the listeners, for a few seconds at most. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Host events were still being delivered at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
