package org.sluice.console.view;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import org.sluice.console.controls.FittingToolBar;
import org.sluice.console.controls.Icons;
import org.sluice.console.viewmodel.BulkActionViewModel;
import org.sluice.console.viewmodel.HostFilter;
import org.sluice.console.viewmodel.HostsViewModel;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.Notice;
import org.sluice.console.viewmodel.NoticesViewModel;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.console.viewmodel.ServicesViewModel;
import org.sluice.console.viewmodel.StateFilter;
import org.sluice.lifecycle.Operation;

/**
 * The console's window content: menus, a toolbar with create, restore, search, the state and host
 * filters and bulk actions, the hosts bar, the services and dashboard tabs, a notification bar
 * where errors are shown, and a slot above the status line for the throttle notification.
 */
public final class MainView extends BorderPane {

    /** What the window does for the view: switch theme or language, quit. */
    public interface Shell {
        boolean isDark();

        void dark(boolean dark);

        Optional<Locale> language();

        void language(Optional<Locale> locale);

        void quit();
    }

    private static final KeyCombination NEW_SERVICE = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination RESTORE = new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    /** The chart operations' shortcuts, in menu order. */
    static final Map<Operation, KeyCombination> SHORTCUTS = new LinkedHashMap<>();

    static {
        SHORTCUTS.put(Operation.START, new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.STOP, new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.RESTART, new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.SUSPEND, new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.RESUME, new KeyCodeCombination(KeyCode.U, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.DELETE, new KeyCodeCombination(KeyCode.DELETE, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.SCALE, new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.UPDATE_CONFIGURATION, new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        SHORTCUTS.put(Operation.BACKUP, new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
    }

    private final ServicesViewModel services;
    private final HostsViewModel hosts;
    private final BulkActionViewModel bulk;
    private final NoticesViewModel notices;
    private final I18n i18n;
    private final Shell shell;
    private final ServicesView servicesView;
    private final Node details;
    private final Supplier<? extends Node> dashboard;
    private final TabPane tabs = new TabPane();
    private final NoticeBar notifications;
    private HostsBar hostsBar;
    /** What this view registered on the view models, let go of in {@link #dispose()}. */
    private final Subscriptions subscriptions = new Subscriptions();
    private final TextField search = new TextField();
    private final Label status = new Label();
    /** The throttle notification's slot, if any, and the status line under it. */
    private final VBox bottom = new VBox();
    private final List<MenuItem> shortcutItems = new ArrayList<>();
    /** The Service menu's item for each chart operation. */
    private final Map<Operation, MenuItem> operationItems = new EnumMap<>(Operation.class);
    /** The row whose commands the Service menu follows, or null. */
    private ServiceRowViewModel menuRow;
    private Menu serviceMenu;
    /** The Service menu's first line: which service its items act on. */
    private final MenuItem serviceTarget = new MenuItem();
    /** The instance logs open in tabs of their own, by key, in the order they were opened. */
    private final Map<String, Tab> logTabs = new LinkedHashMap<>();

    /**
     * @param dashboard makes the dashboard's content the first time its tab is shown: the console's
     *                  first frame does not pay for a tab nobody has looked at yet
     */
    public MainView(ServicesViewModel services, HostsViewModel hosts, BulkActionViewModel bulk, NoticesViewModel notices, I18n i18n,
                    Shell shell, Node details, Supplier<? extends Node> dashboard) {
        this.services = services;
        this.hosts = hosts;
        this.bulk = bulk;
        this.notices = notices;
        this.i18n = i18n;
        this.shell = shell;
        this.servicesView = new ServicesView(services, hosts, i18n);
        this.notifications = new NoticeBar(notices, i18n);
        this.details = details;
        this.dashboard = dashboard;
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("main-view");
        hostsBar = new HostsBar(hosts, i18n, hosts::connect);
        setTop(new VBox(menuBar(), toolBar(), hostsBar));

        SplitPane split = new SplitPane(servicesView, details);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.62);
        Tab servicesTab = new Tab(i18n.get("tab.services"));
        servicesTab.setId("tab-services");
        servicesTab.setGraphic(Icons.STATE_ACTIVE.create());
        inWindowWhileShown(servicesTab, () -> split);
        Tab dashboardTab = new Tab(i18n.get("tab.dashboard"));
        dashboardTab.setId("tab-dashboard");
        // Made the first time its tab is shown.
        inWindowWhileShown(dashboardTab, dashboard);
        dashboardTab.setGraphic(Icons.THROTTLED.create());
        // Services and the dashboard stay; an instance's log opened in a tab of its own closes.
        servicesTab.setClosable(false);
        dashboardTab.setClosable(false);
        tabs.getTabs().setAll(servicesTab, dashboardTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        setCenter(new VBox(notifications, tabs));

        status.setId("status");
        status.getStyleClass().add("status-text");
        HBox bar = new HBox(status);
        bar.getStyleClass().add("status-bar");
        bar.setPadding(new Insets(4, 10, 4, 10));
        bottom.getChildren().setAll(bar);
        setBottom(bottom);
    }

    /**
     * Puts the throttle notification in its slot just above the status line: in the layout, so that
     * it takes its room from the tabs instead of covering them.
     */
    public void throttleNotice(Node notice) {
        bottom.getChildren().setAll(notice, bottom.getChildren().getLast());
    }

    /**
     * Keeps {@code tab}'s content in the window only while the tab is shown: the content leaves the
     * scene when another tab is chosen, and comes back, as it was left, when this one is. A tab pane
     * keeps every tab's content in the scene, merely hidden, and what changes in a hidden part still
     * marks the window for a new frame: the services grid's buttons enabled and disabled, a state's
     * spinner made or dropped, at every change of a service behind the dashboard. JavaFX paints a
     * frame in which nothing that can be seen has changed whole, and with software rendering that is
     * 12 to 18 ms, a dozen times a minute (issue 12; docs/decisions/0062).
     */
    private static void inWindowWhileShown(Tab tab, Supplier<? extends Node> content) {
        tab.setContent(tab.isSelected() ? content.get() : null);
        tab.selectedProperty().addListener((o, was, selected) -> tab.setContent(selected ? content.get() : null));
    }

    /** Brings the dashboard's tab forward. */
    public void showDashboard() {
        tabs.getSelectionModel().select(1);
    }

    private MenuBar menuBar() {
        Menu file = new Menu(i18n.get("menu.file"));
        MenuItem create = item(i18n.get("action.newService"), Icons.CREATE, NEW_SERVICE);
        create.setOnAction(e -> services.createService());
        MenuItem restore = item(i18n.get("action.restore"), Icons.RESTORE, RESTORE);
        restore.setOnAction(e -> services.restoreService());
        MenuItem connect = item(i18n.get("action.connectHost"), Icons.CONNECT_HOST,
                new KeyCodeCombination(KeyCode.H, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        connect.setId("menu-connect-host");
        connect.setOnAction(e -> hosts.connect());
        MenuItem quit = item(i18n.get("action.quit"), null, new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(e -> shell.quit());
        file.getItems().setAll(create, restore, new SeparatorMenuItem(), connect, new SeparatorMenuItem(), quit);

        Menu service = new Menu(i18n.get("menu.service"));
        service.setId("menu-service");
        // First, the service the items act on: with several rows selected it is the one selected
        // last, and only that one, which nothing said (Bulk action is for them all).
        serviceTarget.setId("menu-service-target");
        serviceTarget.setDisable(true);
        service.getItems().addAll(serviceTarget, new SeparatorMenuItem());
        for (Map.Entry<Operation, KeyCombination> entry : SHORTCUTS.entrySet()) {
            service.getItems().add(operationItem(entry.getKey(), entry.getValue()));
        }
        service.getItems().addAll(new SeparatorMenuItem(), operationItem(Operation.SERVICE_UPDATE, null));
        serviceMenu = service;
        service.setOnShowing(e -> updateServiceMenu());
        subscriptions.onChange(services.selectedProperty(), (o, a, b) -> updateServiceMenu());
        // Let go of with the rest, before the grid is: a grid let go of clears its selection, and
        // the menu would take hold of a row again.
        subscriptions.onChange(servicesView.table().getSelectionModel().getSelectedItems(), change -> updateServiceMenu());

        // Account-wide operations touch every service, so they live apart from the selected service's.
        Menu account = new Menu(i18n.get("menu.account"));
        account.setId("menu-account");
        MenuItem disable = new MenuItem(i18n.get("action.disableAccount"), Icons.of(Operation.DISABLE).create());
        disable.setId("menu-disable-account");
        disable.setOnAction(e -> services.disableAccount());
        MenuItem enable = new MenuItem(i18n.get("action.enableAccount"), Icons.of(Operation.ENABLE).create());
        enable.setId("menu-enable-account");
        enable.setOnAction(e -> services.enableAccount());
        account.getItems().setAll(disable, enable);

        // Drills break things on purpose: they are kept out of the everyday menus.
        Menu drills = new Menu(i18n.get("menu.drills"));
        drills.setId("menu-drills");
        MenuItem drill = new MenuItem(i18n.get("action.drill"), Icons.STATE_FAILED.create());
        drill.setId("menu-drill");
        drill.setOnAction(e -> services.armDrill());
        subscriptions.bind(drill.disableProperty(), services.drillAvailableProperty().not());
        drills.getItems().setAll(drill);

        Menu view = new Menu(i18n.get("menu.view"));
        MenuItem showServices = item(i18n.get("tab.services"), null, new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN));
        showServices.setOnAction(e -> tabs.getSelectionModel().select(0));
        MenuItem showDashboard = item(i18n.get("tab.dashboard"), null, new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN));
        showDashboard.setOnAction(e -> tabs.getSelectionModel().select(1));
        MenuItem closeLog = item(i18n.get("action.closeLogTab"), null, new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN));
        closeLog.setId("menu-close-log-tab");
        closeLog.disableProperty().bind(Bindings.createBooleanBinding(
                () -> !logTabs.containsValue(tabs.getSelectionModel().getSelectedItem()), tabs.getSelectionModel().selectedItemProperty()));
        closeLog.setOnAction(e -> closeLogTab(tabs.getSelectionModel().getSelectedItem()));
        MenuItem find = item(i18n.get("action.search"), null, new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN));
        find.setOnAction(e -> search.requestFocus());
        ToggleGroup themes = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem(i18n.get("theme.light"));
        RadioMenuItem dark = new RadioMenuItem(i18n.get("theme.dark"));
        light.setToggleGroup(themes);
        dark.setToggleGroup(themes);
        (shell.isDark() ? dark : light).setSelected(true);
        light.setOnAction(e -> shell.dark(false));
        dark.setOnAction(e -> shell.dark(true));
        Menu language = new Menu(i18n.get("menu.language"));
        ToggleGroup languages = new ToggleGroup();
        language.getItems().addAll(languageItem(languages, i18n.get("language.system"), Optional.empty()),
                languageItem(languages, "English", Optional.of(Locale.ENGLISH)),
                languageItem(languages, "한국어", Optional.of(Locale.KOREAN)));
        view.getItems().setAll(showServices, showDashboard, closeLog, find, new SeparatorMenuItem(), light, dark, new SeparatorMenuItem(),
                language);

        Menu help = new Menu(i18n.get("menu.help"));
        MenuItem keys = item(i18n.get("action.shortcuts"), null, new KeyCodeCombination(KeyCode.F1));
        keys.setOnAction(e -> showShortcuts());
        help.getItems().setAll(keys);

        MenuBar bar = new MenuBar(file, service, account, view, drills, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    /** Offers "Save incident bundle…" of the selected service at the end of the Service menu. */
    public void offerBundle(org.sluice.console.viewmodel.Command save) {
        MenuItem bundle = new MenuItem(i18n.get("action.saveBundle"), Icons.SAVE_BUNDLE.create());
        bundle.setId("menu-save-bundle");
        bundle.disableProperty().bind(save.executableProperty().not());
        bundle.setOnAction(e -> save.execute());
        serviceMenu.getItems().addAll(new SeparatorMenuItem(), bundle);
    }

    /** Brings the services tab forward with {@code row} selected, so that its details show. */
    public void showServiceDetails(ServiceRowViewModel row) {
        tabs.getSelectionModel().select(0);
        var table = servicesView.table();
        int at = table.getItems().indexOf(row);
        if (at >= 0) {
            table.getSelectionModel().clearAndSelect(at);
            table.scrollTo(at);
        } else {
            // Hidden by the search or a filter: the details show it all the same.
            table.getSelectionModel().clearSelection();
            services.selectedProperty().set(row);
        }
    }

    /**
     * Shows {@code model}'s log in a closable tab of its own after the others, made the first time
     * {@code key} is shown; brought forward when {@code select}. {@code closed} runs once the user
     * has closed the tab, whose view has then let go of the log.
     */
    public void showLogTab(String key, String title, org.sluice.console.viewmodel.InstanceLogViewModel model, Runnable closed,
                           boolean select) {
        Tab tab = logTabs.get(key);
        if (tab == null) {
            InstanceLogView view = new InstanceLogView(model, FXCollections.observableArrayList(), i18n);
            view.fixInstance();
            Tab made = new Tab(title);
            inWindowWhileShown(made, () -> view);
            made.setId("tab-log-" + key);
            made.setGraphic(Icons.LOG.create());
            made.setTooltip(new Tooltip(title));
            made.setOnClosed(e -> {
                if (logTabs.remove(key) != null) {
                    view.dispose();
                    closed.run();
                }
            });
            logTabs.put(key, made);
            tabs.getTabs().add(made);
            tab = made;
        }
        if (select) {
            tabs.getSelectionModel().select(tab);
        }
    }

    /** Closes {@code tab} as its close button does, when it is an instance's log tab (Ctrl+W). */
    private void closeLogTab(Tab tab) {
        if (tab != null && logTabs.containsValue(tab)) {
            tabs.getTabs().remove(tab);
            javafx.event.Event.fireEvent(tab, new javafx.event.Event(Tab.CLOSED_EVENT));
        }
    }

    /** Closes the log tab of {@code key}, if shown, as its close button does. */
    public void closeLogTab(String key) {
        closeLogTab(logTabs.get(key));
    }

    /** True while the log tab of {@code key} is the one shown: only then is its log read. */
    public boolean isLogTabShowing(String key) {
        Tab tab = logTabs.get(key);
        return tab != null && tab.isSelected() && getScene() != null;
    }

    private MenuItem operationItem(Operation operation, KeyCombination shortcut) {
        MenuItem item = shortcut == null ? new MenuItem(i18n.operation(operation), Icons.of(operation).create())
                : item(i18n.operation(operation), Icons.of(operation), shortcut);
        item.setId("menu-" + operation.chartName());
        item.setDisable(true);
        item.setOnAction(e -> Optional.ofNullable(services.selectedProperty().get())
                .ifPresent(row -> row.command(operation).execute()));
        operationItems.put(operation, item);
        return item;
    }

    private RadioMenuItem languageItem(ToggleGroup group, String label, Optional<Locale> locale) {
        RadioMenuItem item = new RadioMenuItem(label);
        item.setToggleGroup(group);
        item.setSelected(shell.language().map(Locale::getLanguage).equals(locale.map(Locale::getLanguage)));
        item.setOnAction(e -> shell.language(locale));
        return item;
    }

    private MenuItem item(String text, Icons icon, KeyCombination accelerator) {
        MenuItem item = new MenuItem(text, icon == null ? null : icon.create());
        item.setAccelerator(accelerator);
        shortcutItems.add(item);
        return item;
    }

    /**
     * The Service menu follows the selected row's commands, and holds them while it does: the row
     * may be scrolled out of sight, and its cell's letting go must not leave the menu with
     * commands of its own that the row's next cell does not share.
     */
    private void updateServiceMenu() {
        ServiceRowViewModel row = services.selectedProperty().get();
        int selected = servicesView.table().getSelectionModel().getSelectedItems().size();
        serviceTarget.setText(row == null ? i18n.get("menu.service.none")
                : selected > 1 ? i18n.get("menu.service.targetOfSeveral", row.name(), selected)
                : i18n.get("menu.service.target", row.name()));
        menuRow = ServiceRowViewModel.moveHold(menuRow, row);
        for (Map.Entry<Operation, MenuItem> entry : operationItems.entrySet()) {
            Operation operation = entry.getKey();
            MenuItem item = entry.getValue();
            item.disableProperty().unbind();
            if (row == null) {
                item.setDisable(true);
            } else {
                item.disableProperty().bind(row.command(operation).executableProperty().not());
            }
        }
    }

    private FittingToolBar toolBar() {
        Button create = new Button(i18n.get("action.newService"), Icons.CREATE.create());
        create.setId("button-new-service");
        create.setOnAction(e -> services.createService());
        create.setTooltip(new Tooltip(i18n.get("action.withShortcut", i18n.get("action.newService"), NEW_SERVICE.getDisplayText())
                + "\n" + i18n.get("action.Create.tooltip")));
        Button restore = new Button(i18n.get("action.restore"), Icons.RESTORE.create());
        restore.setId("button-restore");
        restore.setOnAction(e -> services.restoreService());
        restore.setTooltip(new Tooltip(i18n.get("action.withShortcut", i18n.get("action.restore"), RESTORE.getDisplayText())
                + "\n" + i18n.get("action.Restore.tooltip")));

        search.setId("search");
        search.setPromptText(i18n.get("action.search"));
        subscriptions.bindBidirectional(search.textProperty(), services.searchProperty());
        search.setPrefColumnCount(18);

        ChoiceBox<StateFilter> filter = new ChoiceBox<>(FXCollections.observableArrayList(StateFilter.values()));
        filter.setId("state-filter");
        filter.setConverter(new StringConverter<>() {
            @Override
            public String toString(StateFilter f) {
                return f == null ? "" : i18n.get("filter." + f.name());
            }

            @Override
            public StateFilter fromString(String s) {
                return null;
            }
        });
        subscriptions.bindBidirectional(filter.valueProperty(), services.stateFilterProperty());

        ChoiceBox<HostFilter> hostFilter = new ChoiceBox<>();
        subscriptions.items(hostFilter, services.hostFilters());
        hostFilter.setId("host-filter");
        hostFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(HostFilter f) {
                return services.label(f);
            }

            @Override
            public HostFilter fromString(String s) {
                return null;
            }
        });
        subscriptions.bindBidirectional(hostFilter.valueProperty(), services.hostFilterProperty());
        subscriptions.bind(hostFilter.visibleProperty(), hosts.severalProperty());
        subscriptions.bind(hostFilter.managedProperty(), hosts.severalProperty());

        MenuButton bulkActions = new MenuButton(i18n.get("action.bulk"));
        bulkActions.setId("bulk-actions");
        bulkActions.setTooltip(new Tooltip(i18n.get("action.bulk.tooltip")));
        // With nothing selected a bulk action has nothing to act on: disabled, and the pane around it
        // (a disabled control gets no mouse events) says what to do first.
        bulkActions.disableProperty().bind(Bindings.isEmpty(servicesView.table().getSelectionModel().getSelectedItems()));
        StackPane bulkHolder = new StackPane(bulkActions);
        Tooltip why = new Tooltip(i18n.get("action.bulk.none"));
        why.setWrapText(true);
        why.setMaxWidth(360);
        Tooltip.install(bulkHolder, why);
        Map<Operation, MenuItem> bulkItems = new EnumMap<>(Operation.class);
        for (Operation operation : bulk.operations()) {
            MenuItem item = new MenuItem(i18n.operation(operation), Icons.of(operation).create());
            item.setOnAction(e -> bulk.run(operation, List.copyOf(servicesView.table().getSelectionModel().getSelectedItems())));
            bulkActions.getItems().add(item);
            bulkItems.put(operation, item);
        }
        // Each item says how many of the selected services it reaches, as they stand when the menu
        // opens; one that reaches none is disabled rather than ending in "0 will start".
        bulkActions.setOnShowing(e -> {
            List<ServiceRowViewModel> selected = List.copyOf(servicesView.table().getSelectionModel().getSelectedItems());
            bulkItems.forEach((operation, item) -> {
                BulkActionViewModel.Offer offer = bulk.offer(operation, selected);
                item.setText(offer.label());
                item.setDisable(!offer.possible());
            });
        });
        Region spring = new Region();
        HBox.setHgrow(spring, Priority.ALWAYS);
        // In a narrow window New service and Restore show their icons alone (their tooltips name
        // them) before Bulk action would drop into the overflow menu, where nobody looks for it.
        return new FittingToolBar(List.of(create, restore), create, restore, new Separator(), search, filter, hostFilter, spring, bulkHolder);
    }

    private void initListeners() {
        subscriptions.onChange(notices.statusProperty(), (o, a, text) -> showStatus());
        subscriptions.onChange(notices.statusKindProperty(), (o, a, kind) -> showStatus());
        // A view made again after a language switch shows what the one before it showed, said in
        // the new language (the notice bar shows the alert of its own accord).
        showStatus();
        // And its Service menu follows the row selected before it.
        updateServiceMenu();
    }

    /** The status line: the latest notice with its time, or "Ready" once it has faded. */
    private void showStatus() {
        status.setText(notices.statusProperty().get());
        status.getStyleClass().removeAll("notice-ERROR", "notice-INFO", "notice-SUCCESS");
        Notice.Kind kind = notices.statusKindProperty().get();
        if (kind != null) {
            status.getStyleClass().add("notice-" + kind.name());
        }
    }

    private void showShortcuts() {
        StringBuilder text = new StringBuilder();
        for (MenuItem item : shortcutItems) {
            text.append(String.format("%-28s %s%n", item.getAccelerator().getDisplayText(), item.getText()));
        }
        text.append(String.format("%-28s %s%n", i18n.get("shortcuts.rowActions.key"), i18n.get("shortcuts.rowActions")));
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(getScene() == null ? null : getScene().getWindow());
        alert.setTitle(i18n.get("action.shortcuts"));
        FxDialogService.localizeButtons(alert.getDialogPane(), i18n);
        alert.setHeaderText(i18n.get("shortcuts.header"));
        TextArea area = new TextArea(text.toString());
        area.setEditable(false);
        area.setStyle("-fx-font-family: monospace;");
        area.setPrefRowCount(shortcutItems.size() + 2);
        alert.getDialogPane().setContent(area);
        alert.show();
    }

    /**
     * Lets go of the view models: after a language switch this view and its parts no longer follow
     * them, and nothing of theirs keeps it alive. The details and the dashboard, made by the
     * session, are let go of by it.
     */
    public void dispose() {
        for (MenuItem item : operationItems.values()) {
            item.disableProperty().unbind();
        }
        if (menuRow != null) {
            menuRow.releaseCommands();
            menuRow = null;
        }
        subscriptions.release();
        logTabs.values().forEach(tab -> ((InstanceLogView) tab.getContent()).dispose());
        servicesView.dispose();
        notifications.dispose();
        hostsBar.dispose();
    }

    /** What this view and its parts hold registered on the view models, for tests. */
    public int subscriptionCount() {
        int items = (int) operationItems.values().stream().filter(i -> i.disableProperty().isBound()).count();
        int logs = logTabs.values().stream().mapToInt(tab -> ((InstanceLogView) tab.getContent()).subscriptionCount()).sum();
        return items + logs + subscriptions.size() + servicesView.subscriptionCount() + notifications.subscriptionCount()
                + hostsBar.subscriptionCount();
    }

    public ServicesView servicesView() {
        return servicesView;
    }

    public TabPane tabs() {
        return tabs;
    }

    public NoticeBar notifications() {
        return notifications;
    }
}
