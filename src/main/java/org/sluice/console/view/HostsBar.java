package org.sluice.console.view;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.Duration;

import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.console.controls.Icons;
import org.sluice.console.viewmodel.HostViewModel;
import org.sluice.console.viewmodel.HostsViewModel;
import org.sluice.console.viewmodel.I18n;

/**
 * The hosts the console administers, in a bar over the tabs: each with its connection's state
 * ("Connected", "Reconnecting in 4 s", "Unauthorized", "Certificate changed"), a tooltip that says
 * more, and a menu with what can be done to it. Shown once there is a host besides the console's own.
 */
public final class HostsBar extends HBox {
    static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    private static final List<String> STATE_CLASSES = List.of("connection-ok", "connection-waiting", "connection-failed", "connection-off");

    private final HostsViewModel model;
    private final I18n i18n;
    private final HBox chips = new HBox(6);
    private final Map<HostViewModel, Node> chipOf = new IdentityHashMap<>();
    private final Subscriptions subscriptions = new Subscriptions();
    /** What each chip registered on its host, let go of when the host goes or the bar is disposed. */
    private final Map<HostViewModel, Subscriptions> chipSubscriptions = new IdentityHashMap<>();

    public HostsBar(HostsViewModel model, I18n i18n, Runnable connect) {
        this.model = model;
        this.i18n = i18n;
        createView(connect);
        initListeners();
    }

    private void createView(Runnable connect) {
        setId("hosts-bar");
        getStyleClass().add("hosts-bar");
        setSpacing(8);
        setAlignment(Pos.CENTER_LEFT);
        Label title = new Label(i18n.get("hosts.title"));
        title.getStyleClass().add("section-title");
        chips.setAlignment(Pos.CENTER_LEFT);
        Button add = new Button(i18n.get("action.connectHost"), Icons.CONNECT_HOST.create());
        add.setId("hosts-connect");
        add.getStyleClass().add("flat");
        add.setOnAction(e -> connect.run());
        getChildren().setAll(title, chips, add);
        subscriptions.bind(visibleProperty(), model.severalProperty());
        subscriptions.bind(managedProperty(), model.severalProperty());
    }

    private void initListeners() {
        subscriptions.onChange(model.hosts(), (ListChangeListener<HostViewModel>) change -> rebuild());
        rebuild();
    }

    /** Keeps a chip per host, in the hosts' order; a host keeps its chip as long as it is listed. */
    private void rebuild() {
        java.util.Set<HostViewModel> listed = model.hosts().stream().collect(java.util.stream.Collectors.toCollection(
                () -> java.util.Collections.newSetFromMap(new IdentityHashMap<>())));
        chipOf.keySet().retainAll(listed);
        chipSubscriptions.entrySet().removeIf(e -> {
            if (listed.contains(e.getKey())) {
                return false;
            }
            e.getValue().release();
            return true;
        });
        chips.getChildren().setAll(model.hosts().stream().map(h -> chipOf.computeIfAbsent(h, this::chip)).toList());
    }

    private Node chip(HostViewModel host) {
        Subscriptions held = new Subscriptions();
        chipSubscriptions.put(host, held);
        FontIcon icon = new FontIcon();
        if (host.isOwn()) {
            Label own = new Label(host.label(), Icons.THIS_COMPUTER.create());
            own.setId("host-own");
            own.getStyleClass().addAll("host-chip", "connection-ok");
            Tooltip.install(own, tooltip(host, held));
            return own;
        }
        MenuButton chip = new MenuButton();
        chip.setId("host-" + host.name());
        chip.getStyleClass().addAll("host-chip", "flat");
        chip.setGraphic(icon);
        held.bind(chip.textProperty(), Bindings.concat(host.label(), " · ", host.statusTextProperty()));
        chip.setTooltip(tooltip(host, held));
        Runnable style = () -> {
            icon.setIconCode(Icons.of(host.getState()).ikon());
            chip.getStyleClass().removeAll(STATE_CLASSES);
            chip.getStyleClass().add(Icons.styleClass(host.getState()));
            chip.pseudoClassStateChanged(STALE, host.isStale());
        };
        held.onChange(host.stateProperty(), (o, a, b) -> style.run());
        held.onChange(host.staleProperty(), (o, a, b) -> style.run());
        style.run();

        MenuItem enterKey = new MenuItem(i18n.get("hosts.enterKey"), Icons.ENTER_KEY.create());
        enterKey.setId("host-enter-key");
        held.bind(enterKey.disableProperty(), host.enterKeyCommand().executableProperty().not());
        enterKey.setOnAction(e -> host.enterKeyCommand().execute());
        MenuItem remove = new MenuItem(i18n.get("hosts.remove"), Icons.REMOVE_HOST.create());
        remove.setId("host-remove");
        remove.setOnAction(e -> host.removeCommand().execute());
        chip.getItems().setAll(enterKey, remove);
        return chip;
    }

    private static Tooltip tooltip(HostViewModel host, Subscriptions held) {
        Tooltip tooltip = new Tooltip();
        tooltip.setShowDelay(Duration.millis(300));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(420);
        held.bind(tooltip.textProperty(), Bindings.createStringBinding(() -> host.lastUpdateTextProperty().get().isEmpty()
                        ? host.detailTextProperty().get()
                        : host.detailTextProperty().get() + "\n" + host.lastUpdateTextProperty().get(),
                host.detailTextProperty(), host.lastUpdateTextProperty()));
        return tooltip;
    }

    /** Stops following the hosts. */
    public void dispose() {
        subscriptions.release();
        chipSubscriptions.values().forEach(Subscriptions::release);
        chipSubscriptions.clear();
    }

    int subscriptionCount() {
        return subscriptions.size() + chipSubscriptions.values().stream().mapToInt(Subscriptions::size).sum();
    }

    /** The chip of a host, for tests. */
    public Node chip(String host) {
        return chipOf.entrySet().stream().filter(e -> e.getKey().name().equals(host)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
