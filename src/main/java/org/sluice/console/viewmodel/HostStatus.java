package org.sluice.console.viewmodel;

import java.net.URI;

import org.sluice.fleet.remote.RemoteFleet;

/**
 * A remote host of the console's fleet as it was found at one pulse: its name, the address of its
 * management API and where its connection is.
 */
public record HostStatus(String name, URI address, RemoteFleet.Connection connection) {
}
