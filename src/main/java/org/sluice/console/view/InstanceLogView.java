package org.sluice.console.view;

import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.util.StringConverter;

import org.sluice.console.controls.Icons;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.InstanceLogViewModel;
import org.sluice.console.viewmodel.InstanceRowViewModel;
import org.sluice.lifecycle.InstanceLog;

/**
 * One instance's log in the service details: which instance and which run, follow, search, copy,
 * and a line saying what is held back. The list is virtual: only the visible lines are drawn.
 */
public final class InstanceLogView extends BorderPane {
    private final InstanceLogViewModel model;
    private final javafx.collections.ObservableList<InstanceRowViewModel> instances;
    private final I18n i18n;
    private final ListView<String> lines;
    private final ChoiceBox<Integer> instance = new ChoiceBox<>();
    private final HBox bar = new HBox(8);
    private final Subscriptions subscriptions = new Subscriptions();

    public InstanceLogView(InstanceLogViewModel model, javafx.collections.ObservableList<InstanceRowViewModel> instances, I18n i18n) {
        this.model = model;
        this.instances = instances;
        this.i18n = i18n;
        this.lines = new ListView<>(model.shownLines());
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("instance-log-view");
        instance.setId("instance-log-instance");
        instance.setConverter(converter(index -> index == null ? "" : i18n.get("log.instance", index)));
        instance.setTooltip(new Tooltip(i18n.get("log.instance.tooltip")));
        // As wide as its longest label, whatever instances it lists at the moment.
        instance.setPrefWidth(130);

        ChoiceBox<InstanceLog.Run> run = new ChoiceBox<>(FXCollections.observableArrayList(InstanceLog.Run.values()));
        run.setId("instance-log-run");
        run.setConverter(converter(r -> r == null ? "" : i18n.get(r == InstanceLog.Run.CURRENT ? "log.run.current" : "log.run.previous")));
        subscriptions.bindBidirectional(run.valueProperty(), model.runProperty());
        run.setTooltip(new Tooltip(i18n.get("log.run.tooltip")));

        CheckBox follow = new CheckBox(i18n.get("log.follow"));
        follow.setId("instance-log-follow");
        subscriptions.bindBidirectional(follow.selectedProperty(), model.followProperty());
        subscriptions.bind(follow.disableProperty(), model.runProperty().isEqualTo(InstanceLog.Run.PREVIOUS));
        follow.setTooltip(new Tooltip(i18n.get("log.follow.tooltip")));

        TextField search = new TextField();
        search.setId("instance-log-search");
        search.setPromptText(i18n.get("log.search"));
        subscriptions.bindBidirectional(search.textProperty(), model.searchProperty());
        search.setPrefColumnCount(16);

        Button copy = new Button(i18n.get("log.copy"), Icons.COPY.create());
        copy.setId("instance-log-copy");
        copy.setTooltip(new Tooltip(i18n.get("log.copy.tooltip")));
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            String selected = String.join("\n", lines.getSelectionModel().getSelectedItems());
            content.putString(selected.isEmpty() ? model.copyText() : selected + "\n");
            Clipboard.getSystemClipboard().setContent(content);
        });
        subscriptions.bind(copy.disableProperty(), Bindings.isEmpty(model.shownLines()));

        bar.getChildren().setAll(instance, run, follow, search, copy);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);

        lines.setId("instance-log");
        lines.getStyleClass().add("instance-log");
        lines.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        lines.setPlaceholder(new Label(i18n.get("log.none")));
        // One text line per cell, and a fixed height lets the list skip measuring every cell.
        lines.setFixedCellSize(22);
        setCenter(lines);

        Label status = new Label();
        status.setId("instance-log-status");
        status.getStyleClass().add("status-text");
        subscriptions.bind(status.textProperty(), model.statusProperty());
        status.setPadding(new Insets(4, 6, 4, 6));
        setBottom(status);
    }

    private void initListeners() {
        subscriptions.onChange(instances, (ListChangeListener<InstanceRowViewModel>) change -> offerInstances());
        offerInstances();
        instance.valueProperty().addListener((o, before, chosen) -> {
            if (chosen != null && !chosen.equals(model.instanceProperty().get())) {
                model.show(model.serviceProperty().get(), chosen);
            }
        });
        subscriptions.onChange(model.instanceProperty(), (o, before, now) -> offerInstances());
        // While following, the newest line stays in sight.
        subscriptions.onChange(model.shownLines(), (ListChangeListener<String>) change -> {
            if (model.followProperty().get() && !model.shownLines().isEmpty()) {
                lines.scrollTo(model.shownLines().size() - 1);
            }
        });
    }

    /**
     * Offers "Open in a tab" at the end of the bar: {@code open} shows the instance's log in a tab
     * of the main window, with the window's room (in a short window the details leave it a line or two).
     */
    public void offerOpenInTab(Runnable open) {
        Button tab = new Button(i18n.get("log.openInTab"), Icons.LOG.create());
        tab.setId("instance-log-open-tab");
        tab.setTooltip(new Tooltip(i18n.get("log.openInTab.tooltip")));
        tab.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        subscriptions.bind(tab.disableProperty(), model.instanceProperty().isNull());
        tab.setOnAction(e -> open.run());
        bar.getChildren().add(tab);
    }

    /** Shows one instance's log for good, as in its own tab: the tab's title names it, so the bar offers no other. */
    public void fixInstance() {
        instance.setVisible(false);
        instance.setManaged(false);
    }

    /** Lets go of the log's view model: the list no longer shows its lines. */
    public void dispose() {
        subscriptions.release();
        lines.setItems(FXCollections.observableArrayList());
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    /** The instance choice lists the service's instances and the one shown, even when it has just stopped. */
    private void offerInstances() {
        java.util.TreeSet<Integer> indexes = new java.util.TreeSet<>();
        instances.forEach(row -> indexes.add(row.index()));
        Integer shown = model.instanceProperty().get();
        if (shown != null) {
            indexes.add(shown);
        }
        if (!instance.getItems().equals(java.util.List.copyOf(indexes))) {
            instance.getItems().setAll(indexes);
        }
        instance.setValue(shown);
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> text) {
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
