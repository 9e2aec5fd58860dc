package org.sluice.runtime.store;

/** How an operation in the log ended. An operation that has not ended has no outcome. */
public enum Outcome {
    /** It landed in its success state. */
    SUCCEEDED,
    /** It landed in its failure state. */
    FAILED,
    /** The host stopped (or crashed) while it ran; found unfinished when the store was next opened. */
    INTERRUPTED
}
