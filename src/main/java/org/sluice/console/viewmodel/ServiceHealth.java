package org.sluice.console.viewmodel;

/**
 * How a service's role instances are doing, beside its state (Service Fabric's words): a service
 * can be Active with an instance that crashed, and its state alone would not say so.
 */
public enum ServiceHealth {
    /** Every instance it has is starting or running. */
    OK,
    /** An instance crashed and the host is starting it again. */
    WARNING,
    /** An instance crashed too often in a row and was left down. */
    ERROR,
    /** The service is Active or Suspended but not all of its instances are up yet, as after a host restart. */
    STARTING,
    /**
     * The service's state runs no instances (Stopped, say, or a failure that keeps none), so there
     * is no health to show: "Ok" with none running would say nothing true.
     */
    NONE
}
