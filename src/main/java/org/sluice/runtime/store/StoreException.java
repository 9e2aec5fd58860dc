package org.sluice.runtime.store;

/**
 * The store could not do what was asked: the database file cannot be opened or written, a
 * constraint was violated, or a stored value cannot be read back.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
