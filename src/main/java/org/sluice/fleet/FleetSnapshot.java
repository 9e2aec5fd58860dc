package org.sluice.fleet;

import java.util.List;

/** Every service of the fleet, taken at {@code timeMs}. */
public record FleetSnapshot(long timeMs, List<ServiceSnapshot> services) {
}
