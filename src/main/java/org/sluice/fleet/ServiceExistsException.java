package org.sluice.fleet;

/** A create or restore named a service that exists already; nothing was created. */
public final class ServiceExistsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String service;

    public ServiceExistsException(String service) {
        super("A service named '" + service + "' exists already");
        this.service = service;
    }

    public String service() {
        return service;
    }
}
