package org.sluice.throttle;

/** Whether a role instance accepts messages (Normal) or refuses them as busy (Throttled). */
public enum ThrottleState {
    NORMAL,
    THROTTLED
}
