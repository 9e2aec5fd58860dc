package org.sluice.console.viewmodel;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceCrash;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;

/**
 * The selected service's details: its instances live, its operation log with filters, its
 * throttle episodes and its backups. Queries run through the background executor.
 */
public final class ServiceDetailsViewModel {
    static final int LOG_LIMIT = 500;
    private static final Comparator<InstanceEpisode> NEWEST_FIRST = Comparator
            .comparingLong((InstanceEpisode e) -> e.episode().startMs()).reversed()
            .thenComparingInt(InstanceEpisode::instance);

    private final Fleet fleet;
    private final BackgroundExecutor executor;
    private final List<Operation> loggedOperations;
    private final ZoneId zone;
    private final ReadOnlyStringWrapper service = new ReadOnlyStringWrapper(this, "service");
    private final Map<String, Map<Integer, InstanceRowViewModel>> instancesByService = new HashMap<>();
    /** The services that are Suspended now: their running instances read Suspended. */
    private final Set<String> suspended = new HashSet<>();
    private final ObservableList<InstanceRowViewModel> instances = FXCollections.observableArrayList();
    private final ObservableList<OperationRecord> operations = FXCollections.observableArrayList();
    private final ObservableList<InstanceEpisode> episodes = FXCollections.observableArrayList();
    private final ObservableList<BackupInfo> backups = FXCollections.observableArrayList();
    private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>(this, "from");
    private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>(this, "to");
    private final ObjectProperty<Operation> operationFilter = new SimpleObjectProperty<>(this, "operationFilter");
    private final ObjectProperty<Outcome> outcomeFilter = new SimpleObjectProperty<>(this, "outcomeFilter");

    /** @param rules the lifecycle whose chart operations come first in the log's operation filter */
    public ServiceDetailsViewModel(Fleet fleet, Lifecycle rules, BackgroundExecutor executor, ZoneId zone) {
        this.fleet = fleet;
        this.executor = executor;
        List<Operation> logged = new ArrayList<>(rules.chart().operations());
        Arrays.stream(Operation.values()).filter(operation -> !operation.inChart()).forEach(logged::add);
        this.loggedOperations = List.copyOf(logged);
        this.zone = zone;
        from.addListener((o, a, b) -> reloadOperations());
        to.addListener((o, a, b) -> reloadOperations());
        operationFilter.addListener((o, a, b) -> reloadOperations());
        outcomeFilter.addListener((o, a, b) -> reloadOperations());
    }

    /** The operations the log can be filtered by: the chart's, in chart order, then those outside the chart. */
    public List<Operation> loggedOperations() {
        return loggedOperations;
    }

    /** The service shown, or {@code null}. */
    public ReadOnlyStringProperty serviceProperty() {
        return service.getReadOnlyProperty();
    }

    public ObservableList<InstanceRowViewModel> instances() {
        return instances;
    }

    public ObservableList<OperationRecord> operations() {
        return operations;
    }

    public ObservableList<InstanceEpisode> episodes() {
        return episodes;
    }

    public ObservableList<BackupInfo> backups() {
        return backups;
    }

    /** Log entries started on or after this day. */
    public ObjectProperty<LocalDate> fromProperty() {
        return from;
    }

    /** Log entries started on or before this day. */
    public ObjectProperty<LocalDate> toProperty() {
        return to;
    }

    public ObjectProperty<Operation> operationFilterProperty() {
        return operationFilter;
    }

    public ObjectProperty<Outcome> outcomeFilterProperty() {
        return outcomeFilter;
    }

    /** Shows {@code name}'s details, or nothing. */
    public void show(String name) {
        service.set(name);
        instances.setAll(name == null ? List.of() : rowsOf(name).values());
        if (name == null) {
            operations.clear();
            episodes.clear();
            backups.clear();
            return;
        }
        reloadOperations();
        reloadEpisodes();
        reloadBackups();
    }

    public void load(FleetSnapshot snapshot) {
        instancesByService.clear();
        suspended.clear();
        for (ServiceSnapshot s : snapshot.services()) {
            if (s.state() == ServiceState.SUSPENDED) {
                suspended.add(s.name());
            }
            for (InstanceSnapshot instance : s.instances()) {
                row(s.name(), instance.index()).update(instance);
            }
        }
        if (service.get() != null) {
            instances.setAll(rowsOf(service.get()).values());
        }
    }

    /** Applies one pulse's events. */
    public void apply(List<FleetEvent> events) {
        boolean instancesChanged = false;
        // Read once for the pulse: an episode ends as its instance is Normal again, or is cut short as it goes down.
        boolean episodesChanged = false;
        for (FleetEvent event : events) {
            String name = event.service();
            if (event instanceof FleetEvent.InstanceSampled sampled) {
                row(name, sampled.index()).sample(sampled.sample());
            } else if (event instanceof FleetEvent.ThrottleChanged changed) {
                row(name, changed.index()).throttle(changed.transition());
                episodesChanged |= name.equals(service.get()) && changed.transition().state() == ThrottleState.NORMAL;
            } else if (event instanceof FleetEvent.InstanceStatusChanged status) {
                if (status.status() == InstanceStatus.STOPPED) {
                    rowsOf(name).remove(status.index());
                } else {
                    row(name, status.index()).status(status.status(), status.crashesInARow(), status.cause());
                }
                instancesChanged |= name.equals(service.get());
                episodesChanged |= name.equals(service.get()) && status.status() != InstanceStatus.RUNNING
                        && status.status() != InstanceStatus.STARTING;
            } else if (event instanceof FleetEvent.ServiceStateChanged changed) {
                suspend(name, changed.state() == ServiceState.SUSPENDED);
            } else if (event instanceof FleetEvent.ServiceAdded added) {
                // A remote host's services arrive whole, with their instances, as it is reached or reached again.
                suspend(name, added.snapshot().state() == ServiceState.SUSPENDED);
                Map<Integer, InstanceRowViewModel> rows = rowsOf(name);
                rows.keySet().retainAll(added.snapshot().instances().stream().map(InstanceSnapshot::index).toList());
                for (InstanceSnapshot instance : added.snapshot().instances()) {
                    row(name, instance.index()).update(instance);
                }
                instancesChanged |= name.equals(service.get());
            } else if (event instanceof FleetEvent.ServiceRemoved) {
                instancesByService.remove(name);
                suspended.remove(name);
                if (name.equals(service.get())) {
                    show(null);
                }
            } else if (event instanceof FleetEvent.OperationProgress progress && name.equals(service.get())) {
                reloadOperations();
                if (progress.record().operation() == Operation.BACKUP && progress.record().outcome() != Outcome.RUNNING) {
                    reloadBackups();
                }
            }
        }
        if (instancesChanged) {
            instances.setAll(rowsOf(service.get()).values());
        }
        if (episodesChanged && service.get() != null) {
            reloadEpisodes();
        }
    }

    private void suspend(String name, boolean isSuspended) {
        if (isSuspended ? suspended.add(name) : suspended.remove(name)) {
            rowsOf(name).values().forEach(row -> row.suspended(isSuspended));
        }
    }

    private Map<Integer, InstanceRowViewModel> rowsOf(String name) {
        return instancesByService.computeIfAbsent(name, n -> new TreeMap<>());
    }

    private InstanceRowViewModel row(String name, int index) {
        Map<Integer, InstanceRowViewModel> rows = rowsOf(name);
        InstanceRowViewModel row = rows.get(index);
        if (row == null) {
            row = new InstanceRowViewModel(name, index);
            row.suspended(suspended.contains(name));
            rows.put(index, row);
            if (name.equals(service.get())) {
                instances.setAll(rows.values());
            }
        }
        return row;
    }

    /**
     * How long an ended episode lasted, to the nearest tenth of a second. The table shows whole
     * seconds for start and end, so whole seconds here would read wrong: 04:09:08.9 to 04:09:11.5
     * is shown as 08 to 11, and "2 s" beside it looks like an error where "2.6 s" does not.
     */
    public static String episodeDuration(long millis, I18n i18n) {
        long tenths = (Math.max(0, millis) + 50) / 100;
        String seconds = (tenths % 600) / 10 + "." + tenths % 10;
        long minutes = tenths / 600;
        if (minutes == 0) {
            return i18n.get("details.duration.seconds", seconds);
        }
        if (minutes < 60) {
            return i18n.get("details.duration.minutes", Long.toString(minutes), seconds);
        }
        return i18n.get("details.duration.hours", Long.toString(minutes / 60), Long.toString(minutes % 60), seconds);
    }

    /**
     * An instance row's status as the table shows it: "Restarting (2)" after crashes, "Retrying
     * after host restart (2 of 5)" after a host restart, "Suspended" for a running instance of a
     * Suspended service, else the status's own word.
     */
    public static String instanceStatusText(InstanceRowViewModel row, I18n i18n) {
        InstanceStatus status = row.statusProperty().get();
        int crashes = row.crashesInARowProperty().get();
        if (status == InstanceStatus.RESTARTING && crashes > 0) {
            return row.restartCauseProperty().get() == RestartCause.HOST_RESTART
                    ? i18n.get("instance.RESTARTING.hostRestart", crashes, RestartCause.MAX_TRIES_IN_A_ROW)
                    : i18n.get("instance.RESTARTING.count", crashes);
        }
        if (status == InstanceStatus.RUNNING && row.suspendedProperty().get()) {
            return i18n.get("instance.suspended");
        }
        return i18n.get("instance." + status.name());
    }

    /** What the log tells of the crash a restart or a give-up of the host's own is about. */
    public static String crashText(InstanceCrash crash, I18n i18n) {
        String exit = crash.notStarted() ? i18n.get("details.crash.notStarted")
                : crash.signal().isPresent()
                        ? i18n.get("details.crash.signal", Integer.toString(crash.signal().getAsInt()), Integer.toString(crash.exitStatus()))
                        : i18n.get("details.crash.status", Integer.toString(crash.exitStatus()));
        String key = crash.cause() == RestartCause.HOST_RESTART ? "details.crash.hostRestart" : "details.crash";
        return i18n.get(key, Integer.toString(crash.instance()), exit, Integer.toString(crash.crashesInARow()));
    }

    /** How long an episode lasted, and whether it was cut short; empty while it is open. */
    public static String episodeLength(ThrottleEpisode episode, I18n i18n) {
        if (episode.durationMs().isEmpty()) {
            return "";
        }
        String length = episodeDuration(episode.durationMs().getAsLong(), i18n);
        return episode.cutShort() ? i18n.get("details.episode.cutShort", length) : length;
    }

    /** How many of an episode's latest cause changes the details tell after the first. */
    public static final int CAUSE_STEPS_TOLD = 12;

    /**
     * Each step of an episode's causes, with the time it began, oldest first. A long history tells
     * its first step, how many changes came between, and its latest {@value #CAUSE_STEPS_TOLD}.
     */
    public static String causeHistoryText(ThrottleEpisode episode, I18n i18n, LongFunction<String> time) {
        ThrottleEpisode.Outline outline = episode.outline(CAUSE_STEPS_TOLD);
        List<String> steps = new ArrayList<>();
        steps.add(time.apply(outline.first().atMs()) + " " + causesText(outline.first().causes(), i18n));
        if (outline.untold() > 0) {
            steps.add(i18n.get("details.episode.untold", Integer.toString(outline.untold())));
        }
        outline.latest().forEach(step -> steps.add(time.apply(step.atMs()) + " " + causesText(step.causes(), i18n)));
        return String.join(" → ", steps);
    }

    /** Causes in their order, in the console's words: "Memory + Messages in process". */
    public static String causesText(Set<Cause> causes, I18n i18n) {
        return causes.stream().map(c -> i18n.get("cause." + c.name())).collect(Collectors.joining(" + "));
    }

    /** The query the filters describe. */
    OperationQuery query(String name) {
        Optional<Long> fromMs = Optional.ofNullable(from.get()).map(d -> d.atStartOfDay(zone).toInstant().toEpochMilli());
        Optional<Long> toMs = Optional.ofNullable(to.get()).map(d -> d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
        return new OperationQuery(fromMs, toMs, Optional.of(name), Optional.ofNullable(operationFilter.get()),
                Optional.ofNullable(outcomeFilter.get()), LOG_LIMIT);
    }

    private void reloadOperations() {
        String name = service.get();
        if (name == null) {
            return;
        }
        OperationQuery query = query(name);
        executor.run(() -> fleet.operations(query), records -> {
            if (name.equals(service.get())) {
                operations.setAll(records);
            }
        }, failure -> operations.clear());
    }

    private void reloadEpisodes() {
        String name = service.get();
        executor.run(() -> fleet.episodes(name, 0, Long.MAX_VALUE), found -> {
            if (name.equals(service.get())) {
                // Newest first, as the operation log is listed.
                episodes.setAll(found.stream().sorted(NEWEST_FIRST).toList());
            }
        }, failure -> episodes.clear());
    }

    private void reloadBackups() {
        String name = service.get();
        executor.run(() -> fleet.backups(name), found -> {
            if (name.equals(service.get())) {
                backups.setAll(found);
            }
        }, failure -> backups.clear());
    }
}
