package org.sluice.console.viewmodel;

/**
 * The services grid's host filter: every host, or one.
 *
 * @param host the host whose services pass, empty for the console's own; {@code null} for all hosts
 */
public record HostFilter(String host) {
    public static final HostFilter ALL = new HostFilter(null);

    /** Whether a service of {@code serviceHost} passes. */
    public boolean accepts(String serviceHost) {
        return host == null || host.equals(serviceHost);
    }

    public boolean isAll() {
        return host == null;
    }
}
