package org.sluice.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

import org.sluice.runtime.store.Store;

/**
 * A host as it runs for real, for end-to-end tests: its SQLite journal in {@code temp/data}, role
 * instances as child JVMs under {@code temp/work}, and its front door on a free loopback port.
 */
final class RealHost implements AutoCloseable {
    final Store journal;
    final Host host;
    final FrontDoor door;

    RealHost(Path temp, HostListener listener) throws IOException {
        journal = Store.open(temp.resolve("data"));
        host = new Host(ProcessInstanceLauncher.sameJvm(temp.resolve("work")), journal, InstantSource.system(),
                new Host.Settings(Duration.ofSeconds(30), Duration.ofSeconds(15)));
        host.addListener(listener);
        door = FrontDoor.open(host, 0);
    }

    @Override
    public void close() {
        door.close();
        host.close();
        journal.close();
    }
}
