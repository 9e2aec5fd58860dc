package org.sluice.console.controls;

import java.util.function.Function;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.console.viewmodel.StateSummary;
import org.sluice.lifecycle.ServiceState;

/**
 * A service's state in the grid: icon, colour and label, with a spinning indicator while an
 * operation runs, and a badge when role instances are throttled (red) or flapping (amber), such
 * as "1 of 2 throttled": a service can be Active and still refuse messages. In a column too
 * narrow for the badge's words beside the state's, the badge says its figures alone ("1/2"), and
 * its tooltip the words. Its nodes are made once; {@code updateItem} only changes their content,
 * and their style classes only when they differ.
 */
public final class StateCell<S> extends TableCell<S, StateSummary> {
    private static final String[] STATE_CLASSES = {"state-ok", "state-off", "state-paused", "state-failed", "state-busy"};
    private static final String[] BADGE_CLASSES = {"badge-throttled", "badge-flapping"};

    private final Function<ServiceState, String> label;
    private final FontIcon icon = new FontIcon();
    private final Label text = new Label();
    private final ProgressIndicator progress = new ProgressIndicator(0);
    private final FontIcon badgeIcon = new FontIcon();
    private final Label badge = new Label(null, badgeIcon);
    /** The badge's tooltip, made the first time the cell shows a badge: most rows never have one. */
    private Tooltip badgeTip;
    private final HBox box = new HBox(6, icon, text, progress, badge);
    /** What the cell shows while it has a badge; null while it has none. */
    private StateSummary marked;
    /** Measures the badge's words in its font, whichever form it shows. */
    private final Text measure = new Text();

    public StateCell(Function<ServiceState, String> label) {
        this.label = label;
        progress.setPrefSize(14, 14);
        progress.setMaxSize(14, 14);
        text.getStyleClass().add("state-text");
        // In a narrow column the state keeps its words and the badge gives way (its tooltip has them all).
        text.setMinWidth(Region.USE_PREF_SIZE);
        progress.setMinWidth(Region.USE_PREF_SIZE);
        badge.getStyleClass().add("state-badge");
        badge.setMinWidth(0);
        box.getStyleClass().add("state-cell");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(StateSummary summary, boolean empty) {
        super.updateItem(summary, empty);
        if (empty || summary == null) {
            setGraphic(null);
            return;
        }
        ServiceState state = summary.state();
        icon.setIconCode(Icons.of(state).ikon());
        text.setText(label.apply(state));
        styleClass(box, STATE_CLASSES, Icons.styleClass(state));
        boolean busy = state.isTransitional();
        progress.setVisible(busy);
        progress.setManaged(busy);
        // Hidden is not enough: an indeterminate indicator keeps its animation running, in every row.
        progress.setProgress(busy ? ProgressIndicator.INDETERMINATE_PROGRESS : 0);
        boolean marked = summary.mark() != StateSummary.Mark.NONE;
        badge.setVisible(marked);
        badge.setManaged(marked);
        this.marked = marked ? summary : null;
        if (!marked) {
            styleClass(badge, BADGE_CLASSES, null);
        } else {
            boolean flapping = summary.mark() == StateSummary.Mark.FLAPPING;
            fitBadge();
            if (badgeTip == null) {
                badgeTip = new Tooltip();
                badge.setTooltip(badgeTip);
            }
            badgeTip.setText(summary.badge());
            styleClass(badge, BADGE_CLASSES, flapping ? "badge-flapping" : "badge-throttled");
            badgeIcon.setIconCode((flapping ? Icons.FLAPPING : Icons.THROTTLED).ikon());
        }
        setGraphic(box);
    }

    @Override
    protected void layoutChildren() {
        // Before the box is laid out: the badge's form follows the room the cell has now.
        fitBadge();
        super.layoutChildren();
    }

    /** The badge's words when they fit beside the state's in the cell's width, else its figures. */
    private void fitBadge() {
        if (marked == null) {
            return;
        }
        double room = getWidth() - snappedLeftInset() - snappedRightInset() - box.snappedLeftInset() - box.snappedRightInset()
                - icon.prefWidth(-1) - box.getSpacing() - text.prefWidth(-1) - box.getSpacing()
                - (progress.isManaged() ? progress.prefWidth(-1) + box.getSpacing() : 0);
        // Before the cell has a width, the words: the first layout decides.
        String wanted = getWidth() <= 0 || badgeWidth(marked.badge()) <= room ? marked.badge() : marked.compact();
        if (!wanted.equals(badge.getText())) {
            badge.setText(wanted);
        }
    }

    /** How wide the badge is with {@code words}: its icon, the gap, the words in its font and its padding. */
    private double badgeWidth(String words) {
        measure.setFont(badge.getFont());
        measure.setText(words);
        return Math.ceil(measure.getLayoutBounds().getWidth()) + badge.getGraphicTextGap() + badgeIcon.prefWidth(-1)
                + badge.snappedLeftInset() + badge.snappedRightInset();
    }

    /**
     * Gives {@code node} the one of {@code classes} named {@code wanted} (none when null), changing
     * its style classes only when they differ: each change has the node and its children styled
     * again on the next pulse, and a row's throttle count moves far more often than its state.
     */
    private static void styleClass(javafx.scene.Node node, String[] classes, String wanted) {
        var styleClasses = node.getStyleClass();
        boolean others = false;
        for (String name : classes) {
            if (!name.equals(wanted) && styleClasses.contains(name)) {
                others = true;
                break;
            }
        }
        if (others) {
            styleClasses.removeAll(classes);
        }
        if (wanted != null && !styleClasses.contains(wanted)) {
            styleClasses.add(wanted);
        }
    }
}
