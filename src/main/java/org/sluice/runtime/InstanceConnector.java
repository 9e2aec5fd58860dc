package org.sluice.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Reaches a role instance that runs elsewhere (a pod, another machine) and speaks the instance
 * protocol over the network instead of over its standard input and output (docs/runtime.md).
 */
@FunctionalInterface
public interface InstanceConnector {

    /**
     * Connects to instance {@code index} of {@code service} at {@code address}, signing in with the
     * service's {@code token}. The instance's events go to {@code listener}, as a child process's do;
     * the returned instance's {@link RoleInstance#ready()} completes once the instance has said it is
     * ready.
     *
     * @throws IOException when the instance cannot be reached at all
     */
    RoleInstance connect(String service, int index, InetSocketAddress address, String token, InstanceListener listener)
            throws IOException;
}
