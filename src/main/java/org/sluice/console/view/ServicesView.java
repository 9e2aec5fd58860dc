package org.sluice.console.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.util.Duration;

import org.sluice.console.controls.ActionsCell;
import org.sluice.console.controls.BriefTextCell;
import org.sluice.console.controls.FullTextCell;
import org.sluice.console.controls.StateCell;
import org.sluice.console.viewmodel.HostsViewModel;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.ProblemWords;
import org.sluice.console.viewmodel.ServiceHealth;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.console.viewmodel.ServicesViewModel;
import org.sluice.console.viewmodel.StateSummary;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;

/**
 * The services grid: one row per service, with its host, its state and its nine chart actions. A
 * row whose host's connection is down is greyed ({@code :stale}) and says in its Health column how
 * old what it shows is.
 */
public final class ServicesView extends BorderPane {
    private static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    /** The grid's order when no column is sorted on: by the service's name, then its host's. */
    private static final Comparator<ServiceRowViewModel> BY_NAME = Comparator.comparing(ServiceRowViewModel::serviceName)
            .thenComparing(r -> r.host().name());
    /** Room kept for the vertical scroll bar, so that one appearing does not push the last column out of sight. */
    private static final double SCROLL_BAR_ALLOWANCE = 16;
    /** The least widths Endpoint and Last operation get before any other column gives way. */
    private static final double WIDE_COMFORT = 200;
    /** How many rows' texts the two widest columns' shares are measured on. */
    private static final int MEASURED_ROWS = 50;
    private static final double NEXT_COMFORT = 190;
    /** Room for the arrow a sorted column's header shows beside its text. */
    private static final double SORT_ARROW_ALLOWANCE = 18;
    /**
     * How many rows the grid keeps in sight, however the split with the details below is dragged or
     * the window shrunk: with fewer, a short window (900 × 600) showed a selected service and little
     * else.
     */
    static final int ROWS_KEPT_IN_SIGHT = 5;
    private final ServicesViewModel model;
    private final HostsViewModel hosts;
    private final I18n i18n;
    private final TableView<ServiceRowViewModel> table = new TableView<>();
    /**
     * The actions cells the grid has made (those it shows and those it keeps for later): each holds
     * its row's commands until the grid is let go of.
     */
    private final List<ActionsCell> actionCells = new ArrayList<>();
    private final DateTimeFormatter time;
    private final Subscriptions subscriptions = new Subscriptions();
    /** The width each column's header needed when it was last shown. */
    private final Map<TableColumn<ServiceRowViewModel, ?>, Double> headerSeen = new IdentityHashMap<>();
    /** Lays the columns out again; null until {@link #fitColumns} has run. */
    private Runnable refit;
    /** Whether a lay-out is already asked of the next turn of the JavaFX thread: many cells may ask at once. */
    private boolean refitAsked;

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
        // In the order of the column the operator sorted on, and by name before and within it: a
        // service created or restored takes its place rather than coming last. The grid's own
        // comparator must be the sorted list's for a click on a header to sort.
        SortedList<ServiceRowViewModel> byName = new SortedList<>(model.visibleRows(), BY_NAME);
        SortedList<ServiceRowViewModel> shown = new SortedList<>(byName);
        shown.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(shown);
        table.setFixedCellSize(38);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(placeholder());
        // The columns keep their widths, and Endpoint and Last operation, whose text is the longest,
        // share what is left of the window's width; in a narrow window the columns give way, in
        // turn, so that the actions stay in sight (see fitColumns). Only a window too narrow for
        // every column at its least width scrolls sideways.
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);

        table.setRowFactory(t -> new StaleRow());

        TableColumn<ServiceRowViewModel, String> host = new TableColumn<>(i18n.get("services.column.host"));
        host.setId("column-host");
        host.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().host().label()));
        host.setCellFactory(c -> new FullTextCell<>(OverrunStyle.ELLIPSIS));
        host.setPrefWidth(130);
        host.setMinWidth(70);
        subscriptions.bind(host.visibleProperty(), hosts.severalProperty());

        TableColumn<ServiceRowViewModel, String> name = new TableColumn<>(i18n.get("services.column.name"));
        name.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().serviceName()));
        name.setCellFactory(c -> new FullTextCell<>(OverrunStyle.ELLIPSIS));
        name.setPrefWidth(130);
        name.setMinWidth(80);

        TableColumn<ServiceRowViewModel, StateSummary> state = new TableColumn<>(i18n.get("services.column.state"));
        state.setCellValueFactory(c -> c.getValue().stateSummaryProperty());
        state.setCellFactory(c -> new StateCell<>(i18n::state));
        state.setComparator(java.util.Comparator.comparing(StateSummary::state));
        // Wide enough for the state and its badge, "Active" with "1 of 2 throttled"; when narrower the
        // badge gives way and the state keeps its words, down to "Suspended" with its spinner.
        state.setPrefWidth(230);
        state.setMinWidth(130);

        TableColumn<ServiceRowViewModel, Health> health = new TableColumn<>(i18n.get("services.column.health"));
        health.setCellValueFactory(c -> {
            ServiceRowViewModel row = c.getValue();
            return Bindings.createObjectBinding(() -> new Health(row.healthProperty().get(),
                    row.host().lastUpdateTextProperty().get()), row.healthProperty(), row.host().lastUpdateTextProperty());
        });
        health.setCellFactory(c -> new HealthCell());
        // Wide enough for "last update 12 s ago", which a remote host's stale rows show here.
        health.setPrefWidth(150);
        health.setMinWidth(70);

        TableColumn<ServiceRowViewModel, String> instances = new TableColumn<>(i18n.get("services.column.instances"));
        instances.setCellValueFactory(c -> {
            ServiceRowViewModel row = c.getValue();
            return Bindings.createStringBinding(() -> instancesText(row),
                    row.definitionProperty(), row.instancesProperty(), row.throttledProperty(), row.restartingProperty(),
                    row.failedProperty(), row.startingProperty(), row.stateProperty());
        });
        // The units are never cut: a cell whose text no longer fits (a throttled count came) has
        // the columns laid out again, with the room its text needs.
        instances.setCellFactory(c -> {
            FullTextCell<ServiceRowViewModel> cell = new FullTextCell<>(OverrunStyle.ELLIPSIS);
            cell.textTruncatedProperty().addListener((o, was, cut) -> {
                if (cut) {
                    refitLater();
                }
            });
            return cell;
        });
        instances.setPrefWidth(175);
        instances.setMinWidth(90);

        TableColumn<ServiceRowViewModel, String> endpoint = new TableColumn<>(i18n.get("services.column.endpoint"));
        endpoint.setCellValueFactory(c -> c.getValue().endpointProperty());
        // The services of a host share the start of their address: a cut one keeps its end, the service's part.
        endpoint.setCellFactory(c -> new FullTextCell<>(OverrunStyle.LEADING_ELLIPSIS));
        endpoint.setPrefWidth(340);
        endpoint.setMinWidth(80);

        TableColumn<ServiceRowViewModel, BriefTextCell.Wording> last = new TableColumn<>(i18n.get("services.column.lastOperation"));
        last.setCellValueFactory(c -> Bindings.createObjectBinding(() -> lastOperationWording(c.getValue().lastOperationProperty().get()),
                c.getValue().lastOperationProperty()));
        // Narrow, it leaves out the time (said on hover, with why a failed one failed) rather than cut the outcome.
        last.setCellFactory(c -> {
            BriefTextCell<ServiceRowViewModel> cell = new BriefTextCell<>();
            // Another operation's words may need another least width.
            cell.itemProperty().addListener((o, before, now) -> refitLater());
            return cell;
        });
        last.setPrefWidth(220);
        last.setMinWidth(80);

        TableColumn<ServiceRowViewModel, ServiceRowViewModel> actions = new TableColumn<>(i18n.get("services.column.actions"));
        actions.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        List<Operation> operations = model.operations();
        actions.setCellFactory(c -> {
            ActionsCell cell = new ActionsCell(operations, i18n::operation, this::actionTitle);
            actionCells.add(cell);
            return cell;
        });
        actions.setPrefWidth(operations.size() * 29 + 12);
        actions.setMinWidth(operations.size() * 29 + 12);
        actions.setMaxWidth(operations.size() * 29 + 12);
        actions.setSortable(false);

        table.getColumns().setAll(List.of(host, name, state, health, instances, endpoint, last, actions));
        fitColumns(endpoint, last, instances, List.of(endpoint, last, instances, health, state, host, name));
        setTop(new EngineNotices(hosts, subscriptions));
        setCenter(table);
    }

    /**
     * The notices above the grid, its column headers and {@link #ROWS_KEPT_IN_SIGHT} rows: the split
     * with the details gives the grid no less. The headers' height is the one laid out, which follows
     * the font; before the first layout a row's height stands in for it.
     */
    @Override
    protected double computeMinHeight(double width) {
        Node header = table.lookup(".column-header-background");
        double headerHeight = header instanceof javafx.scene.layout.Region region ? region.prefHeight(-1) : table.getFixedCellSize();
        Node top = getTop();
        double notices = top == null || !top.isManaged() ? 0 : top.prefHeight(width);
        return snappedTopInset() + notices + table.snappedTopInset() + headerHeight
                + ROWS_KEPT_IN_SIGHT * table.getFixedCellSize() + table.snappedBottomInset() + snappedBottomInset();
    }

    /** What the grid shows with no row: loading, no service at all, or none that passes the search and filters. */
    private Node placeholder() {
        Label text = new Label();
        text.setId("services-placeholder");
        text.setWrapText(true);
        text.textProperty().bind(Bindings.createStringBinding(() -> {
            if (model.loadingProperty().get()) {
                return i18n.get("services.loading");
            }
            if (model.rows().isEmpty()) {
                return i18n.get("services.empty");
            }
            String search = model.searchProperty().get() == null ? "" : model.searchProperty().get().strip();
            return search.isEmpty() ? i18n.get("services.noneFiltered") : i18n.get("services.noMatch", search);
        }, model.loadingProperty(), model.rows(), model.searchProperty()));
        Button clear = new Button(i18n.get("services.clearSearch"));
        clear.setId("clear-search");
        clear.setOnAction(e -> model.clearSearch());
        BooleanBinding filtered = Bindings.createBooleanBinding(() -> !model.loadingProperty().get() && !model.rows().isEmpty(),
                model.loadingProperty(), model.rows());
        clear.visibleProperty().bind(filtered);
        clear.managedProperty().bind(filtered);
        VBox box = new VBox(10, text, clear);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    /**
     * Lays the columns out in the grid's width, whenever the window or a column changes width.
     * Where there is room, each column has its own width (the one it was made with, or the one the
     * operator dragged it to) and {@code wide} gets a little more than half and {@code next} the
     * rest of what the others leave, each at least {@link #WIDE_COMFORT} and {@link #NEXT_COMFORT}.
     * At the console's first size (1400 px) neither gets all its text
     * ("http://127.0.0.1:7070/services/slow-partner/messages" takes about 380 px, an operation with
     * its outcome and time 250 to 370, and the rest of the grid leaves 424): no split fits both
     * without cutting the state or the instances, so a cut cell says its whole text in a tooltip
     * ({@link FullTextCell}).
     *
     * <p>Where there is not room (a 900 px window), the columns of {@code giveWay} give way in that
     * order, each down to its least width, until the row fits: the actions never do, since an
     * operator who has to scroll sideways to reach them, row after row, loses sight of which service
     * they act on. A column's least width is what its header's text needs, and {@code whole}'s
     * also what its cells' texts need, so that no header is cut and the units never are. Where even
     * the least widths do not fit, {@code wide} and then {@code next} give way whole (are hidden)
     * until they fit again (decision 0048).
     */
    private void fitColumns(TableColumn<ServiceRowViewModel, ?> wide, TableColumn<ServiceRowViewModel, ?> next,
                            TableColumn<ServiceRowViewModel, ?> whole, List<TableColumn<ServiceRowViewModel, ?>> giveWay) {
        List<TableColumn<ServiceRowViewModel, ?>> others = table.getColumns().stream().filter(c -> c != wide && c != next).toList();
        Map<TableColumn<ServiceRowViewModel, ?>, Double> own = new IdentityHashMap<>();
        for (TableColumn<ServiceRowViewModel, ?> column : others) {
            own.put(column, column.getPrefWidth());
        }
        boolean[] laying = {false};
        InvalidationListener fit = o -> {
            // Not before the grid has a width. A view made again after a language switch is fitted
            // before it is in the window: with no room, Endpoint and Last operation went down to
            // 80 px, which is TableColumn's default width, and a column header made while its
            // column has the default width sizes the column to its content (370 px and 160 px
            // in a 900 px window). Fitted to no room, nothing changes once the width comes.
            if (laying[0] || table.getWidth() <= 0) {
                return;
            }
            // No column gives way past its header, nor the units past their text (decision 0048).
            // A column the grid does not show now keeps the least width it had when it last did.
            Map<TableColumn<ServiceRowViewModel, ?>, Double> least = new IdentityHashMap<>();
            for (TableColumn<ServiceRowViewModel, ?> column : table.getColumns()) {
                double header = headerNeed(column);
                if (header > 0) {
                    headerSeen.put(column, header);
                }
                double need = Math.max(column.getMinWidth(), headerSeen.getOrDefault(column, 0.0));
                // Nor Last operation past its brief texts (the operation and its outcome): cut, an outcome cannot be read.
                least.put(column, column == whole ? Math.max(need, Math.max(textNeed(column), shownTextNeed(column)))
                        : column == next ? Math.max(need, briefNeed(column)) : need);
            }
            double room = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - SCROLL_BAR_ALLOWANCE;
            // Where even the least widths leave no room, Endpoint gives way whole, then Last operation:
            // the details below the grid show both.
            boolean showWide = true;
            boolean showNext = true;
            Map<TableColumn<ServiceRowViewModel, ?>, Double> widths = laidOut(wide, next, giveWay, own, least, room, true, true);
            if (overflow(widths, room) > 0) {
                showWide = false;
                widths = laidOut(wide, next, giveWay, own, least, room, false, true);
                if (overflow(widths, room) > 0) {
                    showNext = false;
                    widths = laidOut(wide, next, giveWay, own, least, room, false, false);
                }
            }
            boolean comesBack = showWide && !wide.isVisible() || showNext && !next.isVisible();
            laying[0] = true;
            try {
                wide.setVisible(showWide);
                next.setVisible(showNext);
                widths.forEach(TableColumn::setPrefWidth);
            } finally {
                laying[0] = false;
            }
            if (comesBack) {
                // Shown again: their headers are made on the next pulse, and measured then.
                refitLater();
            }
        };
        table.widthProperty().addListener(fit);
        // A sorted column's header shows an arrow beside its text, which needs the room.
        table.getSortOrder().addListener(fit);
        refit = () -> fit.invalidated(null);
        // The shares follow the texts shown: rows that come or go may need another split.
        // Released with the view: the rows' list is the view model's and outlives it.
        subscriptions.onInvalidation(table.getItems(), fit);
        for (TableColumn<ServiceRowViewModel, ?> column : others) {
            // A width this method did not set is the operator's: the column's own from then on.
            column.widthProperty().addListener((o, before, now) -> {
                if (!laying[0]) {
                    own.put(column, now.doubleValue());
                    fit.invalidated(o);
                }
            });
            column.visibleProperty().addListener(fit);
        }
        fit.invalidated(null);
    }

    /** Lays the columns out again in the next turn of the JavaFX thread, once however many ask. */
    private void refitLater() {
        if (refit == null || refitAsked) {
            return;
        }
        refitAsked = true;
        javafx.application.Platform.runLater(() -> {
            refitAsked = false;
            refit.run();
        });
    }

    /**
     * The columns' widths in {@code room}, with {@code wide} and {@code next} shown or not: each
     * column its own width, at least its least; the two wide ones share what is left; then the
     * columns of {@code giveWay} give way in turn down to their least widths.
     */
    private Map<TableColumn<ServiceRowViewModel, ?>, Double> laidOut(
            TableColumn<ServiceRowViewModel, ?> wide, TableColumn<ServiceRowViewModel, ?> next,
            List<TableColumn<ServiceRowViewModel, ?>> giveWay, Map<TableColumn<ServiceRowViewModel, ?>, Double> own,
            Map<TableColumn<ServiceRowViewModel, ?>, Double> least, double room, boolean showWide, boolean showNext) {
        Map<TableColumn<ServiceRowViewModel, ?>, Double> widths = new IdentityHashMap<>();
        for (TableColumn<ServiceRowViewModel, ?> column : table.getColumns()) {
            if (column != wide && column != next && column.isVisible()) {
                widths.put(column, Math.max(own.get(column), least.get(column)));
            }
        }
        double rest = room - widths.values().stream().mapToDouble(Double::doubleValue).sum();
        if (showWide && showNext) {
            double first = Math.max(WIDE_COMFORT, wideShare(wide, next, rest));
            widths.put(wide, Math.max(first, least.get(wide)));
            widths.put(next, Math.max(Math.max(NEXT_COMFORT, rest - first), least.get(next)));
        } else if (showWide) {
            widths.put(wide, Math.max(rest, least.get(wide)));
        } else if (showNext) {
            widths.put(next, Math.max(rest, least.get(next)));
        }
        double excess = overflow(widths, room);
        for (TableColumn<ServiceRowViewModel, ?> column : giveWay) {
            if (excess <= 0) {
                break;
            }
            Double width = widths.get(column);
            if (width != null) {
                double given = Math.min(excess, Math.max(0, width - least.get(column)));
                widths.put(column, width - given);
                excess -= given;
            }
        }
        return widths;
    }

    /** How much wider than {@code room} the columns at {@code widths} are. */
    private static double overflow(Map<TableColumn<ServiceRowViewModel, ?>, Double> widths, double room) {
        return widths.values().stream().mapToDouble(Double::doubleValue).sum() - room;
    }

    /**
     * The wide column's part of {@code rest}, the room the other columns leave to it and
     * {@code next}: when the widest texts of both fit, each gets what its text needs and the wide
     * one 60 % of what is left over; otherwise 60 % of it all.
     */
    private double wideShare(TableColumn<ServiceRowViewModel, ?> wide, TableColumn<ServiceRowViewModel, ?> next, double rest) {
        double wideNeeds = textNeed(wide);
        double nextNeeds = textNeed(next);
        if (wideNeeds > 0 && nextNeeds > 0 && wideNeeds + nextNeeds <= rest) {
            return Math.floor(wideNeeds + (rest - wideNeeds - nextNeeds) * 0.6);
        }
        return Math.floor(rest * 0.6);
    }

    /**
     * The width the widest text of the first {@link #MEASURED_ROWS} rows needs in {@code column},
     * the cell's padding included; 0 before any cell shows, whose font it takes.
     */
    private double textNeed(TableColumn<ServiceRowViewModel, ?> column) {
        return table.lookup(".table-row-cell .table-cell") instanceof Labeled cell ? widestNeed(column, cell, Object::toString) : 0;
    }

    /** The width the widest brief text of {@code column}'s cells needs ({@link BriefTextCell}); 0 for other columns. */
    private double briefNeed(TableColumn<ServiceRowViewModel, ?> column) {
        for (Node node : table.lookupAll(".table-cell")) {
            if (node instanceof BriefTextCell<?> cell && cell.getTableColumn() == column) {
                return widestNeed(column, cell, value -> value instanceof BriefTextCell.Wording wording ? wording.brief() : null);
            }
        }
        return 0;
    }

    /**
     * The width the widest of the first {@link #MEASURED_ROWS} rows' texts needs in {@code cell}, its
     * font and padding, each text being what {@code words} makes of the row's value in
     * {@code column} (null for none); 0 when there is no text.
     */
    private double widestNeed(TableColumn<ServiceRowViewModel, ?> column, Labeled cell, Function<Object, String> words) {
        Text probe = new Text();
        probe.setFont(cell.getFont());
        double widest = 0;
        List<ServiceRowViewModel> items = table.getItems();
        for (int i = 0; i < Math.min(MEASURED_ROWS, items.size()); i++) {
            Object value = column.getCellData(items.get(i));
            String text = value == null ? null : words.apply(value);
            if (text != null) {
                probe.setText(text);
                widest = Math.max(widest, probe.getLayoutBounds().getWidth());
            }
        }
        return widest == 0 ? 0 : Math.ceil(widest + cell.snappedLeftInset() + cell.snappedRightInset() + 2);
    }

    /**
     * The width {@code column}'s header needs to show its text whole, the sort arrow included when
     * the grid is sorted on it; 0 before the header is made.
     */
    private double headerNeed(TableColumn<ServiceRowViewModel, ?> column) {
        for (Node node : table.lookupAll(".column-header")) {
            if (node instanceof TableColumnHeader header && header.getTableColumn() == column
                    && header.lookup(".label") instanceof Labeled label) {
                double need = label.prefWidth(-1) + header.snappedLeftInset() + header.snappedRightInset();
                if (table.getSortOrder().contains(column) && label.getGraphic() == null) {
                    need += SORT_ARROW_ALLOWANCE;
                }
                return Math.ceil(need + 2);
            }
        }
        return 0;
    }

    /** The width the widest text {@code column}'s cells show now needs, the cell's padding included. */
    private double shownTextNeed(TableColumn<ServiceRowViewModel, ?> column) {
        Text probe = new Text();
        double widest = 0;
        for (Node node : table.lookupAll(".table-cell")) {
            if (node instanceof javafx.scene.control.TableCell<?, ?> cell && cell.getTableColumn() == column && !cell.isEmpty()
                    && cell.getText() != null) {
                probe.setFont(cell.getFont());
                probe.setText(cell.getText());
                widest = Math.max(widest, Math.ceil(probe.getLayoutBounds().getWidth() + cell.snappedLeftInset()
                        + cell.snappedRightInset() + 2));
            }
        }
        return widest;
    }

    /**
     * Selects {@code row} and scrolls the grid to it; one hidden by the search or a filter is
     * selected all the same, and its details show.
     */
    private void reveal(ServiceRowViewModel row) {
        if (row == null) {
            return;
        }
        int at = table.getItems().indexOf(row);
        if (at < 0) {
            table.getSelectionModel().clearSelection();
            model.selectedProperty().set(row);
            return;
        }
        table.getSelectionModel().clearAndSelect(at);
        table.getFocusModel().focus(at);
        table.scrollTo(at);
    }

    /** An action's name and keyboard shortcut, as its tooltip's first line. */
    private String actionTitle(Operation operation) {
        KeyCombination shortcut = MainView.SHORTCUTS.get(operation);
        return shortcut == null ? i18n.operation(operation) : i18n.get("action.withShortcut", i18n.operation(operation), shortcut.getDisplayText());
    }

    private void initListeners() {
        subscriptions.onChange(table.getSelectionModel().selectedItemProperty(), (obs, old, row) -> model.selectedProperty().set(row));
        subscriptions.onChange(model.revealProperty(), (obs, old, row) -> reveal(row));
        table.addEventFilter(KeyEvent.KEY_PRESSED, this::tabIntoActions);
    }

    /**
     * Tab from the grid itself goes to the focused row's first enabled action, rather than past
     * the grid: the actions are out of the window's Tab order, nine a row, and were reachable only
     * by their shortcuts. With no row focused, the focused row scrolled out of sight, or none of its
     * actions enabled, Tab leaves the grid as before.
     */
    private void tabIntoActions(KeyEvent event) {
        if (event.getCode() != KeyCode.TAB || event.getTarget() != table || event.isShiftDown() || event.isControlDown()
                || event.isAltDown() || event.isMetaDown()) {
            return;
        }
        int index = table.getFocusModel().getFocusedIndex();
        if (index < 0) {
            index = table.getSelectionModel().getSelectedIndex();
        }
        if (index < 0) {
            return;
        }
        ActionsCell cell = shownActions(index);
        if (cell != null && cell.focusFirstAction()) {
            event.consume();
        }
    }

    /** The actions cell showing row {@code index} now, or null if none does. */
    private ActionsCell shownActions(int index) {
        for (ActionsCell cell : actionCells) {
            if (cell.getIndex() == index && !cell.isEmpty() && cell.isVisible() && cell.getTableRow() != null
                    && cell.getTableRow().isVisible() && cell.getScene() != null) {
                return cell;
            }
        }
        return null;
    }

    private String instancesText(ServiceRowViewModel row) {
        int units = row.getDefinition().units();
        int running = row.instancesProperty().get();
        int throttled = row.throttledProperty().get();
        // A Suspended service's instances are up but refuse messages on purpose: not "running".
        StringBuilder text = new StringBuilder(row.startingProperty().get() > 0
                ? i18n.get("services.instancesStarting", units, running)
                : row.getState() == ServiceState.SUSPENDED ? i18n.get("services.instancesSuspended", units, running)
                : i18n.get("services.instances", units, running));
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
        private static final List<String> STYLES = List.of("state-ok", "state-paused", "state-failed", "state-busy", "last-update");

        /** The tooltip, once the text has been cut. */
        private Tooltip whole;
        /** Says why a service whose state runs no instances shows a dash; made the first time one does. */
        private Tooltip none;
        private boolean showsNone;

        HealthCell() {
            // In a narrow window "last update 12 s ago" is cut; hovered, it says it whole (as FullTextCell
            // does, and like it makes the tooltip only then).
            textTruncatedProperty().addListener((o, was, cut) -> setTooltip(showsNone ? none() : cut ? whole() : null));
        }

        private Tooltip whole() {
            if (whole == null) {
                whole = new Tooltip();
                whole.setShowDelay(Duration.millis(300));
                whole.textProperty().bind(textProperty());
            }
            return whole;
        }

        private Tooltip none() {
            if (none == null) {
                none = new Tooltip(i18n.get("health.NONE.tooltip"));
                none.setShowDelay(Duration.millis(300));
            }
            return none;
        }

        @Override
        protected void updateItem(Health item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll(STYLES);
            showsNone = !empty && item != null && item.lastUpdate().isEmpty() && item.health() == ServiceHealth.NONE;
            setTooltip(showsNone ? none() : isTextTruncated() ? whole() : null);
            setAccessibleText(showsNone ? i18n.get("health.NONE.tooltip") : null);
            if (empty || item == null) {
                setText(null);
                return;
            }
            if (!item.lastUpdate().isEmpty()) {
                setText(item.lastUpdate());
                getStyleClass().add("last-update");
                return;
            }
            // A dash is the same in every language; the tooltip and the accessible text say what it means.
            setText(showsNone ? "\u2014" : i18n.get("health." + item.health().name()));
            switch (item.health()) {
                case OK -> getStyleClass().add("state-ok");
                case WARNING -> getStyleClass().add("state-paused");
                case ERROR -> getStyleClass().add("state-failed");
                case STARTING -> getStyleClass().add("state-busy");
                case NONE -> { }
            }
        }
    }

    /**
     * A grid row that is greyed while its service's host is not connected. It follows its service
     * through a weak listener: a row belongs to the table's skin, which a view made again after a
     * language switch drops without giving the row another item.
     */
    private static final class StaleRow extends TableRow<ServiceRowViewModel> {
        private final ChangeListener<Boolean> pseudoClass = (o, was, stale) -> pseudoClassStateChanged(STALE, stale);
        private final ChangeListener<Boolean> follow = new WeakChangeListener<>(pseudoClass);
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

    /**
     * The Last operation cell's words: the operation, its outcome and when, briefly without the
     * time, and for a failed one why, in the console's language (the host's words for a problem
     * the console does not know).
     */
    private BriefTextCell.Wording lastOperationWording(OperationRecord record) {
        if (record == null) {
            return null;
        }
        String brief = i18n.operation(record.operation()) + " · " + i18n.get("outcome." + record.outcome().name());
        String whole = brief + " · " + time.format(Instant.ofEpochMilli(record.endedMs().orElse(record.startedMs())));
        boolean failed = record.outcome() == Outcome.FAILED || record.outcome() == Outcome.INTERRUPTED;
        return new BriefTextCell.Wording(whole, brief, failed ? ProblemWords.of(record).map(i18n::say).orElse("") : "");
    }

    /**
     * Lets go of the view models: the grid no longer shows the rows nor moves the selection, and
     * keeps no listener on them.
     */
    public void dispose() {
        subscriptions.release();
        table.setItems(javafx.collections.FXCollections.observableArrayList());
        actionCells.forEach(ActionsCell::letGo);
        actionCells.clear();
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    public TableView<ServiceRowViewModel> table() {
        return table;
    }
}
