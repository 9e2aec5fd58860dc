package org.sluice.console.view;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

import org.sluice.console.controls.Icons;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.Notice;
import org.sluice.console.viewmodel.NoticesViewModel;

/**
 * The error the user should see until it is dealt with, in a bar above the tabs. It takes its own
 * room in the layout rather than sliding over the window's content, so the tabs below stay within
 * reach of the mouse while it shows.
 */
public final class NoticeBar extends HBox {
    private final NoticesViewModel notices;
    private final I18n i18n;
    private final Label text = new Label();
    private final Subscriptions subscriptions = new Subscriptions();

    public NoticeBar(NoticesViewModel notices, I18n i18n) {
        this.notices = notices;
        this.i18n = i18n;
        createView();
        initListeners();
    }

    private void createView() {
        setId("notice-bar");
        getStyleClass().add("notice-bar");
        text.setId("notice-text");
        text.setGraphic(Icons.STATE_FAILED.create());
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button close = new Button(null, Icons.CLOSE.create());
        close.setId("notice-close");
        close.getStyleClass().add("flat");
        close.setAccessibleText(i18n.get("notice.close"));
        close.setTooltip(new Tooltip(i18n.get("notice.close")));
        close.setOnAction(e -> notices.dismiss());
        getChildren().setAll(text, close);
        show(notices.alertProperty().get());
    }

    private void initListeners() {
        subscriptions.onChange(notices.alertProperty(), (o, was, alert) -> show(alert));
    }

    private void show(Notice alert) {
        text.setText(alert == null ? "" : alert.text());
        setVisible(alert != null);
        setManaged(alert != null);
    }

    /** Stops following the notices. */
    public void dispose() {
        subscriptions.release();
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    /** True while an error shows. */
    public boolean isShowing() {
        return isVisible();
    }

    /** The error shown, or empty. */
    public String getText() {
        return text.getText();
    }
}
