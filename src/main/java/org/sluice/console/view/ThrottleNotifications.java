package org.sluice.console.view;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.stage.Popup;
import javafx.stage.Window;
import javafx.util.Duration;

import org.controlsfx.control.Notifications;
import org.sluice.console.viewmodel.DashboardViewModel;
import org.sluice.console.viewmodel.I18n;

/**
 * A notification over the console's window each time an instance becomes throttled, naming the
 * instance and the cause, whichever tab is shown and whether or not the dashboard was ever opened.
 */
public final class ThrottleNotifications {
    /** Marks a notification bar that {@link #keepNotificationsUncached} has seen. */
    private static final Object UNCACHED = new Object();

    private ThrottleNotifications() {
    }

    /** Shows the alerts of {@code model} over the window {@code anchor} is in, while it shows. */
    public static void follow(DashboardViewModel model, I18n i18n, Node anchor) {
        model.latestAlertProperty().addListener((o, a, alert) -> {
            Window window = anchor.getScene() == null ? null : anchor.getScene().getWindow();
            if (alert != null && window != null && window.isShowing()) {
                // Beyond two at once, the notifications collapse into one that says how many.
                Notifications.create().owner(window).title(i18n.get("dashboard.alert.title"))
                        .text(alert.text()).hideAfter(Duration.seconds(5)).position(Pos.BOTTOM_RIGHT)
                        .threshold(2, Notifications.create().title(i18n.get("dashboard.alert.many"))
                                .text(i18n.get("dashboard.alert.manyText")))
                        .showWarning();
                keepNotificationsUncached(window);
            }
        });
    }

    /**
     * Keeps the notification bars shown over {@code owner} from caching themselves as a bitmap.
     * ControlsFX's NotificationBar turns caching on for itself when its show animation starts and,
     * when the animation ends, turns it off on its inner pane instead, so every notification
     * popup closed with its bitmap still checked out of JavaFX's image pool: about 170 KB a
     * notification that stayed in the heap (held softly, so a full GC kept it).
     */
    private static void keepNotificationsUncached(Window owner) {
        for (Window window : Window.getWindows()) {
            if (window instanceof Popup popup && popup.getOwnerWindow() == owner) {
                for (Node node : popup.getContent()) {
                    if (node.getStyleClass().contains("notification-bar") && node.getProperties().putIfAbsent(UNCACHED, Boolean.TRUE) == null) {
                        node.setCache(false);
                        node.cacheProperty().addListener((o, was, cached) -> {
                            if (cached) {
                                node.setCache(false);
                            }
                        });
                    }
                }
            }
        }
    }
}
