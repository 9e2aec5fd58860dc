package org.sluice.throttle;

/** A criterion that can throttle an instance. The declaration order is the order causes are listed in. */
public enum Cause {
    /** Memory in use reached its high threshold. */
    MEMORY,
    /** Messages in process reached their high threshold. */
    CONCURRENCY
}
