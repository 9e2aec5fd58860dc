package org.sluice.fleet;

/** Receives fleet events, on a fleet thread. */
@FunctionalInterface
public interface FleetListener {
    void onEvent(FleetEvent event);
}
