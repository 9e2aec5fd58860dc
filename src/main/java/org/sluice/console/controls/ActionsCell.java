package org.sluice.console.controls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
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
        for (Operation operation : operations) {
            Button button = new Button(null, Icons.of(operation).create());
            button.getStyleClass().addAll("flat", "action", "action-" + operation.chartName());
            button.setAccessibleText(label.apply(operation));
            button.setFocusTraversable(false);
            StackPane holder = new StackPane(button);
            buttons.add(button);
            holders.add(holder);
            box.getChildren().add(holder);
        }
        // Entering the box comes before the move that entered it reaches the button or its pane,
        // so the tooltips made here see that move and the ones after it.
        box.addEventHandler(MouseEvent.MOUSE_ENTERED, e -> makeTooltips());
        box.getStyleClass().add("actions");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
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
        held = ServiceRowViewModel.moveHold(held, shown);
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
