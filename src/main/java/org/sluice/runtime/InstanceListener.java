package org.sluice.runtime;

/** Receives one role instance's events, on that instance's reader thread. */
@FunctionalInterface
public interface InstanceListener {
    void onEvent(InstanceEvent event);
}
