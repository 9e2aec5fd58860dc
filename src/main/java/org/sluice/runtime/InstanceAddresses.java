package org.sluice.runtime;

import java.net.InetSocketAddress;

/** How the host writes a role instance's address into a request it sends there. */
final class InstanceAddresses {
    private InstanceAddresses() {
    }

    /** The {@code Host} header for {@code address}: its literal address (bracketed for IPv6) and port, never a name looked up. */
    static String hostHeader(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
