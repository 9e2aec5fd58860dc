package org.sluice.console.view;

import java.util.HashSet;
import java.util.Set;

import javafx.animation.PauseTransition;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.PopupWindow;
import javafx.stage.Window;
import javafx.util.Duration;
import javafx.util.Subscription;

import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.console.controls.Icons;
import org.sluice.console.viewmodel.DashboardViewModel;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.ThrottleAlert;

/**
 * The notification over the console's window when an instance becomes throttled or flaps,
 * whichever tab is shown and whether or not the dashboard was ever opened.
 *
 * <p>There is one popup, made once and reused for every alert: a new alert changes its words and
 * shows it again, and a flapping instance's alert that counts on changes the words on screen. A
 * popup window per alert (ControlsFX's notifications, used before) cost every crossing a native
 * window, a scene, CSS and two animations, and took the pulse's p99 from 7 to 34 ms
 * ({@code docs/perf.md}, F2). Alerts of several instances within the time one shows collapse into
 * one that says the events list has them. Closed by the user, a flapping instance's notification
 * stays closed while that instance goes on flapping.
 */
public final class ThrottleNotifications {
    /** How long a notification stays after its last change. */
    static final Duration SHOWN_FOR = Duration.seconds(5);
    private static final PseudoClass FLAPPING = PseudoClass.getPseudoClass("flapping");

    private final I18n i18n;
    private final Node anchor;
    private final Popup popup = new Popup();
    private final VBox content = new VBox(4);
    private final Label title = new Label();
    private final Label text = new Label();
    private final FontIcon icon = Icons.THROTTLED.create();
    private final PauseTransition hideLater = new PauseTransition(SHOWN_FOR);
    /** The instances whose alerts came while the popup showed: more than one makes it a summary. */
    private final Set<String> shownInstances = new HashSet<>();
    /** The alert shown last, and the one the user closed: its counting on does not bring it back. */
    private long shownId = -1;
    private long closedId = -1;

    private ThrottleNotifications(I18n i18n, Node anchor) {
        this.i18n = i18n;
        this.anchor = anchor;
        createView();
    }

    /**
     * Shows the alerts of {@code model} over the window {@code anchor} is in, while it shows, until
     * the answer is unsubscribed: then the popup closes and no alert reaches it.
     */
    public static Subscription follow(DashboardViewModel model, I18n i18n, Node anchor) {
        ThrottleNotifications notifications = new ThrottleNotifications(i18n, anchor);
        ChangeListener<ThrottleAlert> listener = (o, before, alert) -> {
            if (alert != null) {
                notifications.show(alert);
            }
        };
        model.latestAlertProperty().addListener(listener);
        return () -> {
            model.latestAlertProperty().removeListener(listener);
            notifications.hide();
        };
    }

    private void createView() {
        content.getStyleClass().add("throttle-notification");
        content.setPadding(new Insets(10, 12, 12, 14));
        content.setPrefWidth(380);
        content.setMaxWidth(380);
        title.getStyleClass().add("throttle-notification-title");
        title.setGraphic(icon);
        text.getStyleClass().add("throttle-notification-text");
        text.setWrapText(true);
        Button close = new Button(null, Icons.CLOSE.create());
        close.getStyleClass().addAll("flat", "throttle-notification-close");
        close.setOnAction(e -> {
            closedId = shownId;
            hide();
        });
        BorderPane header = new BorderPane(null, null, close, null, title);
        content.getChildren().setAll(header, text);
        popup.getContent().add(content);
        popup.setAutoFix(true);
        popup.setAutoHide(false);
        popup.setHideOnEscape(false);
        popup.setAnchorLocation(PopupWindow.AnchorLocation.WINDOW_BOTTOM_RIGHT);
        hideLater.setOnFinished(e -> hide());
    }

    private void show(ThrottleAlert alert) {
        Window window = anchor.getScene() == null ? null : anchor.getScene().getWindow();
        if (window == null || !window.isShowing()) {
            return;
        }
        if (alert.id() == closedId) {
            return;
        }
        shownId = alert.id();
        boolean showing = popup.isShowing();
        if (!showing) {
            shownInstances.clear();
        }
        // A flapping instance's earlier alerts are its own: only another instance makes a summary.
        shownInstances.add(alert.instanceKey());
        boolean several = shownInstances.size() > 1;
        if (several) {
            title.setText(i18n.get("dashboard.alert.many"));
            text.setText(alert.text() + "\n" + i18n.get("dashboard.alert.manyText"));
        } else {
            title.setText(alert.title());
            text.setText(alert.text());
        }
        boolean flapping = alert.flapping() && !several;
        content.pseudoClassStateChanged(FLAPPING, flapping);
        icon.setIconCode((flapping ? Icons.FLAPPING : Icons.THROTTLED).ikon());
        if (!showing) {
            // The theme is the application's; the console's own stylesheet is its scene's.
            content.getStylesheets().setAll(window.getScene().getStylesheets());
            popup.show(window, window.getX() + window.getWidth() - 16, window.getY() + window.getHeight() - 16);
        }
        hideLater.playFromStart();
    }

    private void hide() {
        hideLater.stop();
        popup.hide();
        shownInstances.clear();
    }

}
