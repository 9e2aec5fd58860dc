package org.sluice.fleet;

/** The fleet cannot be reached: it could not be opened, or the connection to it is gone. */
public final class FleetUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public FleetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
