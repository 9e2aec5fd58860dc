package org.sluice.fleet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.sluice.lifecycle.EngineStatus;

/**
 * Every service of the fleet, taken at {@code timeMs}, and the engine of each of its hosts.
 *
 * @param engines the status of each host's engine, by the host's name ({@link ServiceSnapshot#THIS_HOST}
 *                for the fleet's own host); a host that has not said it (an older one) is missing
 */
public record FleetSnapshot(long timeMs, List<ServiceSnapshot> services, Map<String, EngineStatus> engines) {

    public FleetSnapshot {
        engines = Map.copyOf(Objects.requireNonNull(engines, "engines"));
    }

    /** A snapshot that says nothing of the hosts' engines. */
    public FleetSnapshot(long timeMs, List<ServiceSnapshot> services) {
        this(timeMs, services, Map.of());
    }
}
