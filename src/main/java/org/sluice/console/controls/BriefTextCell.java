package org.sluice.console.controls;

import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import javafx.util.Duration;

/**
 * A grid cell that says its whole text where the column has room for it and a brief form of it
 * where it has not, rather than cutting the whole one: "Restart · Failed · 11:18:54 PM" in a
 * wide column, "Restart · Failed" in a narrow one. Hovered, it says the whole text, and what
 * more there is to say (why an operation failed), whenever the cell does not show it all.
 */
public final class BriefTextCell<S> extends TableCell<S, BriefTextCell.Wording> {
    /**
     * What a cell of this kind says.
     *
     * @param whole the whole text
     * @param brief the text when the whole one does not fit; never longer than it
     * @param more  more to say on hover, on lines of its own (a failure's reason), or empty
     */
    public record Wording(String whole, String brief, String more) {
        /** The whole text, which is what the grid measures a column's texts by. */
        @Override
        public String toString() {
            return whole;
        }
    }

    private final Text probe = new Text();
    /** The tooltip, once there was something to say in one. */
    private Tooltip hover;

    public BriefTextCell() {
        setTextOverrun(OverrunStyle.ELLIPSIS);
    }

    @Override
    protected void updateItem(Wording item, boolean empty) {
        super.updateItem(item, empty);
        fit();
    }

    @Override
    protected void layoutChildren() {
        fit();
        super.layoutChildren();
    }

    /** The width {@code text} needs in this cell, its padding included. */
    private double need(String text) {
        probe.setFont(getFont());
        probe.setText(text);
        return Math.ceil(probe.getLayoutBounds().getWidth() + snappedLeftInset() + snappedRightInset() + 2);
    }

    /** Shows the whole text when it fits the cell's width now, the brief one otherwise. */
    private void fit() {
        Wording item = isEmpty() ? null : getItem();
        if (item == null) {
            setText(null);
            setTooltip(null);
            return;
        }
        boolean whole = getWidth() <= 0 || need(item.whole()) <= getWidth();
        String shown = whole ? item.whole() : item.brief();
        if (!shown.equals(getText())) {
            setText(shown);
        }
        String said = item.more().isEmpty() ? (whole ? "" : item.whole()) : item.whole() + "\n" + item.more();
        if (said.isEmpty()) {
            setTooltip(null);
        } else {
            if (hover == null) {
                hover = new Tooltip();
                hover.setShowDelay(Duration.millis(300));
                hover.setWrapText(true);
                hover.setMaxWidth(560);
            }
            hover.setText(said);
            if (getTooltip() != hover) {
                setTooltip(hover);
            }
        }
    }
}
