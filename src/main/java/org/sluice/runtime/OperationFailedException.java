package org.sluice.runtime;

/** The work of an operation failed for a reason the operator can read; the service lands in the failure state. */
public final class OperationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
