package org.sluice.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every instance event the host publishes for one service, kept in order, so a test can wait for
 * the first event after a point that matches a condition.
 */
final class InstanceEventLog extends HostTest.RecordingListener {
    /** One event and the instance it came from. */
    record Entry(int instance, InstanceEvent event) {
    }

    private final String service;
    private final List<Entry> entries = new ArrayList<>();

    InstanceEventLog(String service) {
        this.service = service;
    }

    @Override
    public void instanceEvent(String name, InstanceView instance, InstanceEvent event) {
        if (!service.equals(name) || event == null) {
            return;
        }
        synchronized (entries) {
            entries.add(new Entry(instance.index(), event));
            entries.notifyAll();
        }
    }

    /** How many events have arrived; a position to wait from. */
    int mark() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Every event so far. */
    List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /**
     * Waits for the first event at or after position {@code from} that matches {@code condition}.
     *
     * @return the event, or empty when none came within the timeout
     */
    Optional<Entry> await(int from, Predicate<Entry> condition, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        int next = from;
        synchronized (entries) {
            while (true) {
                for (; next < entries.size(); next++) {
                    if (condition.test(entries.get(next))) {
                        return Optional.of(entries.get(next));
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return Optional.empty();
                }
                entries.wait(left);
            }
        }
    }

    /** Events of type {@code type} so far, with the instance they came from. */
    <T extends InstanceEvent> List<T> all(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Entry entry : entries()) {
            if (type.isInstance(entry.event())) {
                found.add(type.cast(entry.event()));
            }
        }
        return found;
    }
}
