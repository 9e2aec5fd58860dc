package org.sluice.lifecycle;

/** How an operation ended, as the operation log records it. */
public enum Outcome {
    /** Still running. */
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** The host stopped while it ran; the service landed in the operation's failure state. */
    INTERRUPTED
}
