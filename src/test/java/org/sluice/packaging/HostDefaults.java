package org.sluice.packaging;

import org.sluice.cli.CommandLineShape;

/** The host's defaults as its command line declares them, so that packaging files are checked against the code. */
final class HostDefaults {
    private HostDefaults() {
    }

    /** The front door's port: {@code --port}'s default. */
    static int doorPort(CommandLineShape sluice) {
        return Integer.parseInt(sluice.defaultValue("host", "--port").orElseThrow());
    }

    /** The management API's port: the port of {@code --manage}'s default {@code HOST:PORT}. */
    static int managementPort(CommandLineShape sluice) {
        String manage = sluice.defaultValue("host", "--manage").orElseThrow();
        return Integer.parseInt(manage.substring(manage.lastIndexOf(':') + 1));
    }
}
