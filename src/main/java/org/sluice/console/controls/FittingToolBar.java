package org.sluice.console.controls;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.ToolBar;

/**
 * A tool bar that keeps its items on the bar rather than in its overflow menu: while it is too
 * narrow for all of them with their labels, the buttons named at construction show their icons
 * alone, and their labels come back once there is room for them again. Such a button keeps its text
 * (a screen reader still says it) and should have a tooltip that names it.
 *
 * <p>The room needed is what the bar's skin measures to decide on an overflow: the sum of the
 * items' preferred widths and the spacing between them. A shortened button counts with the width it
 * had with its label, measured the last time it showed it, so that the bar does not go back and
 * forth between the two at one width.
 */
public final class FittingToolBar extends ToolBar {
    private final List<ButtonBase> shortenable;
    private final Map<ButtonBase, ContentDisplay> labelled = new IdentityHashMap<>();
    private final Map<ButtonBase, Double> widthWithLabel = new IdentityHashMap<>();
    private boolean shortened;

    /** @param shortenable the buttons that give up their labels first, each among {@code items} */
    public FittingToolBar(List<? extends ButtonBase> shortenable, Node... items) {
        super(items);
        this.shortenable = List.copyOf(shortenable);
        for (ButtonBase button : this.shortenable) {
            labelled.put(button, button.getContentDisplay());
        }
    }

    /** True while the buttons show their icons alone. */
    public boolean isShortened() {
        return shortened;
    }

    @Override
    protected void layoutChildren() {
        fit();
        super.layoutChildren();
    }

    private void fit() {
        if (getSkin() == null || getWidth() <= 0) {
            return;
        }
        double needed = prefWidth(-1);
        for (ButtonBase button : shortenable) {
            if (!button.isManaged()) {
                continue;
            }
            double now = button.prefWidth(-1);
            if (button.getContentDisplay() == ContentDisplay.GRAPHIC_ONLY) {
                needed += widthWithLabel.getOrDefault(button, now) - now;
            } else {
                widthWithLabel.put(button, now);
            }
        }
        boolean shorten = needed > getWidth();
        if (shorten == shortened) {
            return;
        }
        shortened = shorten;
        for (ButtonBase button : shortenable) {
            button.setContentDisplay(shorten ? ContentDisplay.GRAPHIC_ONLY : labelled.get(button));
        }
    }
}
