package org.sluice.console.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.InstanceLogViewModel;
import org.sluice.console.viewmodel.InstanceRowViewModel;
import org.sluice.console.viewmodel.ProblemWords;
import org.sluice.console.viewmodel.ServiceDetailsViewModel;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;

/** The selected service's instances, operation log, throttle episodes, backups and instance logs. */
public final class ServiceDetailsView extends BorderPane {
    /** The least height the pane keeps in the window's split until its parts are laid out and can be measured. */
    static final double MIN_HEIGHT = 230;
    /** How many instances the pane keeps room for, however short the window. */
    static final int INSTANCES_KEPT_IN_SIGHT = 2;

    private final ServiceDetailsViewModel model;
    private final I18n i18n;
    private final DateTimeFormatter when;
    private final Label title = new Label();
    private final InstanceLogViewModel log;
    private TabPane tabs;
    private TableView<InstanceRowViewModel> instances;
    private Tab logTab;
    private InstanceLogView logView;
    private final Subscriptions subscriptions = new Subscriptions();
    /** Where the episodes table tells its selection, and the command that saves its bundle; null until offered. */
    private javafx.beans.property.ObjectProperty<InstanceEpisode> selectedEpisode;
    private org.sluice.console.viewmodel.Command saveEpisode;
    /** Opens the shown instance's log in a tab of the main window; null until offered. */
    private Runnable openLogTab;

    public ServiceDetailsView(ServiceDetailsViewModel model, InstanceLogViewModel log, I18n i18n) {
        this.model = model;
        this.log = log;
        this.i18n = i18n;
        this.when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT, FormatStyle.MEDIUM)
                .withLocale(i18n.locale()).withZone(ZoneId.systemDefault());
        createView();
    }

    /** Offers "Save incident bundle…" of the shown service beside its title. */
    public void offerBundle(org.sluice.console.viewmodel.Command save) {
        javafx.scene.control.Button bundle = new javafx.scene.control.Button(i18n.get("action.saveBundle"),
                org.sluice.console.controls.Icons.SAVE_BUNDLE.create());
        bundle.setId("details-save-bundle");
        bundle.setTooltip(new javafx.scene.control.Tooltip(i18n.get("action.saveBundle.tooltip")));
        bundle.disableProperty().bind(save.executableProperty().not());
        bundle.setOnAction(e -> save.execute());
        // In a narrow window the title gives way, onto a second line, and the button keeps its
        // words: cut to "Save in…" it said nothing of what it saves.
        bundle.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        title.setWrapText(true);
        title.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(title, javafx.scene.layout.Priority.ALWAYS);
        BorderPane.setMargin(title, null);
        HBox row = new HBox(8, title, bundle);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        row.setPadding(new Insets(4, 10, 4, 10));
        setTop(row);
    }

    /**
     * Offers "Save incident bundle of this episode…" in the episodes table's context menu and as a
     * button under it, for the selected episode, which the table tells {@code selected}. Called
     * before the tables are made.
     */
    public void offerEpisodeBundle(javafx.beans.property.ObjectProperty<InstanceEpisode> selected,
                                   org.sluice.console.viewmodel.Command save) {
        this.selectedEpisode = selected;
        this.saveEpisode = save;
    }

    /** Offers "Open in a tab" in the Log tab, which runs {@code open}. Called before the tables are made. */
    public void offerLogTab(Runnable open) {
        this.openLogTab = open;
        if (logView != null) {
            logView.offerOpenInTab(open);
        }
    }

    private void createView() {
        getStyleClass().add("details-view");
        // Below the grid in a short window (900 × 600), the pane keeps room for its tabs and a
        // table of two rows, measured (see computeMinHeight), and gives the rest to the grid above.
        title.getStyleClass().add("details-title");
        subscriptions.bind(title.textProperty(), Bindings.createStringBinding(() -> model.serviceProperty().get() == null
                ? i18n.get("details.none") : i18n.get("details.title", model.serviceProperty().get()), model.serviceProperty()));
        BorderPane.setMargin(title, new Insets(6, 10, 4, 10));
        setTop(title);
        // The tables come with the first selected service: until then there is nothing to show,
        // and the console's first frame does not pay for four tables nobody sees.
        if (model.serviceProperty().get() != null) {
            createTabs();
        } else {
            subscriptions.onChange(model.serviceProperty(), (value, before, now) -> {
                if (now != null) {
                    createTabs();
                }
            });
        }
    }

    private void createTabs() {
        if (tabs != null) {
            return;
        }
        logView = new InstanceLogView(log, model.instances(), i18n);
        if (openLogTab != null) {
            logView.offerOpenInTab(openLogTab);
        }
        logTab = new Tab(i18n.get("details.log"), logView);
        logTab.setId("details-log-tab");
        instances = instancesTable();
        tabs = new TabPane(
                new Tab(i18n.get("details.instances"), instances),
                new Tab(i18n.get("details.operations"), operationLog()),
                new Tab(i18n.get("details.episodes"), episodesTable()),
                new Tab(i18n.get("details.backups"), backupsTable()),
                logTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setCenter(tabs);
    }

    /**
     * Lets go of the view models: after a language switch the old details no longer follow the
     * selected service, its tables or its log.
     */
    public void dispose() {
        subscriptions.release();
        if (logView != null) {
            logView.dispose();
        }
    }

    /** What this view holds registered on the view models, for tests. */
    public int subscriptionCount() {
        return subscriptions.size() + (logView == null ? 0 : logView.subscriptionCount());
    }

    /** Brings the Log tab forward. */
    public void showLog() {
        if (tabs == null) {
            createTabs();
        }
        tabs.getSelectionModel().select(logTab);
    }

    /** True while the Log tab is the one shown: only then is the log read. */
    public boolean isLogShowing() {
        return logTab != null && logTab.isSelected() && isVisible() && getScene() != null;
    }

    /**
     * A table whose columns share its width, the last taking what is left: in a narrow window
     * they shrink instead of hiding a row behind a sideways scroll bar.
     */
    private static <S> TableView<S> fitted(TableView<S> table) {
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }

    private static <S, T> TableColumn<S, T> column(String title, Function<S, ObservableValue<T>> value, double width) {
        TableColumn<S, T> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> value.apply(c.getValue()));
        column.setPrefWidth(width);
        return column;
    }

    private static <S, T> ObservableValue<T> constant(T value) {
        return new ReadOnlyObjectWrapper<>(value);
    }

    private String time(long epochMs) {
        return epochMs < 0 ? "" : when.format(Instant.ofEpochMilli(epochMs));
    }

    private String causes(Set<Cause> causes) {
        return ServiceDetailsViewModel.causesText(causes, i18n);
    }

    /**
     * The title, the tabs' headers and an instances table with room for
     * {@link #INSTANCES_KEPT_IN_SIGHT} rows, as laid out in the font in use: what the pane keeps
     * when the grid above takes the rest of a short window. Before there is a table, the title alone;
     * before the parts are laid out, {@link #MIN_HEIGHT}.
     */
    @Override
    protected double computeMinHeight(double width) {
        double title = getTop() == null ? 0 : getTop().prefHeight(width);
        if (tabs == null) {
            return snappedTopInset() + title + snappedBottomInset();
        }
        Node tabHeaders = tabs.lookup(".tab-header-area");
        Node columnHeaders = instances.lookup(".column-header-background");
        if (tabHeaders == null || columnHeaders == null) {
            return MIN_HEIGHT;
        }
        return snappedTopInset() + title + tabs.snappedTopInset() + tabHeaders.prefHeight(-1)
                + instances.snappedTopInset() + columnHeaders.prefHeight(-1) + INSTANCES_KEPT_IN_SIGHT * instances.getFixedCellSize()
                + instances.snappedBottomInset() + tabs.snappedBottomInset() + snappedBottomInset();
    }

    private TableView<InstanceRowViewModel> instancesTable() {
        TableView<InstanceRowViewModel> table = fitted(new TableView<>(model.instances()));
        table.setId("details-instances");
        table.setPlaceholder(new Label(i18n.get("details.noInstances")));
        table.setFixedCellSize(30);
        table.getColumns().setAll(List.of(
                column(i18n.get("details.column.instance"), r -> constant("#" + r.index()), 80),
                column(i18n.get("details.column.status"), r -> Bindings.createStringBinding(
                        () -> ServiceDetailsViewModel.instanceStatusText(r, i18n),
                        r.statusProperty(), r.crashesInARowProperty(), r.restartCauseProperty(), r.suspendedProperty()), 110),
                column(i18n.get("details.column.memory"), r -> Bindings.createStringBinding(
                        () -> Double.isNaN(r.memoryPercentProperty().get()) ? "" : String.format(i18n.locale(), "%.1f %%", r.memoryPercentProperty().get()),
                        r.memoryPercentProperty()), 110),
                column(i18n.get("details.column.inProcess"), r -> Bindings.createStringBinding(
                        () -> Long.toString(r.inProcessProperty().get()), r.inProcessProperty()), 150),
                column(i18n.get("details.column.throttle"), r -> Bindings.createStringBinding(() -> {
                    String state = i18n.get("throttle." + r.throttleProperty().get().name());
                    Set<Cause> causes = r.causesProperty().get();
                    return causes.isEmpty() ? state : state + " · " + causes(causes);
                }, r.throttleProperty(), r.causesProperty()), 300),
                column(i18n.get("details.column.since"), r -> Bindings.createStringBinding(
                        () -> time(r.throttledSinceProperty().get()), r.throttledSinceProperty()), 200)));
        return table;
    }

    private BorderPane operationLog() {
        DatePicker from = new DatePicker();
        from.setId("log-from");
        from.setPromptText(i18n.get("details.filter.from"));
        subscriptions.bindBidirectional(from.valueProperty(), model.fromProperty());
        DatePicker to = new DatePicker();
        to.setId("log-to");
        to.setPromptText(i18n.get("details.filter.to"));
        subscriptions.bindBidirectional(to.valueProperty(), model.toProperty());

        List<Operation> operations = new ArrayList<>();
        operations.add(null);
        operations.addAll(model.loggedOperations());
        ComboBox<Operation> operation = new ComboBox<>(FXCollections.observableArrayList(operations));
        operation.setConverter(converter(o -> o == null ? i18n.get("details.filter.anyOperation") : i18n.operation(o)));
        subscriptions.bindBidirectional(operation.valueProperty(), model.operationFilterProperty());
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(null);
        outcomes.addAll(List.of(Outcome.values()));
        ComboBox<Outcome> outcome = new ComboBox<>(FXCollections.observableArrayList(outcomes));
        outcome.setConverter(converter(o -> o == null ? i18n.get("details.filter.anyOutcome") : i18n.get("outcome." + o.name())));
        subscriptions.bindBidirectional(outcome.valueProperty(), model.outcomeFilterProperty());
        HBox filters = new HBox(8, from, to, operation, outcome);
        filters.setPadding(new Insets(6));

        TableView<OperationRecord> table = fitted(new TableView<>(model.operations()));
        table.setId("details-operations");
        table.setPlaceholder(new Label(i18n.get("details.noOperations")));
        table.getColumns().setAll(List.of(
                column(i18n.get("details.column.started"), r -> constant(time(r.startedMs())), 170),
                column(i18n.get("details.column.operation"), r -> constant(i18n.operation(r.operation())), 150),
                column(i18n.get("details.column.requester"), r -> constant(r.requester()), 120),
                column(i18n.get("details.column.outcome"), r -> constant(i18n.get("outcome." + r.outcome().name())), 100),
                column(i18n.get("details.column.ended"), r -> constant(r.endedMs().isPresent() ? time(r.endedMs().getAsLong()) : ""), 170),
                column(i18n.get("details.column.detail"), r -> constant(r.crash().map(c -> ServiceDetailsViewModel.crashText(c, i18n)).orElse("")), 440),
                column(i18n.get("details.column.error"), r -> constant(ProblemWords.of(r).map(i18n::say).orElse("")), 420)));
        BorderPane pane = new BorderPane(table);
        pane.setTop(filters);
        return pane;
    }

    /** The episodes, and under them how the causes of the selected one changed. */
    private BorderPane episodesTable() {
        TableView<InstanceEpisode> table = fitted(new TableView<>(model.episodes()));
        table.setId("details-episodes");
        table.setPlaceholder(new Label(i18n.get("details.noEpisodes")));
        table.getColumns().setAll(List.of(
                column(i18n.get("details.column.instance"), e -> constant("#" + e.instance()), 80),
                column(i18n.get("details.column.start"), e -> constant(time(e.episode().startMs())), 180),
                column(i18n.get("details.column.end"), e -> constant(e.episode().endMs().isPresent() ? time(e.episode().endMs().getAsLong()) : ""), 180),
                column(i18n.get("details.column.duration"), e -> constant(ServiceDetailsViewModel.episodeLength(e.episode(), i18n)), 170),
                column(i18n.get("details.column.causes"), e -> constant(ServiceDetailsViewModel.causesText(e.episode().causes(), i18n)), 260)));
        keepSelectedEpisode(table);
        Label history = new Label();
        history.setId("episode-history");
        history.setWrapText(true);
        history.textProperty().bind(Bindings.createStringBinding(() -> {
            InstanceEpisode selected = table.getSelectionModel().getSelectedItem();
            return selected == null ? i18n.get("details.episode.pick")
                    : i18n.get("details.episode.history", ServiceDetailsViewModel.causeHistoryText(selected.episode(), i18n, this::time));
        }, table.getSelectionModel().selectedItemProperty()));
        BorderPane.setMargin(history, new Insets(6, 10, 6, 10));
        BorderPane pane = new BorderPane(table);
        pane.setBottom(history);
        if (saveEpisode != null) {
            offerEpisodeBundle(table, history, pane);
        }
        return pane;
    }

    private void offerEpisodeBundle(TableView<InstanceEpisode> table, Label history, BorderPane pane) {
        subscriptions.bind(selectedEpisode, table.getSelectionModel().selectedItemProperty());
        javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(i18n.get("action.saveEpisodeBundle"),
                org.sluice.console.controls.Icons.SAVE_BUNDLE.create());
        item.setId("episode-save-bundle");
        subscriptions.bind(item.disableProperty(), saveEpisode.executableProperty().not());
        item.setOnAction(e -> saveEpisode.execute());
        table.setContextMenu(new javafx.scene.control.ContextMenu(item));
        javafx.scene.control.Button button = new javafx.scene.control.Button(i18n.get("action.saveEpisodeBundle"),
                org.sluice.console.controls.Icons.SAVE_BUNDLE.create());
        button.setId("details-episode-save-bundle");
        button.setTooltip(new javafx.scene.control.Tooltip(i18n.get("action.saveEpisodeBundle.tooltip")));
        subscriptions.bind(button.disableProperty(), saveEpisode.executableProperty().not());
        button.setOnAction(e -> saveEpisode.execute());
        // The explanation beside it wraps; the button keeps its words.
        button.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.Region spacer = new javafx.scene.layout.Region();
        HBox.setHgrow(spacer, javafx.scene.layout.Priority.ALWAYS);
        BorderPane.setMargin(history, null);
        HBox bottom = new HBox(8, history, spacer, button);
        bottom.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(6, 10, 6, 10));
        pane.setBottom(bottom);
    }

    /**
     * Keeps the selected episode selected as the list is read again: an episode under way is a
     * new record once it has ended, which the table would take for another one and drop.
     */
    private void keepSelectedEpisode(TableView<InstanceEpisode> table) {
        InstanceEpisode[] chosen = new InstanceEpisode[1];
        table.getSelectionModel().selectedItemProperty().addListener((o, before, now) -> {
            if (now != null) {
                chosen[0] = now;
            } else if (before != null && table.getItems().contains(before)) {
                // Still listed, so the operator let go of it.
                chosen[0] = null;
            }
        });
        subscriptions.onChange(model.episodes(), (ListChangeListener<InstanceEpisode>) change -> {
            InstanceEpisode kept = chosen[0];
            InstanceEpisode selected = table.getSelectionModel().getSelectedItem();
            if (kept == null || (selected != null && sameEpisode(selected, kept))) {
                return;
            }
            table.getItems().stream().filter(e -> sameEpisode(e, kept)).findFirst()
                    .ifPresent(e -> table.getSelectionModel().select(e));
        });
    }

    private static boolean sameEpisode(InstanceEpisode a, InstanceEpisode b) {
        return a.instance() == b.instance() && a.episode().startMs() == b.episode().startMs();
    }

    private TableView<BackupInfo> backupsTable() {
        TableView<BackupInfo> table = fitted(new TableView<>(model.backups()));
        table.setId("details-backups");
        table.setPlaceholder(new Label(i18n.get("details.noBackups")));
        table.getColumns().setAll(List.of(
                column(i18n.get("details.column.created"), b -> constant(time(b.createdMs())), 180),
                column(i18n.get("details.column.units"), b -> constant(Integer.toString(b.definition().units())), 80),
                column(i18n.get("details.column.outcome"), b -> constant(i18n.get(b.succeeded() ? "outcome.SUCCEEDED" : "outcome.FAILED")), 100),
                column(i18n.get("details.column.id"), b -> constant(b.id()), 260),
                column(i18n.get("details.column.error"), b -> constant(b.error().orElse("")), 300)));
        return table;
    }

    private static <T> StringConverter<T> converter(Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return text.apply(value);
            }

            @Override
            public T fromString(String string) {
                return null;
            }
        };
    }
}
