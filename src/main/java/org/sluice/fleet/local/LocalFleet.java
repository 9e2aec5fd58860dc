package org.sluice.fleet.local;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.HostInUseException;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceExistsException;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.Subscription;
import org.sluice.fleet.UnknownBackupException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.DataDirectory;
import org.sluice.runtime.DataFolderInUseException;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.HostListener;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.LocalHost;
import org.sluice.runtime.NameTakenException;
import org.sluice.runtime.NoSuchBackupException;
import org.sluice.runtime.NoSuchServiceException;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.store.Store;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet of the host on this machine. Commands go straight to the {@link Host}; its events are
 * turned into {@link FleetEvent}s for the console.
 */
public final class LocalFleet implements Fleet {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFleet.class);

    private final Host host;
    private final FrontDoor door;
    private final String requester;
    private final AutoCloseable owned;

    /**
     * @param host      the host to administer
     * @param door      its front door, for endpoints
     * @param requester who the operation log names for this fleet's commands, e.g. {@code console:alice}
     * @param owned     what closing the fleet releases (the host with its door and journal); {@code null}
     *                  to close just the host
     */
    public LocalFleet(Host host, FrontDoor door, String requester, AutoCloseable owned) {
        this.host = Objects.requireNonNull(host, "host");
        this.door = Objects.requireNonNull(door, "door");
        this.requester = Objects.requireNonNull(requester, "requester");
        this.owned = owned;
    }

    /**
     * Opens a host on this machine in {@code data} and returns its fleet. The front door listens
     * on {@code port}, or on any free port when that one is taken. On the very first run (no
     * database yet) and with {@code demo}, a few demonstration services are created.
     *
     * <p>The services that were running get their role instances back only when
     * {@link #relaunchInstances()} is called, so that whoever shows them can do so first.
     *
     * @throws HostInUseException when another host runs on {@code data}
     */
    public static LocalFleet openOnThisMachine(Path data, int port, String requester, boolean demo) throws IOException {
        boolean firstRun = !Files.exists(data.resolve(Store.FILE_NAME));
        LocalHost local;
        try {
            try {
                local = LocalHost.openWithoutInstances(data, port);
            } catch (BindException taken) {
                LOG.info("Port {} is taken; the front door uses a free port instead", port);
                local = LocalHost.openWithoutInstances(data, 0);
            }
        } catch (DataFolderInUseException inUse) {
            throw new HostInUseException(inUse.folder(), inUse.holder(), inUse);
        }
        if (firstRun && demo) {
            local.demo(requester);
        }
        return new LocalFleet(local.host(), local.door(), requester, local);
    }

    /**
     * Starts, in the background, the role instances of the services that were Active or
     * Suspended when the host last stopped. Calling it again does nothing more.
     */
    public void relaunchInstances() {
        host.relaunchInstances();
    }

    /** The default data folder of this user and system. */
    public static Path defaultData() {
        return DataDirectory.defaultLocation();
    }

    @Override
    public FleetSnapshot snapshot() {
        return new FleetSnapshot(System.currentTimeMillis(), host.services().stream().map(this::snapshot).toList(),
                Map.of(ServiceSnapshot.THIS_HOST, host.engineStatus()));
    }

    private ServiceSnapshot snapshot(ServiceView view) {
        return new ServiceSnapshot(view.definition(), view.state(), view.running(),
                view.instances().stream().map(i -> instance(view.name(), i)).toList(),
                view.lastOperation(), door.endpoint(view.name()));
    }

    private static InstanceSnapshot instance(String service, InstanceView view) {
        return new InstanceSnapshot(service, view.index(), view.status(), view.throttle(), view.causes(),
                view.throttledSinceMs(), view.lastSample(), view.crashesInARow(), view.restartCause());
    }

    @Override
    public Subscription subscribe(FleetListener listener) {
        HostListener bridge = new HostListener() {
            // Services already in a snapshot the subscriber may take are not announced again as added.
            private final Map<String, ServiceDefinition> known = new ConcurrentHashMap<>(
                    host.services().stream().collect(Collectors.toMap(ServiceView::name, ServiceView::definition)));

            @Override
            public void serviceChanged(ServiceView service) {
                ServiceDefinition before = known.put(service.name(), service.definition());
                if (before == null) {
                    listener.onEvent(new FleetEvent.ServiceAdded(service.name(), snapshot(service)));
                    return;
                }
                listener.onEvent(new FleetEvent.ServiceStateChanged(service.name(), service.state(), service.running()));
                if (!before.equals(service.definition())) {
                    listener.onEvent(new FleetEvent.DefinitionChanged(service.name(), snapshot(service)));
                }
            }

            @Override
            public void engineStatusChanged(EngineStatus status) {
                listener.onEvent(new FleetEvent.EngineStatusChanged(ServiceSnapshot.THIS_HOST, status));
            }

            @Override
            public void serviceRemoved(String name) {
                known.remove(name);
                listener.onEvent(new FleetEvent.ServiceRemoved(name));
            }

            @Override
            public void operationProgress(OperationRecord record) {
                listener.onEvent(new FleetEvent.OperationProgress(record.service(), record));
            }

            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                int index = instance.index();
                if (event == null || event instanceof InstanceEvent.Ready || event instanceof InstanceEvent.Exited
                        || event instanceof InstanceEvent.Restarting || event instanceof InstanceEvent.GaveUp) {
                    Optional<String> message = switch (event) {
                        case InstanceEvent.Exited exited when !exited.requested() -> Optional.of("exited with status " + exited.status());
                        case InstanceEvent.Restarting again when again.cause() == RestartCause.HOST_RESTART -> Optional.of(
                                "not back after the host restarted; tried again in " + again.delayMs() + " ms (retry "
                                        + again.attempt() + " of " + RestartCause.MAX_TRIES_IN_A_ROW + ")");
                        case InstanceEvent.Restarting again -> Optional.of("is started again in " + again.delayMs() + " ms (crash "
                                + again.attempt() + " in a row)");
                        case InstanceEvent.GaveUp gaveUp when gaveUp.cause() == RestartCause.HOST_RESTART -> Optional.of(
                                "left down: not back after the host restarted, in " + gaveUp.crashes() + " tries");
                        case InstanceEvent.GaveUp gaveUp -> Optional.of("left down after " + gaveUp.crashes() + " crashes in a row");
                        case null, default -> Optional.empty();
                    };
                    int crashes = switch (event) {
                        case InstanceEvent.Restarting again -> again.attempt();
                        case InstanceEvent.GaveUp gaveUp -> gaveUp.crashes();
                        case null, default -> instance.crashesInARow();
                    };
                    RestartCause cause = switch (event) {
                        case InstanceEvent.Restarting again -> again.cause();
                        case InstanceEvent.GaveUp gaveUp -> gaveUp.cause();
                        case null, default -> instance.restartCause();
                    };
                    listener.onEvent(new FleetEvent.InstanceStatusChanged(service, index, instance.status(), message, crashes, cause));
                } else if (event instanceof InstanceEvent.Sampled sampled) {
                    listener.onEvent(new FleetEvent.InstanceSampled(service, index, sampled.sample()));
                } else if (event instanceof InstanceEvent.Throttle throttle) {
                    listener.onEvent(new FleetEvent.ThrottleChanged(service, index, throttle.transition()));
                } else if (event instanceof InstanceEvent.Problem problem) {
                    listener.onEvent(new FleetEvent.InstanceProblem(service, index, problem.message()));
                }
            }
        };
        host.addListener(bridge);
        return () -> host.removeListener(bridge);
    }

    @Override
    public OperationTicket create(ServiceDefinition definition) {
        List<ServiceDefinition.Problem> problems = definition.problems();
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        try {
            return ticket(host.create(definition, requester));
        } catch (NameTakenException e) {
            throw new ServiceExistsException(e.service());
        }
    }

    @Override
    public OperationTicket perform(String service, Operation operation) {
        return known(service, () -> ticket(host.perform(service, operation, requester)));
    }

    @Override
    public OperationTicket scale(String service, int units) {
        return known(service, () -> ticket(host.scale(service, units, requester)));
    }

    @Override
    public OperationTicket updateConfiguration(String service, ServiceDefinition definition) {
        return known(service, () -> ticket(host.updateConfiguration(service, definition, requester)));
    }

    @Override
    public OperationTicket restore(String backupId, String newName) {
        try {
            return ticket(host.restore(backupId, newName, requester));
        } catch (NoSuchBackupException e) {
            throw new UnknownBackupException(e.backupId());
        } catch (NameTakenException e) {
            throw new ServiceExistsException(e.service());
        }
    }

    @Override
    public List<OperationTicket> disableAccount() {
        return host.disableAccount(requester).stream().map(LocalFleet::ticket).toList();
    }

    @Override
    public List<OperationTicket> enableAccount() {
        return host.enableAccount(requester).stream().map(LocalFleet::ticket).toList();
    }

    @Override
    public void injectFault(String service, Operation operation) {
        known(service, () -> {
            host.injectFault(service, operation);
            return null;
        });
    }

    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        return host.operations(query);
    }

    @Override
    public Optional<OperationRecord> operation(String requestId) {
        return host.operation(requestId);
    }

    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return host.episodes(service, fromMs, toMs);
    }

    @Override
    public SampleWindow samples(String service, int index, long fromMs, long toMs) {
        return known(service, () -> host.samples(service, index, fromMs, toMs));
    }

    @Override
    public List<BackupInfo> backups(String service) {
        return host.backups(service);
    }

    @Override
    public InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes) {
        return known(service, () -> host.instanceLog(service, index, run, offset, maxBytes));
    }

    @Override
    public String endpoint(String service) {
        return door.endpoint(service);
    }

    @Override
    public void close() {
        if (owned == null) {
            host.close();
        } else {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.error("Closing the local fleet's resources failed", e);
            }
        }
    }

    private static OperationTicket ticket(Host.Accepted accepted) {
        OperationRecord record = accepted.record();
        return new OperationTicket(record.requestId(), record.service(), record.operation(), accepted.completion());
    }

    private static <T> T known(String service, Supplier<T> command) {
        try {
            return command.get();
        } catch (NoSuchServiceException e) {
            throw new UnknownServiceException(service);
        }
    }
}
