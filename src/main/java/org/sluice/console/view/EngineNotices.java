package org.sluice.console.view;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

import org.sluice.console.viewmodel.HostsViewModel;

/**
 * One line for each host whose engine is unavailable, with since when and why, above what shows
 * that host's services; nothing while every engine is available. The grid and the dashboard each
 * have one.
 */
final class EngineNotices extends VBox {
    /** The style class of one notice. */
    static final String NOTICE = "engine-notice";

    private final HostsViewModel hosts;

    EngineNotices(HostsViewModel hosts, Subscriptions subscriptions) {
        this.hosts = hosts;
        getStyleClass().add("engine-notices");
        subscriptions.onChange(hosts.engineNotices(), (ListChangeListener<String>) change -> show());
        show();
    }

    private void show() {
        getChildren().setAll(hosts.engineNotices().stream().map(text -> {
            Label notice = new Label(text);
            notice.getStyleClass().add(NOTICE);
            notice.setWrapText(true);
            notice.setMaxWidth(Double.MAX_VALUE);
            return notice;
        }).toList());
        // No room taken while there is nothing to say.
        setManaged(!getChildren().isEmpty());
        setVisible(!getChildren().isEmpty());
    }
}
