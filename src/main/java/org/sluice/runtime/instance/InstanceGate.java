package org.sluice.runtime.instance;

import java.util.Optional;

/** Whether the host has suspended the instance or asked it to stop. Thread-safe. */
public final class InstanceGate {
    private volatile boolean suspended;
    private volatile boolean stopping;

    public void suspend() {
        suspended = true;
    }

    public void resume() {
        suspended = false;
    }

    public void stop() {
        stopping = true;
    }

    /** Why the instance takes no messages now; empty while it takes them. */
    public Optional<String> closedBecause() {
        if (stopping) {
            return Optional.of("the instance is stopping");
        }
        if (suspended) {
            return Optional.of("the instance is suspended");
        }
        return Optional.empty();
    }
}
