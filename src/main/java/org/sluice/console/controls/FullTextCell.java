package org.sluice.console.controls;

import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/**
 * A grid cell of text that says its whole text in a tooltip while the column is too narrow for it,
 * and has no tooltip while the text fits: a tooltip that repeats what is already read is noise. The
 * tooltip is made the first time the text is cut: the grid's first frame makes two of these cells
 * a row, and most of them are never cut.
 */
public final class FullTextCell<S> extends TableCell<S, String> {
    /** The tooltip, once the text has been cut. */
    private Tooltip whole;

    /** @param overrun where the text gives way when cut, e.g. at its start for addresses that share it */
    public FullTextCell(OverrunStyle overrun) {
        setTextOverrun(overrun);
        textTruncatedProperty().addListener((o, was, cut) -> setTooltip(cut ? whole() : null));
    }

    private Tooltip whole() {
        if (whole == null) {
            whole = new Tooltip();
            whole.setShowDelay(Duration.millis(300));
            whole.setWrapText(true);
            whole.setMaxWidth(560);
            whole.textProperty().bind(textProperty());
        }
        return whole;
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty ? null : item);
    }
}
