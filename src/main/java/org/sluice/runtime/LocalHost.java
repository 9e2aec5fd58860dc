package org.sluice.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.instance.OwnerOnly;
import org.sluice.runtime.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host on this machine with everything it needs: its store in the data folder, role instances
 * as child JVMs, and its front door on loopback. It holds its data folder ({@link DataFolderLock}):
 * a second host on the same folder is refused. Closing it stops the instances it started.
 */
public final class LocalHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalHost.class);

    /** How long the front door waits, when the host stops, for the messages it forwarded to be answered. */
    static final Duration DRAIN_TIME = Duration.ofSeconds(10);

    private final Path data;
    private final DataFolderLock lock;
    private final Store journal;
    private final Host host;
    private final FrontDoor door;

    private LocalHost(Path data, DataFolderLock lock, Store journal, Host host, FrontDoor door) {
        this.data = data;
        this.lock = lock;
        this.journal = journal;
        this.host = host;
        this.door = door;
    }

    /**
     * Opens the store in {@code data}, recovers the services found there (those that were running
     * get their instances back) and opens the front door on {@code port} (0 for any free port).
     */
    public static LocalHost open(Path data, int port) throws IOException {
        return open(data, port, false);
    }

    /**
     * As {@link #open(Path, int)}; with {@code overcommit}, definitions bigger than this machine
     * (memory × units, or cores) are taken instead of refused.
     */
    public static LocalHost open(Path data, int port, boolean overcommit) throws IOException {
        return open(data, port, overcommit, ProcessInstanceLauncher.sameJvm(data.resolve("instances")));
    }

    /**
     * As {@link #open(Path, int, boolean)}, with its role instances started by {@code launcher}
     * (another engine than child JVMs on this machine).
     */
    public static LocalHost open(Path data, int port, boolean overcommit, InstanceLauncher launcher) throws IOException {
        return open(data, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), overcommit, launcher);
    }

    /** As {@link #open(Path, int, boolean, InstanceLauncher)}, with the front door at {@code door}. */
    public static LocalHost open(Path data, InetSocketAddress door, boolean overcommit, InstanceLauncher launcher)
            throws IOException {
        LocalHost local = openWithoutInstances(data, door, overcommit, launcher);
        local.relaunchInstances();
        return local;
    }

    /**
     * Like {@link #open}, but the services that were running get their instances back only when
     * {@link #relaunchInstances()} is called: a console shows the services first, then lets the
     * instance JVMs take the machine's cores.
     */
    public static LocalHost openWithoutInstances(Path data, int port) throws IOException {
        return openWithoutInstances(data, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), false,
                ProcessInstanceLauncher.sameJvm(data.resolve("instances")));
    }

    private static LocalHost openWithoutInstances(Path data, InetSocketAddress doorAt, boolean overcommit,
                                                  InstanceLauncher launcher) throws IOException {
        OwnerOnly.createDirectories(data);
        OwnerOnly.check(data);
        // Before anything else: a second host must not touch the database or the instances' folders.
        DataFolderLock lock = DataFolderLock.acquire(data);
        Store journal;
        try {
            journal = Store.open(data);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        // The door opens after the host (it serves the host's services); an instance delivering to
        // it is started only once it is open.
        java.util.concurrent.atomic.AtomicReference<FrontDoor> opened = new java.util.concurrent.atomic.AtomicReference<>();
        InstanceLauncher toDoor = new FrontDoorDestinations(launcher, () -> Optional.ofNullable(opened.get()).map(FrontDoor::base));
        Host host = new Host(toDoor, journal,
                InstantSource.system(), overcommit ? Host.Settings.defaults().overcommitted() : Host.Settings.defaults());
        FrontDoor door;
        try {
            host.load();
            door = FrontDoor.open(host, doorAt);
            opened.set(door);
        } catch (IOException | RuntimeException e) {
            host.close();
            journal.close();
            lock.close();
            throw e;
        }
        return new LocalHost(data, lock, journal, host, door);
    }

    /** Starts, in the background, the instances of the services that were running; see {@link Host#relaunchInstances()}. */
    public void relaunchInstances() {
        host.relaunchInstances();
    }

    public Host host() {
        return host;
    }

    public FrontDoor door() {
        return door;
    }

    public Path data() {
        return data;
    }

    /** The host's database, for what lives beside the journal (the management API's keys). */
    public Store store() {
        return journal;
    }

    /**
     * What {@link #define} did: the creations accepted, and a reason for each definition refused.
     */
    public record Defined(List<Host.Accepted> accepted, List<String> refused) {
    }

    /**
     * Creates the services of {@code definitions} that do not exist yet; each starts as it is
     * created. A definition that is refused does not stop the ones after it.
     */
    public Defined define(List<ServiceDefinition> definitions, String requester) {
        List<Host.Accepted> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (ServiceDefinition definition : definitions) {
            if (host.service(definition.name()).isPresent()) {
                LOG.info("{} exists already; its definition file entry is left alone", definition.name());
                continue;
            }
            try {
                accepted.add(host.create(definition, requester));
            } catch (IllegalArgumentException e) {
                LOG.warn("The definition of {} is refused: {}", definition.name(), e.getMessage());
                refused.add(definition.name() + ": " + e.getMessage());
            }
        }
        return new Defined(List.copyOf(accepted), List.copyOf(refused));
    }

    /** The demonstration service whose destination is slow: test traffic makes it throttle. */
    public static final String SLOW_DEMO = "slow-partner";

    /**
     * When the host has no service at all, creates a few demonstration services, each with its own
     * inbox under {@code DATA/demo}: three deliver to an outbox there, and {@value #SLOW_DEMO}
     * delivers to the front door's slow partner, which takes a second over each message.
     */
    public Defined demo(String requester) throws IOException {
        if (!host.services().isEmpty()) {
            return new Defined(List.of(), List.of());
        }
        return define(List.of(
                demoService("orders", 2, Validation.JSON),
                demoService("invoices", 1, Validation.XML),
                demoService("audit", 1, Validation.NONE),
                slowDemoService()), requester);
    }

    /** The definition of {@value #SLOW_DEMO}, as the demonstration creates it on this host. */
    ServiceDefinition slowDemoService() throws IOException {
        Path inbox = OwnerOnly.createDirectories(data.toAbsolutePath().resolve("demo").resolve(SLOW_DEMO).resolve("inbox"));
        return new ServiceDefinition(SLOW_DEMO, 1, 1, 256, Validation.JSON, null, "dir:" + inbox,
                ServiceDefinition.FRONT_DOOR + FrontDoor.SLOW_PARTNER_PATH);
    }

    private ServiceDefinition demoService(String name, int units, Validation validation) throws IOException {
        // Definitions name folders by absolute paths; --data may have been given as a relative one.
        Path folder = data.toAbsolutePath().resolve("demo").resolve(name);
        Path inbox = OwnerOnly.createDirectories(folder.resolve("inbox"));
        Path outbox = OwnerOnly.createDirectories(folder.resolve("outbox"));
        return new ServiceDefinition(name, units, 1, 256, validation, null, "dir:" + inbox, "dir:" + outbox);
    }

    @Override
    public void close() {
        // The door drains first: a message it forwarded is answered, or its instance ended, before
        // the door closes its sender's connection.
        door.close(DRAIN_TIME, host::endInstancesAt);
        host.close();
        journal.close();
        lock.close();
    }
}
