package org.sluice.console.viewmodel;

import org.sluice.lifecycle.ServiceState;

/**
 * What the grid's state cell shows of a service: its state, and beside it a badge when role
 * instances are throttled or flapping, such as "1 of 2 throttled".
 *
 * @param state the service's state
 * @param mark  what the badge marks, and so its colour
 * @param badge   the badge's words in the user's language; empty when {@code mark} is {@link Mark#NONE}
 * @param compact the badge as a few figures, such as "1/2", for a column too narrow for its words
 *                (which its tooltip then says); empty when {@code mark} is {@link Mark#NONE}
 */
public record StateSummary(ServiceState state, Mark mark, String badge, String compact) {
    /** What a service's instances are doing that its state does not say. */
    public enum Mark {
        /** No instance throttled or flapping. */
        NONE,
        /** An instance is throttled and stays so. */
        THROTTLED,
        /** An instance keeps changing between Normal and Throttled, and none is throttled steadily. */
        FLAPPING
    }
}
