package org.sluice.lifecycle;

/** Whether a role instance's process is up. */
public enum InstanceStatus {
    /** Launched, not yet accepting messages. */
    STARTING,
    /** Accepting messages (or refusing them while suspended or throttled). */
    RUNNING,
    /** Stopped on purpose. */
    STOPPED,
    /** Exited without being asked to; the host starts it again after a pause. */
    RESTARTING,
    /** Exited or failed to start without being asked to, and left down. */
    FAILED
}
