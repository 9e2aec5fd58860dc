package org.sluice.console.viewmodel;

import java.io.IOException;
import java.net.URI;

import org.sluice.fleet.remote.RemoteFleet;

/** Remote hosts in view-model tests that need none: nothing answers. */
final class RemoteHostsForTests {
    static final RemoteHosts NONE = new RemoteHosts() {
        @Override
        public String fingerprintOf(URI address) throws IOException {
            throw new java.net.ConnectException("Connection refused");
        }

        @Override
        public RemoteFleet connect(String name, URI address, String issuer, String key, String fingerprint) {
            throw new UnsupportedOperationException("no remote host in this test");
        }
    };

    private RemoteHostsForTests() {
    }
}
