package org.sluice.runtime;

/** A create or restore named a service that exists already. */
public final class NameTakenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String service;

    public NameTakenException(String service) {
        super("A service named '" + service + "' exists already");
        this.service = service;
    }

    public String service() {
        return service;
    }
}
