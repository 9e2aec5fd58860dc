package org.sluice.console;

import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import org.sluice.console.controls.BundleCharts;
import org.sluice.console.view.DashboardView;
import org.sluice.console.view.MainView;
import org.sluice.console.view.ServiceDetailsView;
import org.sluice.console.view.ThrottleNotificationBar;
import org.sluice.console.viewmodel.BackgroundExecutor;
import org.sluice.console.viewmodel.BulkActionViewModel;
import org.sluice.console.viewmodel.ConnectionStore;
import org.sluice.console.viewmodel.DashboardViewModel;
import org.sluice.console.viewmodel.DialogService;
import org.sluice.console.viewmodel.HostStatus;
import org.sluice.console.viewmodel.HostsViewModel;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.IncidentBundleViewModel;
import org.sluice.console.viewmodel.InstanceLogViewModel;
import org.sluice.console.viewmodel.NoticesViewModel;
import org.sluice.console.viewmodel.RemoteHosts;
import org.sluice.console.viewmodel.ServiceDetailsViewModel;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.console.viewmodel.ServicesViewModel;
import org.sluice.console.viewmodel.TrafficViewModel;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.bundle.IncidentBundle;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.throttle.InstanceEpisode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the console's window content over the console's hosts: the view models, their views,
 * and the pump that feeds them fleet events and host changes once per pulse. A language switch
 * keeps the view models (selection, chart history, notices, events, test traffic) and makes the
 * views again in the new language ({@link #language}).
 */
final class ConsoleSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSession.class);
    private final FleetGroup fleet;
    private final BackgroundExecutor executor;
    private final HostsViewModel hosts;
    private final ServicesViewModel services;
    private final ServiceDetailsViewModel details;
    private final IncidentBundleViewModel bundles;
    private final InstanceLogViewModel log;
    /** Made again with the other views when the language changes. */
    private ServiceDetailsView detailsView;
    private final DashboardViewModel dashboard;
    private final TrafficViewModel traffic;
    private final BulkActionViewModel bulk;
    private final NoticesViewModel notices;
    private final I18n i18n;
    private final MainView.Shell shell;
    /** Made when the dashboard tab is first shown. */
    private DashboardView dashboardView;
    private final ObservableList<String> serviceNames = FXCollections.observableArrayList();
    private MainView view;
    /** The throttle notification bar of the current view, let go of with it. */
    private javafx.util.Subscription notifications = javafx.util.Subscription.EMPTY;
    private final FleetEventPump pump;
    /** The instance logs open in tabs of their own, by key, in the order they were opened; kept over a language switch. */
    private final java.util.Map<String, InstanceLogViewModel> logTabs = new java.util.LinkedHashMap<>();
    /** While the views are made again: the grid's selection passes from the old table to the new. */
    private boolean switching;
    /** When notices come and how old they are; the console's clock, or a test's. */
    private final LongSupplier noticeClock;

    /**
     * @param remoteHosts how hosts on other machines are reached
     * @param connections where the connections to them are kept between runs
     */
    ConsoleSession(FleetGroup fleet, Lifecycle rules, I18n i18n, BackgroundExecutor executor, DialogService dialogs,
                   MainView.Shell shell, LongSupplier clock, TrafficViewModel.Starter trafficStarter, RemoteHosts remoteHosts,
                   ConnectionStore connections) {
        this(fleet, rules, i18n, executor, dialogs, shell, clock, clock, trafficStarter, remoteHosts, connections);
    }

    /**
     * @param noticeClock when notices come and when they fade from the status line; a test holds
     *                    it still so that a notice it reads does not fade while it runs
     */
    ConsoleSession(FleetGroup fleet, Lifecycle rules, I18n i18n, BackgroundExecutor executor, DialogService dialogs,
                   MainView.Shell shell, LongSupplier clock, LongSupplier noticeClock, TrafficViewModel.Starter trafficStarter,
                   RemoteHosts remoteHosts, ConnectionStore connections) {
        this.fleet = fleet;
        this.executor = executor;
        this.noticeClock = noticeClock;
        this.notices = new NoticesViewModel(i18n, noticeClock, ZoneId.systemDefault());
        this.hosts = new HostsViewModel(fleet, remoteHosts, connections, i18n, executor, dialogs, notices, clock);
        this.services = new ServicesViewModel(fleet, hosts, rules, i18n, executor, dialogs, notices);
        this.bulk = new BulkActionViewModel(fleet, rules, i18n, executor, dialogs, notices);
        this.details = new ServiceDetailsViewModel(fleet, rules, executor, ZoneId.systemDefault());
        services.selectedProperty().addListener((o, a, row) -> {
            if (!switching) {
                details.show(row == null ? null : row.name());
            }
        });
        this.log = new InstanceLogViewModel(fleet, executor, i18n);
        // A service's first instance is shown until the user picks another.
        details.serviceProperty().addListener((o, a, name) -> {
            if (name == null || !name.equals(log.serviceProperty().get())) {
                log.show(name, name == null ? null : 0);
            }
        });
        this.bundles = new IncidentBundleViewModel(new IncidentBundleViewModel.Writer() {
            @Override
            public Path write(String service, List<Integer> instances, long fromMs, long toMs, Path file) {
                return bundle(service).write(service, instances, fromMs, toMs, List.of(), file);
            }

            @Override
            public Path writeEpisode(InstanceEpisode episode, IncidentBundle.Range range, Path file) {
                return bundle(episode.service()).writeEpisode(episode, range, file);
            }
        }, executor, dialogs, notices, i18n, clock);
        services.selectedProperty().addListener((o, a, row) -> bundles.selectedServiceProperty().set(row == null ? null : row.name()));
        this.dashboard = new DashboardViewModel(i18n, clock);
        services.followFlapping(dashboard.flappingInstances());
        this.traffic = new TrafficViewModel(fleet, i18n, trafficStarter);
        services.rows().addListener(this::followServiceNames);
        this.i18n = i18n;
        this.shell = shell;
        this.view = newView();
        this.pump = new FleetEventPump(fleet, new FleetEventPump.Sink() {
            @Override
            public void hosts(List<HostStatus> remotes) {
                hosts.update(remotes);
            }

            @Override
            public void apply(List<FleetEvent> events) {
                ConsoleSession.this.apply(events);
            }
        }, this::pulse);
    }

    private MainView newView() {
        detailsView = new ServiceDetailsView(details, log, i18n);
        detailsView.offerBundle(bundles.saveServiceCommand());
        detailsView.offerEpisodeBundle(bundles.selectedEpisodeProperty(), bundles.saveEpisodeCommand());
        detailsView.offerLogTab(() -> {
            if (log.serviceProperty().get() != null && log.instanceProperty().get() != null) {
                openLogTab(log.serviceProperty().get(), log.instanceProperty().get());
            }
        });
        MainView made = new MainView(services, hosts, bulk, notices, i18n, shell, detailsView, this::dashboardView);
        made.offerBundle(bundles.saveServiceCommand());
        // A view made again after a language switch has the log tabs of the one before it.
        logTabs.forEach((key, model) -> made.showLogTab(key, logTabTitle(model), model, () -> logTabs.remove(key), false));
        ThrottleNotificationBar notice = new ThrottleNotificationBar(dashboard.notice(), i18n, made::showDashboard);
        made.throttleNotice(notice);
        notifications = notice::dispose;
        return made;
    }

    /**
     * Switches the console to {@code locale} in place: the view models say their texts anew and
     * keep everything else; the views are made again in the new language and take the old ones'
     * place in the window, with the same tab and the same rows selected.
     */
    void language(Locale locale) {
        MainView old = view;
        TableView<ServiceRowViewModel> oldTable = old.servicesView().table();
        List<ServiceRowViewModel> selected = List.copyOf(oldTable.getSelectionModel().getSelectedItems());
        java.util.Map<Integer, javafx.scene.control.TableColumn.SortType> sortedOn = new java.util.LinkedHashMap<>();
        for (var column : oldTable.getSortOrder()) {
            sortedOn.put(oldTable.getColumns().indexOf(column), column.getSortType());
        }
        ServiceRowViewModel focused = services.selectedProperty().get();
        int tab = old.tabs().getSelectionModel().getSelectedIndex();
        switching = true;
        try {
            // The old views let go of the view models, so that they no longer follow them, move the
            // selection, or stay reachable from them (decision 0026).
            disposeViews();
            i18n.use(locale);
            view = newView();
            TableView<ServiceRowViewModel> table = view.servicesView().table();
            // The same columns sorted on, the same way: the new grid's columns are in the old one's order.
            for (var sorted : sortedOn.entrySet()) {
                var same = table.getColumns().get(sorted.getKey());
                same.setSortType(sorted.getValue());
                table.getSortOrder().add(same);
            }
            for (ServiceRowViewModel row : selected) {
                if (row != focused) {
                    table.getSelectionModel().select(row);
                }
            }
            if (focused != null) {
                table.getSelectionModel().select(focused);
                table.scrollTo(focused);
            }
            view.tabs().getSelectionModel().select(tab);
            if (old.getScene() != null) {
                old.getScene().setRoot(view);
            }
        } finally {
            switching = false;
        }
        if (services.selectedProperty().get() != focused) {
            details.show(services.selectedProperty().get() == null ? null : services.selectedProperty().get().name());
        }
    }

    private void disposeViews() {
        notifications.unsubscribe();
        view.dispose();
        detailsView.dispose();
        if (dashboardView != null) {
            dashboardView.dispose();
            dashboardView = null;
        }
    }

    /**
     * Keeps the sorted names of the own host's services in step with the grid's rows, name by name:
     * a pulse that adds thousands of services must not re-sort the whole list once per service. Only
     * the own host's: test traffic goes to a front door on this machine.
     */
    private void followServiceNames(ListChangeListener.Change<? extends ServiceRowViewModel> change) {
        while (change.next()) {
            if (change.wasPermutated() || change.wasUpdated()) {
                continue;
            }
            for (ServiceRowViewModel removed : change.getRemoved()) {
                int at = Collections.binarySearch(serviceNames, removed.name());
                if (at >= 0) {
                    serviceNames.remove(at);
                }
            }
            for (ServiceRowViewModel added : change.getAddedSubList()) {
                if (!added.host().isOwn()) {
                    continue;
                }
                int at = Collections.binarySearch(serviceNames, added.name());
                if (at < 0) {
                    serviceNames.add(-at - 1, added.name());
                }
            }
        }
    }

    private void apply(List<FleetEvent> events) {
        hosts.apply(events);
        services.apply(events);
        details.apply(events);
        dashboard.apply(events);
        if (!logTabs.isEmpty() && events.stream().anyMatch(e -> e instanceof FleetEvent.ServiceRemoved
                || e instanceof FleetEvent.DefinitionChanged || e instanceof FleetEvent.ServiceAdded)) {
            closeLogTabsOfGoneInstances();
        }
    }

    /**
     * Closes the log tabs of instances that are gone: their service deleted, or scaled down below
     * them. Such a tab could read nothing but errors, and would show the log of a service made
     * later under the same name as if it were the old one's.
     */
    private void closeLogTabsOfGoneInstances() {
        List.copyOf(logTabs.entrySet()).forEach(tab -> {
            String service = tab.getValue().serviceProperty().get();
            Integer index = tab.getValue().instanceProperty().get();
            boolean there = services.row(service).map(r -> index != null && index < r.getDefinition().units()).orElse(false);
            if (!there) {
                view.closeLogTab(tab.getKey());
            }
        });
    }

    private void pulse(long nowMs) {
        notices.tick(noticeClock.getAsLong());
        hosts.tick(nowMs);
        dashboard.tick(nowMs);
        traffic.tick(nowMs);
        if (detailsView.isLogShowing()) {
            log.tick(nowMs);
        }
        logTabs.forEach((key, model) -> {
            if (view.isLogTabShowing(key)) {
                model.tick(nowMs);
            }
        });
        if (dashboardView != null) {
            dashboardView.pulse(nowMs);
        }
    }

    /**
     * Subscribes first, then loads the snapshot, so that no event falls between the two; then
     * connects again to the hosts the console keeps, whose services arrive as they answer.
     */
    void start() {
        start(() -> { });
    }

    /**
     * {@link #start()}, then runs {@code loaded} on the JavaFX thread once the grid's rows hold
     * the snapshot's services, or once the grid says why they could not be read.
     */
    void start(Runnable loaded) {
        pump.start();
        executor.run(fleet::snapshot, snapshot -> {
            services.load(snapshot);
            details.load(snapshot);
            dashboard.load(snapshot);
            hosts.load(snapshot);
            hosts.start();
            loaded.run();
        }, failure -> {
            services.loadFailed(failure);
            loaded.run();
        });
    }

    Parent view() {
        return view;
    }

    MainView mainView() {
        return view;
    }

    ServicesViewModel services() {
        return services;
    }

    HostsViewModel hosts() {
        return hosts;
    }

    DashboardViewModel dashboard() {
        return dashboard;
    }

    /**
     * Switches the throttle notification on or off: off, it hides and shows no news; the events
     * list and the tiles go on as before. The live-load benchmark measures its cost this way.
     */
    void throttleNotifications(boolean on) {
        dashboard.notice().enabledProperty().set(on);
    }

    TrafficViewModel traffic() {
        return traffic;
    }

    /** The dashboard's view, made on first use. */
    DashboardView dashboardView() {
        if (dashboardView == null) {
            dashboardView = new DashboardView(dashboard, hosts, traffic, serviceNames, i18n, this::openLog);
            dashboardView.offerBundle(bundles::saveInstance);
            dashboardView.offerLogTab(this::openLogTab);
        }
        return dashboardView;
    }

    /** Opens the services tab on {@code service}'s details, at instance {@code index}'s log. */
    private void openLog(String service, int index) {
        services.row(service).ifPresent(view::showServiceDetails);
        log.show(service, index);
        detailsView.showLog();
    }

    /**
     * Opens instance {@code index} of {@code service}'s log in a tab of its own, or brings forward
     * the tab that shows it already. Each tab has its own log view model: it follows, searches and
     * scrolls apart from the details' log.
     */
    void openLogTab(String service, int index) {
        String key = service + "-" + index;
        InstanceLogViewModel model = logTabs.get(key);
        if (model == null) {
            model = new InstanceLogViewModel(fleet, executor, i18n);
            model.show(service, index);
            logTabs.put(key, model);
        }
        view.showLogTab(key, logTabTitle(model), model, () -> logTabs.remove(key), true);
    }

    private String logTabTitle(InstanceLogViewModel model) {
        return i18n.get("log.tab.title", model.serviceProperty().get(), model.instanceProperty().get());
    }

    /** How many instance logs are open in tabs of their own. */
    int openLogTabs() {
        return logTabs.size();
    }

    /**
     * The incident bundle of {@code service}, its charts drawn by the tiles' painter from the
     * bundle's own samples, in the console's language; called off the FX thread.
     */
    private IncidentBundle bundle(String service) {
        return new IncidentBundle(fleet, IncidentBundleViewModel.hostOf(service, "this machine"), version(), InstantSource.system())
                .withCharts(new BundleCharts(i18n.bundle(), ZoneId.systemDefault(), i18n.locale(), Platform::runLater));
    }

    /** Sluice's version, as the build wrote it, for an incident bundle's README. */
    private static String version() {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.InputStream in = ConsoleSession.class.getResourceAsStream("/org/sluice/cli/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (java.io.IOException e) {
            LOG.warn("The version could not be read: {}", e.getMessage());
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public void close() {
        traffic.stop();
        pump.close();
    }
}
