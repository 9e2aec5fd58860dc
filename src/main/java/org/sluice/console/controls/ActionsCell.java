package org.sluice.console.controls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.scene.TraversalDirection;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Font;
import javafx.util.Duration;

import org.sluice.console.viewmodel.OperationCommand;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.lifecycle.Operation;

/**
 * The nine chart actions of one service row. Each button's {@code disable} is bound to its
 * command's {@code executable} and nothing else. Each button's tooltip names the action and its
 * shortcut, then says what it does, or why it is disabled and the way out. A disabled control gets
 * no mouse events, so the tooltip is also installed on a small pane around the button.
 *
 * <p>The tooltips are made when the pointer first comes over the cell, not with the cell: the
 * grid's first frame makes a cell for every row in sight, and nine tooltips each (a popup window
 * with a scene of its own apiece) were a good part of what that frame cost. Until then what a
 * tooltip would say is the button's accessible help, so a screen reader hears it all the same; the
 * tooltip, once made, shows that text.
 *
 * <p>Each button draws its icon as one glyph of the icon font, its text, rather than with an icon
 * node of its own: a row's actions are nine labels' worth of nodes, not nine icons more.
 *
 * <p>The buttons are left out of the window's Tab order, which would otherwise pass through nine
 * buttons a row. The grid hands the focus to the focused row's first enabled action
 * ({@link #focusFirstAction()}); from there Tab and Shift+Tab move between that row's enabled
 * actions, Enter or Space runs the focused one, and Escape, or Shift+Tab from the first, gives the
 * focus back to the grid, whose selection has not moved.
 */
public final class ActionsCell extends TableCell<ServiceRowViewModel, ServiceRowViewModel> {
    private final List<Operation> operations;
    private final List<Button> buttons = new ArrayList<>();
    private final List<StackPane> holders = new ArrayList<>();
    /** Each button's tooltip, or null until the pointer first comes over the cell. */
    private final Tooltip[] tooltips;
    /** Each action's name and shortcut: its tooltip's first line. */
    private final List<String> titles;
    private final HBox box = new HBox(2);
    /** The glyphs' size, that of the icons they stand for. */
    private static final double GLYPH_SIZE = 16;

    /** The row whose commands this cell holds, or null. */
    private ServiceRowViewModel held;

    /**
     * @param label what a screen reader says for an action
     * @param title an action's name and shortcut: its tooltip's first line
     */
    public ActionsCell(List<Operation> operations, Function<Operation, String> label, Function<Operation, String> title) {
        this.operations = List.copyOf(operations);
        this.titles = this.operations.stream().map(title).toList();
        this.tooltips = new Tooltip[this.operations.size()];
        Font glyphs = Font.font(Icons.fontFamily(), GLYPH_SIZE);
        for (Operation operation : operations) {
            Button button = new Button(Icons.of(operation).glyph());
            button.setFont(glyphs);
            button.setMnemonicParsing(false);
            // A squeezed button would show "…" in place of its icon.
            button.setMinWidth(Region.USE_PREF_SIZE);
            button.getStyleClass().addAll("flat", "action", "action-" + operation.chartName());
            button.setAccessibleText(label.apply(operation));
            button.setFocusTraversable(false);
            button.disabledProperty().addListener((o, was, disabled) -> {
                if (disabled && button.isFocused()) {
                    moveFocusOn(button);
                }
            });
            StackPane holder = new StackPane(button);
            buttons.add(button);
            holders.add(holder);
            box.getChildren().add(holder);
        }
        // Entering the box comes before the move that entered it reaches the button or its pane,
        // so the tooltips made here see that move and the ones after it.
        box.addEventHandler(MouseEvent.MOUSE_ENTERED, e -> makeTooltips());
        box.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
        box.getStyleClass().add("actions");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    /**
     * Gives the focus to the first action of the row that is enabled now.
     *
     * @return false when no action of the row is enabled, or the cell shows no row: the focus has
     *         not moved
     */
    public boolean focusFirstAction() {
        if (getGraphic() == null) {
            return false;
        }
        for (Button button : buttons) {
            if (!button.isDisabled()) {
                button.requestFocus();
                return true;
            }
        }
        return false;
    }

    /** Tab, Shift+Tab, Enter and Escape while one of the row's actions has the focus. */
    private void keyPressed(KeyEvent event) {
        int focused = focusedButton();
        if (focused < 0) {
            return;
        }
        if (event.getCode() == KeyCode.TAB && !event.isControlDown() && !event.isAltDown() && !event.isMetaDown()) {
            event.consume();
            int step = event.isShiftDown() ? -1 : 1;
            Button next = enabledFrom(focused + step, step);
            if (next != null) {
                next.requestFocus();
            } else if (event.isShiftDown()) {
                backToGrid();
            } else if (getTableView() != null) {
                // Past the row's last action: on to what follows the grid, as Tab from the grid would go.
                getTableView().requestFocusTraversal(TraversalDirection.NEXT);
            }
        } else if (event.getCode() == KeyCode.ESCAPE) {
            event.consume();
            backToGrid();
        } else if (event.getCode() == KeyCode.ENTER && !event.isShortcutDown() && !event.isAltDown()) {
            // Space runs a focused button already; Enter runs only a default one, unless told.
            event.consume();
            buttons.get(focused).fire();
        }
    }

    /** The index of the button that has the focus, or -1. */
    private int focusedButton() {
        for (int i = 0; i < buttons.size(); i++) {
            if (buttons.get(i).isFocused()) {
                return i;
            }
        }
        return -1;
    }

    /** The first enabled button from {@code index} on in the direction of {@code step}, or null. */
    private Button enabledFrom(int index, int step) {
        for (int i = index; i >= 0 && i < buttons.size(); i += step) {
            if (!buttons.get(i).isDisabled()) {
                return buttons.get(i);
            }
        }
        return null;
    }

    /**
     * The focused action was just disabled (it ran, and the service is on its way): the focus
     * goes to the row's next enabled action, or the one before, or back to the grid.
     */
    private void moveFocusOn(Button disabled) {
        int index = buttons.indexOf(disabled);
        Button next = enabledFrom(index + 1, 1);
        if (next == null) {
            next = enabledFrom(index - 1, -1);
        }
        if (next != null) {
            next.requestFocus();
        } else {
            backToGrid();
        }
    }

    private void backToGrid() {
        TableView<ServiceRowViewModel> table = getTableView();
        if (table != null) {
            table.requestFocus();
        }
    }

    private void makeTooltips() {
        if (tooltips[0] != null) {
            return;
        }
        for (int i = 0; i < tooltips.length; i++) {
            Tooltip tooltip = new Tooltip();
            tooltip.setShowDelay(Duration.millis(300));
            tooltip.setWrapText(true);
            tooltip.setMaxWidth(360);
            tooltip.textProperty().bind(buttons.get(i).accessibleHelpProperty());
            // On the button while it is enabled (a pane's tooltip does not show over an enabled
            // button), on the pane around it while it is disabled.
            buttons.get(i).setTooltip(tooltip);
            Tooltip.install(holders.get(i), tooltip);
            tooltips[i] = tooltip;
        }
    }

    /**
     * Binds the buttons to the row's commands. The cell holds the row's commands while it shows
     * the row and lets them go when it is given another row or none: a recycled cell is how a row
     * scrolled out of sight gives back what its commands cost.
     */
    @Override
    protected void updateItem(ServiceRowViewModel row, boolean empty) {
        super.updateItem(row, empty);
        unbindButtons();
        ServiceRowViewModel shown = empty ? null : row;
        // The cell is given another row (the grid scrolled or was sorted) while one of its actions
        // has the focus: that focus would now act on a row the operator did not choose.
        boolean focusElsewhere = shown != held && focusedButton() >= 0;
        held = ServiceRowViewModel.moveHold(held, shown);
        if (focusElsewhere) {
            backToGrid();
        }
        if (shown == null) {
            setGraphic(null);
            return;
        }
        for (int i = 0; i < buttons.size(); i++) {
            OperationCommand command = row.command(operations.get(i));
            buttons.get(i).disableProperty().bind(command.executableProperty().not());
            buttons.get(i).accessibleHelpProperty().bind(Bindings.concat(titles.get(i), "\n", command.tooltipProperty()));
            buttons.get(i).setOnAction(e -> command.execute());
        }
        setGraphic(box);
    }

    /**
     * Lets go of the row's commands now, as for a grid that is let go of before it is laid out
     * again (a language switch): it would otherwise hold them for as long as the row lives.
     */
    public void letGo() {
        unbindButtons();
        held = ServiceRowViewModel.moveHold(held, null);
        setGraphic(null);
    }

    private void unbindButtons() {
        for (int i = 0; i < buttons.size(); i++) {
            buttons.get(i).disableProperty().unbind();
            buttons.get(i).accessibleHelpProperty().unbind();
            buttons.get(i).setOnAction(null);
        }
    }

    /** The button of {@code operation}, for tests. */
    public Button button(Operation operation) {
        return buttons.get(operations.indexOf(operation));
    }

    /**
     * The tooltip of {@code operation}'s button, for tests; made now if the pointer has not been
     * over the cell yet. On the JavaFX thread.
     */
    public Tooltip tooltip(Operation operation) {
        makeTooltips();
        return tooltips[operations.indexOf(operation)];
    }
}
