package org.sluice.runtime.instance;

/** The destination did not take a message (HTTP 502). */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeliveryException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
