package org.sluice.console.viewmodel;

import org.sluice.lifecycle.ServiceState;

/** The services grid's state filter. */
public enum StateFilter {
    ALL, ACTIVE, STOPPED, SUSPENDED, DISABLED, FAILED, BUSY;

    /** Whether a service in {@code state} passes this filter. */
    public boolean accepts(ServiceState state) {
        return switch (this) {
            case ALL -> true;
            case ACTIVE -> state == ServiceState.ACTIVE;
            case STOPPED -> state == ServiceState.STOPPED;
            case SUSPENDED -> state == ServiceState.SUSPENDED;
            case DISABLED -> state == ServiceState.DISABLED;
            case FAILED -> state.isFailure();
            case BUSY -> state.isTransitional();
        };
    }
}
