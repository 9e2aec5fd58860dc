package org.sluice.runtime.access;

/**
 * The host's keys or certificate cannot be made, read or used. The message names the file and,
 * where there is one, what to do about it.
 */
public class HostAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostAccessException(String message) {
        super(message);
    }

    public HostAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
