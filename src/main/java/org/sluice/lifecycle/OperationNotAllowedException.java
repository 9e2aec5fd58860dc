package org.sluice.lifecycle;

/**
 * Thrown when an operation is asked of a service whose state does not allow it.
 *
 * <p>The message is exactly {@value #MESSAGE}, as operators of the original platform know it;
 * the state and the operation are carried alongside so that a user interface can explain why
 * and suggest a way out.
 */
public final class OperationNotAllowedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The message of every refusal. */
    public static final String MESSAGE = "Operation not allowed";

    private final ServiceState state;
    private final Operation operation;

    public OperationNotAllowedException(ServiceState state, Operation operation) {
        super(MESSAGE);
        this.state = state;
        this.operation = operation;
    }

    /** The state the service was in when the operation was refused. */
    public ServiceState state() {
        return state;
    }

    /** The operation that was refused. */
    public Operation operation() {
        return operation;
    }
}
