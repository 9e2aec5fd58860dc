package org.sluice.runtime;

import java.util.Objects;

import org.sluice.lifecycle.Problem;

/**
 * An operation that did not succeed: its reason in English (the message) and the same reason as a
 * {@link Problem}, for a console that says it in another language.
 */
public final class OperationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public OperationFailedException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public OperationFailedException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The reason as a code and arguments. */
    public Problem problem() {
        return problem;
    }
}
