package org.sluice.console.viewmodel;

import org.sluice.lifecycle.ServiceState;

/** The services grid's state filter. */
public enum StateFilter {
    ALL, ACTIVE, STOPPED, SUSPENDED, DISABLED, FAILED, BUSY, THROTTLED;

    /**
     * Whether a row passes this filter: by its state, or, for {@link #THROTTLED}, by an instance
     * throttled or flapping now.
     */
    public boolean accepts(ServiceRowViewModel row) {
        if (this == THROTTLED) {
            return row.throttledProperty().get() > 0 || row.flappingCount() > 0;
        }
        return accepts(row.getState());
    }

    /** Whether a service in {@code state} passes this filter; {@link #THROTTLED} depends on the instances instead. */
    public boolean accepts(ServiceState state) {
        return switch (this) {
            case ALL -> true;
            case ACTIVE -> state == ServiceState.ACTIVE;
            case STOPPED -> state == ServiceState.STOPPED;
            case SUSPENDED -> state == ServiceState.SUSPENDED;
            case DISABLED -> state == ServiceState.DISABLED;
            case FAILED -> state.isFailure();
            case BUSY -> state.isTransitional();
            // Known only from the row's instances: see accepts(ServiceRowViewModel).
            case THROTTLED -> false;
        };
    }
}
