package org.sluice.runtime.instance;

/** A message that failed validation or transformation: the sender's fault (HTTP 400). */
public final class MessageRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public MessageRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
