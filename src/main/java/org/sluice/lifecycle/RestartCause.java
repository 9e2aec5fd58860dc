package org.sluice.lifecycle;

import java.util.Optional;

/**
 * Why the host starts a role instance again on its own: its process exited without being asked
 * to, or the host itself restarted and the instance did not come back. Both are tried again after
 * the same doubling pause and left down after {@link #MAX_TRIES_IN_A_ROW} in a row, but only the
 * first is a crash: an operator reads the second as the host's doing, not the instance's.
 */
public enum RestartCause {
    /** The instance's process exited on its own. */
    CRASH("Crash"),
    /** The host restarted and the instance did not come back with it. */
    HOST_RESTART("HostRestart");

    /** Tries again in a row that the host makes before it leaves the instance down (after a host restart: 5 retries, 6 tries in all). */
    public static final int MAX_TRIES_IN_A_ROW = 5;

    private final String apiName;

    RestartCause(String apiName) {
        this.apiName = apiName;
    }

    /** The name the management API and the operation log use: {@code Crash}, {@code HostRestart}. */
    public String apiName() {
        return apiName;
    }

    /** The cause of {@code name}; empty for a name this version does not know. */
    public static Optional<RestartCause> ofApiName(String name) {
        for (RestartCause cause : values()) {
            if (cause.apiName.equals(name)) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }
}
