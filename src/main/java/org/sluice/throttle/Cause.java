package org.sluice.throttle;

/** A criterion that can throttle an instance. The declaration order is the order causes are listed in. */
public enum Cause {
    /** Memory in use reached its high threshold. */
    MEMORY,
    /** Messages in process reached their high threshold. */
    CONCURRENCY;

    /**
     * {@code causes} in an operator's words, in declaration order, for the English logs: "memory",
     * "messages in process", or both joined by "and". The internal names ([CONCURRENCY]) said nothing.
     */
    public static String words(java.util.Set<Cause> causes) {
        return causes.stream().sorted().map(c -> c == MEMORY ? "memory" : "messages in process")
                .collect(java.util.stream.Collectors.joining(" and "));
    }
}
