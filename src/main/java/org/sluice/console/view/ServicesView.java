package org.sluice.console.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

import org.sluice.console.controls.ActionsCell;
import org.sluice.console.controls.StateCell;
import org.sluice.console.viewmodel.HostsViewModel;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.ServiceHealth;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.console.viewmodel.ServicesViewModel;
import org.sluice.console.viewmodel.StateSummary;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;

/**
 * The services grid: one row per service, with its host, its state and its nine chart actions. A
 * row whose host's connection is down is greyed ({@code :stale}) and says in its Health column how
 * old what it shows is.
 */
public final class ServicesView extends BorderPane {
    private static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    private final ServicesViewModel model;
    private final HostsViewModel hosts;
    private final I18n i18n;
    private final TableView<ServiceRowViewModel> table = new TableView<>();
    private final DateTimeFormatter time;

    public ServicesView(ServicesViewModel model, HostsViewModel hosts, I18n i18n) {
        this.model = model;
        this.hosts = hosts;
        this.i18n = i18n;
        this.time = DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM).withLocale(i18n.locale()).withZone(ZoneId.systemDefault());
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("services-view");
        table.setId("services-table");
        table.setItems(model.visibleRows());
        table.setFixedCellSize(38);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        Label placeholder = new Label();
        placeholder.setId("services-placeholder");
        placeholder.textProperty().bind(Bindings.when(model.loadingProperty())
                .then(i18n.get("services.loading")).otherwise(i18n.get("services.empty")));
        table.setPlaceholder(placeholder);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        table.setRowFactory(t -> new StaleRow());

        TableColumn<ServiceRowViewModel, String> host = new TableColumn<>(i18n.get("services.column.host"));
        host.setId("column-host");
        host.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().host().label()));
        host.setPrefWidth(130);
        host.setMinWidth(110);
        host.visibleProperty().bind(hosts.severalProperty());

        TableColumn<ServiceRowViewModel, String> name = new TableColumn<>(i18n.get("services.column.name"));
        name.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().serviceName()));
        name.setPrefWidth(150);

        TableColumn<ServiceRowViewModel, StateSummary> state = new TableColumn<>(i18n.get("services.column.state"));
        state.setCellValueFactory(c -> c.getValue().stateSummaryProperty());
        state.setCellFactory(c -> new StateCell<>(i18n::state));
        state.setComparator(java.util.Comparator.comparing(StateSummary::state));
        // Wide enough for the state and its badge, "Active" with "1 of 2 throttled".
        state.setPrefWidth(270);
        state.setMinWidth(210);

        TableColumn<ServiceRowViewModel, Health> health = new TableColumn<>(i18n.get("services.column.health"));
        health.setCellValueFactory(c -> {
            ServiceRowViewModel row = c.getValue();
            return Bindings.createObjectBinding(() -> new Health(row.healthProperty().get(),
                    row.host().lastUpdateTextProperty().get()), row.healthProperty(), row.host().lastUpdateTextProperty());
        });
        health.setCellFactory(c -> new HealthCell());
        // Wide enough for "last update 12 s ago", which a remote host's stale rows show here.
        health.setPrefWidth(175);
        health.setMinWidth(165);

        TableColumn<ServiceRowViewModel, String> instances = new TableColumn<>(i18n.get("services.column.instances"));
        instances.setCellValueFactory(c -> {
            ServiceRowViewModel row = c.getValue();
            return Bindings.createStringBinding(() -> instancesText(row),
                    row.definitionProperty(), row.instancesProperty(), row.throttledProperty(), row.restartingProperty(),
                    row.failedProperty());
        });
        instances.setPrefWidth(280);

        TableColumn<ServiceRowViewModel, String> endpoint = new TableColumn<>(i18n.get("services.column.endpoint"));
        endpoint.setCellValueFactory(c -> c.getValue().endpointProperty());
        endpoint.setPrefWidth(240);

        TableColumn<ServiceRowViewModel, String> last = new TableColumn<>(i18n.get("services.column.lastOperation"));
        last.setCellValueFactory(c -> Bindings.createStringBinding(() -> lastOperationText(c.getValue().lastOperationProperty().get()),
                c.getValue().lastOperationProperty()));
        last.setPrefWidth(230);

        TableColumn<ServiceRowViewModel, ServiceRowViewModel> actions = new TableColumn<>(i18n.get("services.column.actions"));
        actions.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        List<Operation> operations = model.operations();
        actions.setCellFactory(c -> new ActionsCell(operations, i18n::operation));
        actions.setPrefWidth(operations.size() * 34 + 12);
        actions.setMinWidth(operations.size() * 34 + 12);
        actions.setSortable(false);

        table.getColumns().setAll(List.of(host, name, state, health, instances, endpoint, last, actions));
        setCenter(table);
    }

    private void initListeners() {
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> model.selectedProperty().set(row));
    }

    private String instancesText(ServiceRowViewModel row) {
        int units = row.getDefinition().units();
        int running = row.instancesProperty().get();
        int throttled = row.throttledProperty().get();
        StringBuilder text = new StringBuilder(i18n.get("services.instances", units, running));
        if (throttled > 0) {
            text.append(" · ").append(i18n.get("services.throttledCount", throttled));
        }
        if (row.restartingProperty().get() > 0) {
            text.append(" · ").append(i18n.get("services.restartingCount", row.restartingProperty().get()));
        }
        if (row.failedProperty().get() > 0) {
            text.append(" · ").append(i18n.get("services.failedCount", row.failedProperty().get()));
        }
        return text.toString();
    }

    /**
     * What the Health column shows: the instances' health, or, while the row's host is not
     * connected, how old what the row shows is.
     */
    private record Health(ServiceHealth health, String lastUpdate) {
    }

    /** The health in words, coloured as the states are: ok, paused (a warning), failed (an error). */
    private final class HealthCell extends javafx.scene.control.TableCell<ServiceRowViewModel, Health> {
        private static final List<String> STYLES = List.of("state-ok", "state-paused", "state-failed", "last-update");

        @Override
        protected void updateItem(Health item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll(STYLES);
            if (empty || item == null) {
                setText(null);
                return;
            }
            if (!item.lastUpdate().isEmpty()) {
                setText(item.lastUpdate());
                getStyleClass().add("last-update");
                return;
            }
            setText(i18n.get("health." + item.health().name()));
            getStyleClass().add(STYLES.get(item.health().ordinal()));
        }
    }

    /** A grid row that is greyed while its service's host is not connected. */
    private static final class StaleRow extends TableRow<ServiceRowViewModel> {
        private final ChangeListener<Boolean> follow = (o, was, stale) -> pseudoClassStateChanged(STALE, stale);
        private ServiceRowViewModel shown;

        @Override
        protected void updateItem(ServiceRowViewModel row, boolean empty) {
            super.updateItem(row, empty);
            if (shown != null) {
                shown.staleProperty().removeListener(follow);
            }
            shown = empty ? null : row;
            if (shown != null) {
                shown.staleProperty().addListener(follow);
            }
            pseudoClassStateChanged(STALE, shown != null && shown.isStale());
        }
    }

    private String lastOperationText(OperationRecord record) {
        if (record == null) {
            return "";
        }
        String outcome = i18n.get("outcome." + record.outcome().name());
        return i18n.operation(record.operation()) + " · " + outcome + " · "
                + time.format(Instant.ofEpochMilli(record.endedMs().orElse(record.startedMs())));
    }

    public TableView<ServiceRowViewModel> table() {
        return table;
    }
}
