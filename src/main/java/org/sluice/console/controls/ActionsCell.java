package org.sluice.console.controls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
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
 */
public final class ActionsCell extends TableCell<ServiceRowViewModel, ServiceRowViewModel> {
    private final List<Operation> operations;
    private final List<Button> buttons = new ArrayList<>();
    private final List<Tooltip> tooltips = new ArrayList<>();
    private final HBox box = new HBox(2);

    private final Function<Operation, String> title;
    /** The row whose commands this cell holds, or null. */
    private ServiceRowViewModel held;

    /**
     * @param label what a screen reader says for an action
     * @param title an action's name and shortcut: its tooltip's first line
     */
    public ActionsCell(List<Operation> operations, Function<Operation, String> label, Function<Operation, String> title) {
        this.operations = List.copyOf(operations);
        this.title = title;
        for (Operation operation : operations) {
            Button button = new Button(null, Icons.of(operation).create());
            button.getStyleClass().addAll("flat", "action", "action-" + operation.chartName());
            button.setAccessibleText(label.apply(operation));
            button.setFocusTraversable(false);
            Tooltip tooltip = new Tooltip();
            tooltip.setShowDelay(Duration.millis(300));
            tooltip.setWrapText(true);
            tooltip.setMaxWidth(360);
            // On the button while it is enabled (a pane's tooltip does not show over an enabled
            // button), on the pane around it while it is disabled.
            button.setTooltip(tooltip);
            StackPane holder = new StackPane(button);
            Tooltip.install(holder, tooltip);
            buttons.add(button);
            tooltips.add(tooltip);
            box.getChildren().add(holder);
        }
        box.getStyleClass().add("actions");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
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
            tooltips.get(i).textProperty().bind(Bindings.concat(title.apply(operations.get(i)), "\n", command.tooltipProperty()));
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
            tooltips.get(i).textProperty().unbind();
            buttons.get(i).setOnAction(null);
        }
    }

    /** The button of {@code operation}, for tests. */
    public Button button(Operation operation) {
        return buttons.get(operations.indexOf(operation));
    }

    /** The tooltip of {@code operation}'s button, for tests. */
    public Tooltip tooltip(Operation operation) {
        return tooltips.get(operations.indexOf(operation));
    }
}
