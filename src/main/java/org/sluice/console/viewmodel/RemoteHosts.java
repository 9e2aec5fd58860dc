package org.sluice.console.viewmodel;

import java.io.IOException;
import java.net.URI;

import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.remote.RemoteFleet;

/**
 * How the console reaches a host on another machine: reads the certificate it presents, and
 * follows it once the operator accepted that certificate. Both may take seconds: view models call
 * them through the {@link BackgroundExecutor}.
 */
public interface RemoteHosts {

    /** The SHA-256 fingerprint of the certificate the host at {@code address} presents. */
    String fingerprintOf(URI address) throws IOException, InterruptedException;

    /** Starts following the host at {@code address}, trusting only the certificate with {@code fingerprint}. */
    RemoteFleet connect(String name, URI address, String issuer, String key, String fingerprint);

    /** The management API over HTTPS, with {@code settings} for reconnecting. */
    static RemoteHosts overHttps(RemoteFleet.Settings settings) {
        return new RemoteHosts() {
            @Override
            public String fingerprintOf(URI address) throws IOException, InterruptedException {
                return ManagementClient.fingerprintOf(address);
            }

            @Override
            public RemoteFleet connect(String name, URI address, String issuer, String key, String fingerprint) {
                return RemoteFleet.connect(name, new ManagementClient(address, issuer, key, fingerprint), settings);
            }
        };
    }
}
