package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;
import javafx.collections.transformation.FilteredList;

import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * The services grid: every service of every host with its per-row commands, a search, a state
 * filter and a host filter, the selected service, and what starts from there: create (on a host of
 * the user's choice), restore and a failure drill. What came of it is told through
 * {@link NoticesViewModel}; bulk actions are {@link BulkActionViewModel}'s, hosts
 * {@link HostsViewModel}'s.
 */
public final class ServicesViewModel {
    private final FleetGroup fleet;
    private final HostsViewModel hosts;
    private final Lifecycle rules;
    private final I18n i18n;
    private final BackgroundExecutor executor;
    private final DialogService dialogs;
    private final NoticesViewModel notices;

    private final ObservableList<ServiceRowViewModel> rows = FXCollections.observableArrayList();
    private final FilteredList<ServiceRowViewModel> visible = new FilteredList<>(rows);
    private final Map<String, ServiceRowViewModel> byName = new HashMap<>();
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObjectProperty<StateFilter> stateFilter = new SimpleObjectProperty<>(this, "stateFilter", StateFilter.ALL);
    private final ObjectProperty<HostFilter> hostFilter = new SimpleObjectProperty<>(this, "hostFilter", HostFilter.ALL);
    private final ObservableList<HostFilter> hostFilters = FXCollections.observableArrayList(HostFilter.ALL);
    private final ObjectProperty<ServiceRowViewModel> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyObjectWrapper<ServiceRowViewModel> reveal = new ReadOnlyObjectWrapper<>(this, "reveal");
    /** The service created from the form that the grid has not listed yet, to reveal once it does. */
    private String toReveal;
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading", true);
    private final BooleanBinding drillAvailable;

    /**
     * @param hosts   the hosts the rows run on
     * @param notices where the grid tells the user what happened
     */
    public ServicesViewModel(FleetGroup fleet, HostsViewModel hosts, Lifecycle rules, I18n i18n, BackgroundExecutor executor,
                             DialogService dialogs, NoticesViewModel notices) {
        this.fleet = fleet;
        this.hosts = hosts;
        this.rules = rules;
        this.i18n = i18n;
        // Badges are said in words; a language switched in place says them anew.
        i18n.localeProperty().addListener((o, was, now) -> rows.forEach(ServiceRowViewModel::relabel));
        this.executor = executor;
        this.dialogs = dialogs;
        this.notices = notices;
        // The predicate is rebuilt when the search or filter changes, never when a row changes:
        // a row changing state does not re-filter thousands of rows.
        visible.predicateProperty().bind(Bindings.createObjectBinding(() -> {
            String text = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
            StateFilter filter = stateFilter.get();
            HostFilter onHost = hostFilter.get();
            return row -> (text.isEmpty() || row.name().toLowerCase(Locale.ROOT).contains(text))
                    && (filter == null || filter.accepts(row))
                    && (onHost == null || onHost.accepts(row.host().name()));
        }, search, stateFilter, hostFilter));
        drillAvailable = Bindings.createBooleanBinding(() -> selected.get() != null && selected.get().host().isOwn(), selected);
        hosts.hosts().addListener((ListChangeListener<HostViewModel>) change -> followHosts());
        followHosts();
    }

    /** The host filter offers every host; a host that left is no longer filtered on. */
    private void followHosts() {
        List<HostFilter> choices = new ArrayList<>();
        choices.add(HostFilter.ALL);
        hosts.hosts().forEach(h -> choices.add(new HostFilter(h.name())));
        if (!choices.equals(hostFilters)) {
            hostFilters.setAll(choices);
        }
        if (!choices.contains(hostFilter.get())) {
            hostFilter.set(HostFilter.ALL);
        }
    }

    /** Follows the instances flapping now, by key such as {@code orders#1}, as the dashboard tells them. */
    public void followFlapping(ObservableSet<String> instances) {
        instances.addListener((SetChangeListener<String>) change -> {
            String key = change.wasAdded() ? change.getElementAdded() : change.getElementRemoved();
            int hash = key.lastIndexOf('#');
            ServiceRowViewModel row = hash < 0 ? null : byName.get(key.substring(0, hash));
            if (row != null) {
                row.applyFlapping(Integer.parseInt(key.substring(hash + 1)), change.wasAdded());
                refilterThrottled(row);
            }
        });
    }

    /** Every service, in the order they arrived. */
    public ObservableList<ServiceRowViewModel> rows() {
        return rows;
    }

    /** The chart operations every row has a command for, in chart order. */
    public List<Operation> operations() {
        return rules.chart().operations();
    }

    /** The services that pass the search and the state filter. */
    public ObservableList<ServiceRowViewModel> visibleRows() {
        return visible;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** Shows every service again: no search, all states, all hosts. */
    public void clearSearch() {
        search.set("");
        stateFilter.set(StateFilter.ALL);
        hostFilter.set(HostFilter.ALL);
    }

    public ObjectProperty<StateFilter> stateFilterProperty() {
        return stateFilter;
    }

    /** Which host's services the grid shows: all hosts by default. */
    public ObjectProperty<HostFilter> hostFilterProperty() {
        return hostFilter;
    }

    /** The host filter's choices: all hosts, then each host, the console's own first. */
    public ObservableList<HostFilter> hostFilters() {
        return hostFilters;
    }

    /** What the user reads for a host filter: "All hosts", "This computer", or the host's name. */
    public String label(HostFilter filter) {
        if (filter == null || filter.isAll()) {
            return i18n.get("filter.allHosts");
        }
        return filter.host().isEmpty() ? i18n.get("host.thisComputer") : filter.host();
    }

    /** The hosts the rows run on. */
    public HostsViewModel hosts() {
        return hosts;
    }

    /** True until the first snapshot of the fleet has been loaded, or has failed to load. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ObjectProperty<ServiceRowViewModel> selectedProperty() {
        return selected;
    }

    /**
     * The service the grid is asked to bring into sight and select: one the user created from the
     * New service form, once the grid has its row.
     */
    public ReadOnlyObjectProperty<ServiceRowViewModel> revealProperty() {
        return reveal.getReadOnlyProperty();
    }

    public Optional<ServiceRowViewModel> row(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Replaces everything with a snapshot of the fleet. */
    public void load(FleetSnapshot snapshot) {
        byName.clear();
        List<ServiceRowViewModel> fresh = new ArrayList<>();
        for (ServiceSnapshot service : snapshot.services()) {
            ServiceRowViewModel row = newRow(service);
            byName.put(row.name(), row);
            fresh.add(row);
        }
        rows.setAll(fresh);
        loading.set(false);
    }

    /** The fleet could not be read: the user sees why. */
    public void loadFailed(Throwable failure) {
        loading.set(false);
        notices.post(Notice.Kind.ERROR, null, i18n.phrase("notice.loadFailed", String.valueOf(failure.getMessage())));
    }

    /** Applies events that arrived since the last pulse, in order. */
    public void apply(List<FleetEvent> events) {
        for (FleetEvent event : events) {
            apply(event);
        }
    }

    private void apply(FleetEvent event) {
        if (event instanceof FleetEvent.ServiceAdded added) {
            ServiceRowViewModel existing = byName.get(added.service());
            if (existing != null) {
                existing.update(added.snapshot());
            } else {
                ServiceRowViewModel row = newRow(added.snapshot());
                byName.put(row.name(), row);
                rows.add(row);
                if (row.name().equals(toReveal)) {
                    reveal(row);
                }
            }
            return;
        }
        if (event instanceof FleetEvent.ServiceRemoved removed) {
            ServiceRowViewModel row = byName.remove(removed.service());
            if (row != null) {
                rows.remove(row);
                if (selected.get() == row) {
                    selected.set(null);
                }
                notices.serviceGone(removed.service());
            }
            return;
        }
        ServiceRowViewModel row = byName.get(event.service());
        if (row == null) {
            return;
        }
        if (event instanceof FleetEvent.ServiceStateChanged changed) {
            row.applyState(changed.state(), changed.running().orElse(null));
            refilter(row);
        } else if (event instanceof FleetEvent.DefinitionChanged changed) {
            row.update(changed.snapshot());
        } else if (event instanceof FleetEvent.OperationProgress progress && progress.record().operation().byHost()) {
            // A restart by supervision is in the service's log; the instance's status and its notices already tell of it.
            return;
        } else if (event instanceof FleetEvent.OperationProgress progress) {
            row.applyOperation(progress.record());
            announce(progress.record());
        } else if (event instanceof FleetEvent.InstanceStatusChanged status) {
            row.applyInstanceStatus(status.index(), status.status());
            refilterThrottled(row);
            status.message().ifPresent(m -> notices.post(Notice.Kind.ERROR, status.service(), instanceNotice(status, m)));
        } else if (event instanceof FleetEvent.ThrottleChanged throttle) {
            row.applyThrottle(throttle.index(), throttle.transition().state());
            refilterThrottled(row);
        } else if (event instanceof FleetEvent.InstanceProblem problem) {
            notices.post(Notice.Kind.ERROR, problem.service(), i18n.phrase("notice.instanceProblem", problem.service(), problem.index(), problem.message()));
        }
    }

    /**
     * A restart and a give-up are told from what the event says, in the console's language, a try
     * after a host restart as one rather than as a crash; other
     * messages (an exit's status) as the host words them.
     */
    private Phrase instanceNotice(FleetEvent.InstanceStatusChanged status, String message) {
        boolean afterHostRestart = status.cause() == RestartCause.HOST_RESTART;
        if (status.crashesInARow() > 0 && status.status() == InstanceStatus.RESTARTING && afterHostRestart) {
            return i18n.phrase("notice.instanceRestartingAfterHostRestart", status.service(), status.index(), status.crashesInARow(),
                    RestartCause.MAX_TRIES_IN_A_ROW);
        }
        if (status.crashesInARow() > 0 && status.status() == InstanceStatus.FAILED && afterHostRestart) {
            return i18n.phrase("notice.instanceLeftDownAfterHostRestart", status.service(), status.index(), status.crashesInARow());
        }
        if (status.crashesInARow() > 0 && status.status() == InstanceStatus.RESTARTING) {
            return i18n.phrase("notice.instanceRestarting", status.service(), status.index(), status.crashesInARow());
        }
        if (status.crashesInARow() > 0 && status.status() == InstanceStatus.FAILED) {
            return i18n.phrase("notice.instanceLeftDown", status.service(), status.index(), status.crashesInARow());
        }
        return i18n.phrase("notice.instanceFailed", status.service(), status.index(), message);
    }

    /** A row whose state changed may leave or enter the filtered view. */
    private void refilter(ServiceRowViewModel row) {
        if (stateFilter.get() != StateFilter.ALL) {
            int index = rows.indexOf(row);
            if (index >= 0) {
                rows.set(index, row);
            }
        }
    }

    /** Under the Throttled filter, a row whose instances changed may leave or enter the view. */
    private void refilterThrottled(ServiceRowViewModel row) {
        if (stateFilter.get() == StateFilter.THROTTLED) {
            refilter(row);
        }
    }

    private void announce(OperationRecord record) {
        Phrase op = i18n.operationPhrase(record.operation());
        if (record.outcome() == Outcome.FAILED || record.outcome() == Outcome.INTERRUPTED) {
            notices.post(Notice.Kind.ERROR, record.service(), i18n.phrase("notice.operationFailed", record.service(), op,
                    ProblemWords.orOutcome(record)));
        } else if (record.outcome() == Outcome.SUCCEEDED) {
            notices.post(Notice.Kind.SUCCESS, record.service(), i18n.phrase("notice.operationSucceeded", record.service(), op));
        }
    }

    private ServiceRowViewModel newRow(ServiceSnapshot snapshot) {
        String name = snapshot.name();
        return new ServiceRowViewModel(snapshot, hosts.host(snapshot.host()), rules, i18n, this::invoke,
                (operation, reason) -> notices.post(Notice.Kind.ERROR, name, i18n.phrase("notice.refused", name, reason)));
    }

    // ---------------------------------------------------------------- running operations

    private void invoke(ServiceRowViewModel row, Operation operation, OperationCommand command) {
        String name = row.name();
        Supplier<OperationTicket> call;
        switch (operation) {
            case DELETE -> {
                if (!dialogs.confirmDelete(name)) {
                    return;
                }
                call = () -> fleet.perform(name, operation);
            }
            case SCALE -> {
                Optional<Integer> units = dialogs.askUnits(name, row.getDefinition().units());
                if (units.isEmpty()) {
                    return;
                }
                call = () -> fleet.scale(name, units.get());
            }
            case UPDATE_CONFIGURATION -> {
                Optional<ServiceDefinition> edited = dialogs.editDefinition(row.getDefinition(), false);
                if (edited.isEmpty()) {
                    return;
                }
                call = () -> fleet.updateConfiguration(name, edited.get());
            }
            case SERVICE_UPDATE -> {
                if (!dialogs.confirmServiceUpdate(name)) {
                    return;
                }
                call = () -> fleet.perform(name, operation);
            }
            default -> call = () -> fleet.perform(name, operation);
        }
        command.started();
        executor.run(call::get, ticket -> command.finished(), failure -> {
            command.finished();
            notices.commandFailed(name, operation, failure);
        });
    }

    // ---------------------------------------------------------------- create and restore

    /**
     * Asks for a new service's definition and, when remote hosts are connected, the host to create
     * it on; then creates it there.
     */
    public void createService() {
        ServiceDefinition blank = new ServiceDefinition("", ServiceDefinition.MIN_UNITS, ServiceDefinition.DEFAULT_CORES,
                ServiceDefinition.DEFAULT_MEMORY_MB, ServiceDefinition.Validation.NONE, null, null, "");
        List<DialogService.HostChoice> choices = hosts.hosts().stream()
                .filter(h -> h.isOwn() || h.getState() == RemoteFleet.State.CONNECTED)
                .map(h -> new DialogService.HostChoice(h.name(), h.label())).toList();
        // A name the grid knows on the chosen host is refused as the user types it.
        DefinitionFormViewModel form = new DefinitionFormViewModel(blank, true, i18n,
                (host, name) -> byName.containsKey(ServiceSnapshot.qualified(host, name)));
        form.onSubmit((submitted, host, definition) -> {
            String name = ServiceSnapshot.qualified(host, definition.name());
            executor.run(() -> fleet.create(host, definition), ticket -> {
                submitted.accepted();
                ServiceRowViewModel listed = byName.get(name);
                if (listed != null) {
                    reveal(listed);
                } else {
                    toReveal = name;
                }
                notices.post(Notice.Kind.INFO, name, i18n.phrase("notice.accepted", name, i18n.operationPhrase(Operation.CREATE)));
            }, failure -> submitted.refused(notices.describe(name, Operation.CREATE, failure)));
        });
        dialogs.newService(form, choices);
    }

    /** Asks the grid to bring {@code row} into sight and select it, even when it asked for it before. */
    private void reveal(ServiceRowViewModel row) {
        toReveal = null;
        reveal.set(null);
        reveal.set(row);
    }

    /** Lets the user pick a backup of the selected service and restores it under a new name. */
    public void restoreService() {
        ServiceRowViewModel row = selected.get();
        if (row == null) {
            notices.post(Notice.Kind.INFO, null, i18n.phrase("notice.selectForRestore"));
            return;
        }
        String name = row.name();
        if (row.isStale()) {
            notices.post(Notice.Kind.INFO, name, i18n.phrase("notice.refused", name, row.host().blockedReasonWordsProperty().get()));
            return;
        }
        executor.run(() -> fleet.backups(name), backups -> {
            if (backups.isEmpty()) {
                notices.post(Notice.Kind.INFO, name, i18n.phrase("notice.noBackups", name));
                return;
            }
            // The backup's host restores it: a remote host's backup ids say which host that is.
            dialogs.chooseBackup(backups).ifPresent(choice -> {
                String restored = ServiceSnapshot.qualified(FleetGroup.hostOf(choice.backupId()), choice.newName());
                executor.run(() -> fleet.restore(choice.backupId(), choice.newName()),
                        ticket -> notices.post(Notice.Kind.INFO, restored, i18n.phrase("notice.accepted", restored,
                                i18n.operationPhrase(Operation.RESTORE))),
                        failure -> notices.commandFailed(restored, Operation.RESTORE, failure));
            });
        }, failure -> notices.post(Notice.Kind.ERROR, name, String.valueOf(failure.getMessage())));
    }

    /** What a drill can fail: the chart's operations, then the account's and the platform's. */
    private List<Operation> drillable() {
        List<Operation> operations = new ArrayList<>(rules.chart().operations());
        operations.addAll(List.of(Operation.DISABLE, Operation.ENABLE, Operation.SERVICE_UPDATE));
        return operations;
    }

    /** True when a service of the console's own host is selected: drills are armed only there. */
    public BooleanBinding drillAvailableProperty() {
        return drillAvailable;
    }

    /**
     * Arms a failure drill on the selected service: the operation the user picks fails next time.
     * Only the console's own host takes drills; the management API has no way to break a service.
     */
    public void armDrill() {
        ServiceRowViewModel row = selected.get();
        if (row == null) {
            notices.post(Notice.Kind.INFO, null, i18n.phrase("notice.selectForDrill"));
            return;
        }
        String name = row.name();
        if (!row.host().isOwn()) {
            notices.post(Notice.Kind.INFO, name, i18n.phrase("notice.drillOwnHostOnly", name));
            return;
        }
        dialogs.chooseDrill(name, drillable()).ifPresent(operation -> executor.run(() -> {
            fleet.injectFault(name, operation);
            return operation;
        }, armed -> notices.post(Notice.Kind.INFO, name, i18n.phrase("notice.drillArmed", name, i18n.operationPhrase(armed))),
                failure -> notices.commandFailed(name, operation, failure)));
    }

    // ---------------------------------------------------------------- the account

    /**
     * Disables every service of the account that is Active, Suspended or Stopped, on every host the
     * console reaches, after saying which ones and asking.
     */
    public void disableAccount() {
        account(Operation.DISABLE, "notice.nothingToDisable", fleet::disableAccount);
    }

    /** Enables every Disabled service, which goes back to the state it had before, after asking. */
    public void enableAccount() {
        account(Operation.ENABLE, "notice.nothingToEnable", fleet::enableAccount);
    }

    private void account(Operation operation, String nothingKey, Supplier<List<OperationTicket>> call) {
        List<String> touched = rows.stream()
                .filter(row -> !row.isStale() && row.getRunning() == null && rules.allows(row.getState(), operation))
                .map(ServiceRowViewModel::name).toList();
        if (touched.isEmpty()) {
            notices.post(Notice.Kind.INFO, null, i18n.phrase(nothingKey));
            return;
        }
        if (!dialogs.confirmAccount(operation, touched)) {
            return;
        }
        executor.run(call::get,
                tickets -> notices.post(Notice.Kind.INFO, null, i18n.phrase("notice.accountAccepted", i18n.operationPhrase(operation), tickets.size())),
                failure -> notices.post(Notice.Kind.ERROR, null, i18n.phrase("notice.accountFailed", i18n.operationPhrase(operation),
                        String.valueOf(failure.getMessage()))));
    }
}
