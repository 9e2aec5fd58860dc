package org.sluice.fleet;

/** A command named a service the fleet does not have. */
public final class UnknownServiceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String service;

    public UnknownServiceException(String service) {
        super("No service named '" + service + "'");
        this.service = service;
    }

    public String service() {
        return service;
    }
}
