package org.sluice.runtime;

/** A command named a service the host does not have. */
public final class NoSuchServiceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String service;

    public NoSuchServiceException(String service) {
        super("No service named '" + service + "'");
        this.service = service;
    }

    public String service() {
        return service;
    }
}
