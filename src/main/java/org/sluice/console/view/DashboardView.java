package org.sluice.console.view;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.console.controls.Icons;
import org.sluice.console.controls.ThrottleTile;
import org.sluice.console.viewmodel.DashboardViewModel;
import org.sluice.console.viewmodel.HostViewModel;
import org.sluice.console.viewmodel.HostsViewModel;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.console.viewmodel.ThrottleEvent;
import org.sluice.console.viewmodel.TrafficViewModel;

/**
 * The live throttle dashboard: a wall of tiles, one per role instance, grouped by host (the
 * console's own first) with a header that says how the host's connection is, and greyed while it
 * is down; the selected instance larger with a time window, the throttle events, and the
 * test-traffic control.
 */
public final class DashboardView extends BorderPane {
    /** AtlantaFX draws a text field with this pseudo-class in the theme's danger colour. */
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("danger");
    /** The events list's cells: an event into Throttled, and one back to Normal. */
    private static final PseudoClass EVENT_THROTTLED = PseudoClass.getPseudoClass("event-throttled");
    private static final PseudoClass EVENT_NORMAL = PseudoClass.getPseudoClass("event-normal");
    private final DashboardViewModel model;
    private final HostsViewModel hosts;
    private final TrafficViewModel traffic;
    private final I18n i18n;
    private final ScrollPane scroll = new ScrollPane();
    /** The tiles, of which only those in or near the view are nodes. */
    private final TileWall wall;
    private final BiConsumer<String, Integer> openLog;
    /** Saves one instance's incident bundle, from a tile's context menu; nothing until the console offers it. */
    private BiConsumer<String, Integer> saveBundle;
    /** Opens an instance's log in a tab of its own, from a tile's context menu; nothing until the console offers it. */
    private BiConsumer<String, Integer> openLogTab;
    private final StackPane detail = new StackPane();
    /** The events the list shows: the model's, a frame behind (see {@link #pulse(long)}). */
    private final ObservableList<ThrottleEvent> listedEvents = javafx.collections.FXCollections.observableArrayList();
    /** Frames to let pass before the list takes the model's new events; -1 while it has them all. */
    private int eventsDueIn = -1;
    private ThrottleTile detailTile;
    /** The scroll pane's viewport: tiles outside it are not redrawn. */
    private Node viewport;
    /** Held so that the bidirectional binding to the window choice is not collected. */
    private javafx.beans.property.ObjectProperty<Long> windowChoice;
    private final Subscriptions subscriptions = new Subscriptions();

    /**
     * @param openLog opens the service details on an instance's log, from a tile's context menu
     */
    public DashboardView(DashboardViewModel model, HostsViewModel hosts, TrafficViewModel traffic, ObservableList<String> services,
                         I18n i18n, BiConsumer<String, Integer> openLog) {
        this.openLog = openLog;
        this.model = model;
        this.hosts = hosts;
        this.traffic = traffic;
        this.i18n = i18n;
        this.wall = new TileWall(scroll, this::newTile, this::newGroup, hosts::host);
        createView(services);
        initListeners();
    }

    private void createView(ObservableList<String> services) {
        getStyleClass().add("dashboard-view");
        setTop(new VBox(new EngineNotices(hosts, subscriptions), trafficBar(services)));

        Label empty = new Label(i18n.get("dashboard.noInstance"));
        empty.setMouseTransparent(true);
        StackPane.setAlignment(empty, javafx.geometry.Pos.TOP_CENTER);
        StackPane.setMargin(empty, new Insets(10));
        subscriptions.bind(empty.visibleProperty(), Bindings.isEmpty(model.tiles()));
        scroll.setId("tile-wall-scroll");
        scroll.setContent(wall);
        scroll.setFitToWidth(true);
        StackPane wallHolder = new StackPane(scroll, empty);
        // The skin caches its viewport as one bitmap, which suits still content. Here a tile redraws
        // a few times a second, and each redraw re-rendered the whole viewport into the cache and
        // then drew it: a full repaint every pulse (pulse logger: "CacheFilter rebuilding").
        scroll.skinProperty().addListener((o, before, skin) -> {
            viewport = scroll.lookup(".viewport");
            if (viewport != null) {
                viewport.setCache(false);
            }
        });

        ChoiceBox<Long> window = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(DashboardViewModel.WINDOWS));
        window.setConverter(new StringConverter<>() {
            @Override
            public String toString(Long millis) {
                return millis == null ? "" : i18n.get("dashboard.window." + (millis / 60_000));
            }

            @Override
            public Long fromString(String s) {
                return null;
            }
        });
        windowChoice = model.windowProperty().asObject();
        subscriptions.bindBidirectional(window.valueProperty(), windowChoice);
        Label detailTitle = new Label(i18n.get("dashboard.detail"));
        detailTitle.getStyleClass().add("section-title");
        ToolBar detailBar = new ToolBar(detailTitle, new Label(i18n.get("dashboard.window")), window);
        detail.setMinHeight(260);
        detail.setPrefHeight(300);
        detail.getChildren().setAll(new Label(i18n.get("dashboard.pick")));

        Label eventsTitle = new Label(i18n.get("dashboard.events"));
        eventsTitle.getStyleClass().add("section-title");
        eventsTitle.setPadding(new Insets(6, 8, 2, 8));
        // Each new event asked the list's parents for a layout up to the window's root, and a flapping
        // instance adds one at each change: the dashboard's split, its side and the tabs were laid out
        // again in each such pulse (issue 12). The list's sizes are its own, not its events' (as wide as
        // the side is at least, as tall as JavaFX makes a list), so a new event lays out its cells alone.
        listedEvents.setAll(model.events());
        ListView<ThrottleEvent> events = new ListView<>(listedEvents) {
            @Override
            public void requestLayout() {
                setNeedsLayout(true);
            }
        };
        events.setMinSize(36, 40);
        events.setPrefSize(420, 400);
        events.setId("throttle-events");
        Label noEvents = new Label(i18n.get("dashboard.noEvents"));
        noEvents.setWrapText(true);
        noEvents.setPadding(new Insets(10));
        events.setPlaceholder(noEvents);
        events.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            private final java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter
                    .ofLocalizedTime(java.time.format.FormatStyle.MEDIUM).withLocale(i18n.locale())
                    .withZone(java.time.ZoneId.systemDefault());

            // Pseudo-classes, not style classes: each new event moves every event below it down a cell,
            // and a cell whose style classes change is matched against every rule of the stylesheets
            // again, where a pseudo-class only picks among the rules it already has (issue 12).
            @Override
            protected void updateItem(ThrottleEvent item, boolean empty) {
                super.updateItem(item, empty);
                boolean shown = !empty && item != null;
                pseudoClassStateChanged(EVENT_THROTTLED, shown && item.entered());
                pseudoClassStateChanged(EVENT_NORMAL, shown && !item.entered());
                setText(shown ? time.format(java.time.Instant.ofEpochMilli(item.timeMs())) + "  " + i18n.say(item.words()) : null);
            }
        });
        VBox side = new VBox(detailBar, detail, eventsTitle, events);
        VBox.setVgrow(events, javafx.scene.layout.Priority.ALWAYS);
        side.setMinWidth(420);

        SplitPane split = new SplitPane(wallHolder, side);
        split.setDividerPositions(0.64);
        setCenter(split);
    }

    private VBox trafficBar(ObservableList<String> services) {
        // A ComboBox, not a ChoiceBox: a ChoiceBox builds a menu item per service up front, which
        // held the JavaFX thread for over a minute when a fleet of 5,000 services loaded.
        ComboBox<String> service = new ComboBox<>(services);
        service.setId("traffic-service");
        service.setPromptText(i18n.get("traffic.servicePrompt"));
        subscriptions.bindBidirectional(service.valueProperty(), traffic.serviceProperty());
        TextField rate = trafficField("traffic-rate", traffic.rateTextProperty(), traffic.rateBound(), traffic.rateProblemProperty(), 5,
                subscriptions);
        TextField size = trafficField("traffic-size", traffic.sizeTextProperty(), traffic.sizeBound(), traffic.sizeProblemProperty(), 7,
                subscriptions);
        // A problem with what was typed shows as it is typed, in place of the progress.
        Label problem = new Label();
        problem.setId("traffic-problem");
        problem.getStyleClass().add("form-problems");
        subscriptions.bind(problem.textProperty(), Bindings.when(traffic.sizeProblemProperty().isNotEmpty())
                .then(traffic.sizeProblemProperty()).otherwise(traffic.rateProblemProperty()));
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        Button toggle = new Button();
        toggle.setId("traffic-toggle");
        subscriptions.bind(toggle.textProperty(), Bindings.when(traffic.runningProperty())
                .then(i18n.get("traffic.stop")).otherwise(i18n.get("traffic.start")));
        subscriptions.bind(toggle.graphicProperty(), Bindings.createObjectBinding(() -> traffic.runningProperty().get()
                ? Icons.STOP.create() : Icons.START.create(), traffic.runningProperty()));
        subscriptions.bind(toggle.disableProperty(), traffic.toggleCommand().executableProperty().not());
        toggle.setOnAction(e -> traffic.toggleCommand().execute());
        Label progress = new Label();
        progress.setId("traffic-progress");
        subscriptions.bind(progress.textProperty(), traffic.progressProperty());
        progress.setTooltip(new Tooltip(i18n.get("traffic.progress.tooltip", TrafficViewModel.MAX_IN_FLIGHT)));
        progress.visibleProperty().bind(problem.visibleProperty().not());
        progress.managedProperty().bind(progress.visibleProperty());
        ToolBar bar = new ToolBar(new Label(i18n.get("traffic.service")), service, new Label(i18n.get("traffic.rate")), rate,
                new Label(i18n.get("traffic.size")), size, toggle);
        bar.setId("traffic-bar");
        // The counts and the problems on a line of their own: in the tool bar they went into its overflow.
        Label other = new Label();
        other.setId("traffic-other");
        other.getStyleClass().add("form-problems");
        subscriptions.bind(other.textProperty(), traffic.otherProblemProperty());
        other.visibleProperty().bind(other.textProperty().isNotEmpty().and(progress.visibleProperty()));
        other.managedProperty().bind(other.visibleProperty());
        HBox line = new HBox(12, problem, progress, other);
        line.setId("traffic-line");
        line.setPadding(new Insets(2, 10, 4, 10));
        line.visibleProperty().bind(problem.textProperty().isNotEmpty().or(progress.textProperty().isNotEmpty()));
        line.managedProperty().bind(line.visibleProperty());
        return new VBox(bar, line);
    }

    /** A field of the traffic bar: its bound as prompt and tooltip, marked while what it holds cannot be used. */
    private static TextField trafficField(String id, javafx.beans.property.StringProperty text, String bound,
                                          javafx.beans.value.ObservableStringValue problem, int columns, Subscriptions subscriptions) {
        TextField field = new TextField();
        field.setId(id);
        subscriptions.bindBidirectional(field.textProperty(), text);
        field.setPromptText(bound);
        field.setTooltip(new Tooltip(bound));
        field.setPrefColumnCount(columns);
        field.pseudoClassStateChanged(INVALID, !problem.get().isEmpty());
        subscriptions.onChange(problem, (o, was, now) -> field.pseudoClassStateChanged(INVALID, !now.isEmpty()));
        return field;
    }

    private void initListeners() {
        subscriptions.onChange(model.tiles(), (ListChangeListener<InstanceTileViewModel>) change -> {
            while (change.next()) {
                change.getRemoved().forEach(wall::remove);
                change.getAddedSubList().forEach(this::addTile);
            }
        });
        model.tiles().forEach(this::addTile);
        subscriptions.onChange(model.events(), (ListChangeListener<ThrottleEvent>) change -> {
            if (eventsDueIn < 0) {
                eventsDueIn = 1;
            }
        });
        subscriptions.onChange(hosts.hosts(), (ListChangeListener<HostViewModel>) change -> wall.order(hosts.hosts()));
        subscriptions.onChange(model.selectedProperty(), (o, a, selected) -> showDetail(selected));
        // A view made again after a language switch shows the instance chosen before it.
        showDetail(model.selectedProperty().get());
        subscriptions.onChange(model.windowProperty(), (o, a, millis) -> {
            if (detailTile != null) {
                detailTile.setWindowMillis(millis.longValue());
            }
        });
    }

    /** Offers "Open this instance's log in a tab" in each tile's context menu. */
    public void offerLogTab(BiConsumer<String, Integer> open) {
        this.openLogTab = open;
    }

    /** Offers "Save incident bundle…" in each tile's context menu. */
    public void offerBundle(BiConsumer<String, Integer> save) {
        this.saveBundle = save;
    }

    private void addTile(InstanceTileViewModel model) {
        wall.add(model);
        wall.order(hosts.hosts());
    }

    /**
     * A tile node for the wall, shown an instance by the wall; its handlers act on the instance it
     * shows when they fire, since the wall shows it another one after a scroll.
     */
    private ThrottleTile newTile(InstanceTileViewModel first) {
        ThrottleTile tile = new ThrottleTile(first, i18n.bundle(), java.time.ZoneId.systemDefault(), i18n.locale());
        tile.setOnMouseClicked(e -> this.model.selectedProperty().set(tile.getModel()));
        tile.setOnContextMenuRequested(e -> {
            InstanceTileViewModel shown = tile.getModel();
            MenuItem showLog = new MenuItem(i18n.get("action.showLog"), Icons.LOG.create());
            showLog.setId("tile-show-log");
            showLog.setOnAction(a -> openLog.accept(shown.service(), shown.index()));
            ContextMenu menu = new ContextMenu(showLog);
            if (openLogTab != null) {
                MenuItem logTab = new MenuItem(i18n.get("action.openLogTab"), Icons.LOG.create());
                logTab.setId("tile-open-log-tab");
                logTab.setOnAction(a -> openLogTab.accept(shown.service(), shown.index()));
                menu.getItems().add(logTab);
            }
            if (saveBundle != null) {
                MenuItem bundle = new MenuItem(i18n.get("action.saveBundle"), Icons.SAVE_BUNDLE.create());
                bundle.setId("tile-save-bundle");
                bundle.setOnAction(a -> saveBundle.accept(shown.service(), shown.index()));
                menu.getItems().add(bundle);
            }
            menu.show(tile, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        return tile;
    }

    /**
     * One host's group: a header with its name and its connection's state, the tiles greyed
     * ({@code :stale}) while the host is not connected. The header shows once there are several hosts.
     */
    private TileWall.TileGroup newGroup(HostViewModel host) {
        Label header = new Label();
        header.getStyleClass().add("tile-group-header");
        FontIcon icon = (host.isOwn() ? Icons.THIS_COMPUTER : Icons.of(host.getState())).create();
        header.setGraphic(icon);
        if (!host.isOwn()) {
            subscriptions.onChange(host.stateProperty(), (o, was, state) -> icon.setIconCode(Icons.of(state).ikon()));
        }
        subscriptions.bind(header.textProperty(), host.isOwn() ? Bindings.createStringBinding(host::label)
                : Bindings.createStringBinding(() -> host.label() + " · " + host.statusTextProperty().get()
                        + (host.lastUpdateTextProperty().get().isEmpty() ? "" : " · " + host.lastUpdateTextProperty().get()),
                host.statusTextProperty(), host.lastUpdateTextProperty()));
        subscriptions.bind(header.visibleProperty(), hosts.severalProperty());
        subscriptions.bind(header.managedProperty(), hosts.severalProperty());
        TileWall.TileGroup group = new TileWall.TileGroup(host, header);
        group.setId("tile-group-" + (host.isOwn() ? "own" : host.name()));
        group.stale(host.isStale());
        subscriptions.onChange(host.staleProperty(), (o, was, stale) -> group.stale(stale));
        return group;
    }

    private void showDetail(InstanceTileViewModel selected) {
        if (detailTile != null) {
            detailTile.dispose();
        }
        if (selected == null) {
            detailTile = null;
            detail.getChildren().setAll(new Label(i18n.get("dashboard.pick")));
            return;
        }
        detailTile = new ThrottleTile(selected, i18n.bundle(), java.time.ZoneId.systemDefault(), i18n.locale());
        detailTile.setId("detail-tile");
        detailTile.showReadoutOnHover();
        detailTile.setWindowMillis(model.windowProperty().get());
        detail.getChildren().setAll(detailTile);
    }

    /**
     * Redraws what changed; called once per pulse after the events are applied. A tile's charts are
     * redrawn only while some of them are in the viewport, not when only its header is: a canvas
     * clipped away whole, redrawn in a pulse with nothing else to paint, made the renderer paint the
     * whole window, in every round of redraws at a window height that cut a row of tiles there.
     */
    public void pulse(long nowMs) {
        if (eventsDueIn >= 0 && eventsDueIn-- == 0) {
            listEvents();
        }
        Bounds shown = shownArea();
        for (ThrottleTile tile : wall.shownTiles().values()) {
            tile.pulse(nowMs, shown != null && tile.chartsIn(shown));
        }
        if (detailTile != null) {
            detailTile.pulse(nowMs);
        }
    }

    /**
     * Brings the events list up to the model's events, one frame after the frame in which they came:
     * that frame already redraws the changed instance's tile, the detail chart and the notification,
     * and a new event moves every line of the list down, so the list laid out and painted whole in it
     * too. Apart, each frame stays within its time with software rendering (issue 12; decision 0062).
     * The newest events go in at the top and the oldest out at the bottom, as the model did, so that
     * the list moves its lines as for one insertion; anything else lists the model's events anew.
     */
    private void listEvents() {
        List<ThrottleEvent> now = model.events();
        int fresh = listedEvents.isEmpty() ? now.size() : now.indexOf(listedEvents.getFirst());
        if (fresh > 0) {
            listedEvents.addAll(0, now.subList(0, fresh));
        }
        if (listedEvents.size() > now.size()) {
            listedEvents.remove(now.size(), listedEvents.size());
        }
        if (fresh < 0 || !listedEvents.equals(now)) {
            listedEvents.setAll(now);
        }
    }

    /** The part of the scene where the wall's tiles can be seen, or null when the dashboard is hidden. */
    private Bounds shownArea() {
        if (getScene() == null) {
            return null;
        }
        for (Node node = this; node != null; node = node.getParent()) {
            if (!node.isVisible()) {
                return null;
            }
        }
        return viewport == null ? null : viewport.localToScene(viewport.getLayoutBounds());
    }

    /**
     * Lets go of the view models: after a language switch the old dashboard no longer follows the
     * tiles, the hosts or the test traffic, and its tiles no longer show their instances.
     */
    public void dispose() {
        subscriptions.release();
        wall.allTiles().forEach(ThrottleTile::dispose);
        if (detailTile != null) {
            detailTile.dispose();
        }
    }

    /** What this view holds registered on the view models, for tests. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** The tile node showing an instance now, for tests; null while the instance is out of view. */
    public ThrottleTile tile(String key) {
        return wall.shownTiles().entrySet().stream().filter(e -> e.getKey().key().equals(key)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** The keys of the instances whose tiles are nodes now, for tests. */
    public java.util.Set<String> shownTileKeys() {
        return wall.shownKeys();
    }

}
