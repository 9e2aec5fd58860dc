package org.sluice.console.controls;

import java.util.function.Function;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.layout.HBox;

import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.lifecycle.ServiceState;

/**
 * A service's state in the grid: icon, colour and label, with a spinning indicator while an
 * operation runs. Its nodes are made once; {@code updateItem} only changes their content.
 */
public final class StateCell<S> extends TableCell<S, ServiceState> {
    private static final String[] STATE_CLASSES = {"state-ok", "state-off", "state-paused", "state-failed", "state-busy"};

    private final Function<ServiceState, String> label;
    private final FontIcon icon = new FontIcon();
    private final Label text = new Label();
    private final ProgressIndicator progress = new ProgressIndicator();
    private final HBox box = new HBox(6, icon, text, progress);

    public StateCell(Function<ServiceState, String> label) {
        this.label = label;
        progress.setPrefSize(14, 14);
        progress.setMaxSize(14, 14);
        box.getStyleClass().add("state-cell");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(ServiceState state, boolean empty) {
        super.updateItem(state, empty);
        if (empty || state == null) {
            setGraphic(null);
            return;
        }
        icon.setIconCode(Icons.of(state).ikon());
        text.setText(label.apply(state));
        box.getStyleClass().removeAll(STATE_CLASSES);
        box.getStyleClass().add(Icons.styleClass(state));
        boolean busy = state.isTransitional();
        progress.setVisible(busy);
        progress.setManaged(busy);
        setGraphic(box);
    }
}
