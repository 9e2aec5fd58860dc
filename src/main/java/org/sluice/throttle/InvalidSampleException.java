package org.sluice.throttle;

import java.util.Objects;

/**
 * A sample the governor refuses. It names the problem as a value so that a caller can explain it
 * in the user's language; the message is an English rendering for logs.
 */
public final class InvalidSampleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with a sample. */
    public enum Problem {
        NEGATIVE_TIME("time %s ms is negative"),
        TIME_BACKWARDS("time %s ms is before the previous sample"),
        MEMORY_NOT_A_NUMBER("memory %s is not a number"),
        MEMORY_NEGATIVE("memory %s %% is negative"),
        MEMORY_OVER_100("memory %s %% is over 100 %%"),
        NEGATIVE_CONCURRENCY("messages in process %s is negative"),
        CORES_BELOW_ONE("cores %s is below 1");

        private final String english;

        Problem(String english) {
            this.english = english;
        }
    }

    private final Problem problem;
    private final String value;

    public InvalidSampleException(Problem problem, Object value) {
        super(String.format(Objects.requireNonNull(problem, "problem").english, value));
        this.problem = problem;
        this.value = String.valueOf(value);
    }

    public Problem problem() {
        return problem;
    }

    /** The offending value, as text. */
    public String value() {
        return value;
    }
}
