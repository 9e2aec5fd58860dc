package org.sluice.console.view;

import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.console.controls.Icons;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.ThrottleNoticeViewModel;

/**
 * The throttle notification, one line in the window's own layout just above the status line: it
 * takes its room from the content instead of covering it, so the dashboard's events list and the
 * tabs stay in sight and within reach while it shows. It names the instance (a flapping one's count
 * goes on in the same line), offers Show, which goes to the instance on the dashboard, and a close
 * button; {@link ThrottleNoticeViewModel} says when it shows.
 *
 * <p>It replaces a popup window over the bottom right of the console's, which at 900 × 600 covered
 * the dashboard's events list until it was closed (issue 12, decision 0041).
 */
public final class ThrottleNotificationBar extends HBox {
    private static final PseudoClass FLAPPING = PseudoClass.getPseudoClass("flapping");

    private final ThrottleNoticeViewModel model;
    private final I18n i18n;
    private final Runnable showDashboard;
    private final FontIcon icon = Icons.THROTTLED.create();
    private final Label text = new Label();
    private final Subscriptions subscriptions = new Subscriptions();
    /** Set while the line's words change from some to others, which changes nothing of its height. */
    private boolean newWords;

    /** @param showDashboard brings the dashboard's tab forward */
    public ThrottleNotificationBar(ThrottleNoticeViewModel model, I18n i18n, Runnable showDashboard) {
        this.model = model;
        this.i18n = i18n;
        this.showDashboard = showDashboard;
        createView();
        initListeners();
    }

    private void createView() {
        setId("throttle-notice");
        getStyleClass().add("throttle-notice");
        text.setId("throttle-notice-text");
        text.getStyleClass().add("throttle-notice-text");
        text.setGraphic(icon);
        // One line whatever the window's width: the events list has the rest.
        text.setTextOverrun(OverrunStyle.ELLIPSIS);
        text.setMaxWidth(Double.MAX_VALUE);
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button show = new Button(i18n.get("dashboard.notice.show"));
        show.setId("throttle-notice-show");
        show.setTooltip(new Tooltip(i18n.get("dashboard.notice.showTip")));
        show.setOnAction(e -> {
            model.showInstance();
            showDashboard.run();
        });
        Button close = new Button(null, Icons.CLOSE.create());
        close.setId("throttle-notice-close");
        close.getStyleClass().add("flat");
        close.setAccessibleText(i18n.get("dashboard.notice.close"));
        close.setTooltip(new Tooltip(i18n.get("dashboard.notice.close")));
        close.setOnAction(e -> model.close());
        getChildren().setAll(text, show, close);
    }

    private void initListeners() {
        text.setText(model.textProperty().get());
        subscriptions.onChange(model.textProperty(), (o, was, now) -> say(was, now));
        subscriptions.bind(visibleProperty(), model.shownProperty());
        subscriptions.bind(managedProperty(), model.shownProperty());
        subscriptions.onChange(model.flappingProperty(), (o, was, flapping) -> flapping(flapping));
        flapping(model.flappingProperty().get());
    }

    /**
     * A flapping instance's count goes on at each entry ("throttled 12 times in 40 s"), and a label
     * whose text changes asks its parents for a layout up to the window's root, which laid the whole
     * window out again for it (issue 12, a flapping instance's pulses). The line is one line whatever
     * its words, cut with an ellipsis, so new words in place of others need only the line's own
     * children placed again; from none to some, or back, the window is asked as before.
     */
    private void say(String was, String now) {
        newWords = was != null && !was.isEmpty() && now != null && !now.isEmpty();
        try {
            text.setText(now);
        } finally {
            newWords = false;
        }
    }

    @Override
    public void requestLayout() {
        if (newWords) {
            setNeedsLayout(true);
        } else {
            super.requestLayout();
        }
    }

    private void flapping(boolean flapping) {
        pseudoClassStateChanged(FLAPPING, flapping);
        icon.setIconCode((flapping ? Icons.FLAPPING : Icons.THROTTLED).ikon());
    }

    /** Stops following the view model: after a language switch the new view's bar does. */
    public void dispose() {
        subscriptions.release();
    }

    int subscriptionCount() {
        return subscriptions.size();
    }
}
