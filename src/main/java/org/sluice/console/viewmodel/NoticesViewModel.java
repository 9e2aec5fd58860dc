package org.sluice.console.viewmodel;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.ServiceExistsException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;

/**
 * What the console has told the user. The view models that act for the user post their notices
 * here; the main view shows the latest in the status line, and the {@linkplain #alertProperty()
 * alert}, the last error, in the bar over the tabs until a success about the same thing (a service,
 * or a host that is connected again) makes it old news.
 */
public final class NoticesViewModel {
    /** Notices kept; a console left open for days must not keep every one. */
    static final int MAX_NOTICES = 200;

    private final I18n i18n;
    private final ObservableList<Notice> notices = FXCollections.observableArrayList();
    private final ObservableList<Notice> readOnlyNotices = FXCollections.unmodifiableObservableList(notices);
    private final ReadOnlyObjectWrapper<Notice> latest = new ReadOnlyObjectWrapper<>(this, "latest");
    private final ReadOnlyObjectWrapper<Notice> alert = new ReadOnlyObjectWrapper<>(this, "alert");
    /** What the alert is about: a service's name, {@code host:NAME}, or null for the console. */
    private String alertTopic;

    public NoticesViewModel(I18n i18n) {
        this.i18n = i18n;
    }

    /** Everything the user was told, newest last; only the last 200 are kept. */
    public ObservableList<Notice> all() {
        return readOnlyNotices;
    }

    /** The notice posted last, or {@code null} before the first. */
    public ReadOnlyObjectProperty<Notice> latestProperty() {
        return latest.getReadOnlyProperty();
    }

    /** The error the user should see until it is dealt with, or {@code null}. */
    public ReadOnlyObjectProperty<Notice> alertProperty() {
        return alert.getReadOnlyProperty();
    }

    /** The user has read the alert and closed it. */
    public void dismiss() {
        alertTopic = null;
        alert.set(null);
    }

    /** Tells the user something, about {@code service} or, when it is {@code null}, about the console. */
    void post(Notice.Kind kind, String service, String text) {
        post(kind, service, service, text);
    }

    /** Tells the user something about a host's connection. */
    void postAboutHost(Notice.Kind kind, String host, String text) {
        post(kind, null, "host:" + host, text);
    }

    private void post(Notice.Kind kind, String service, String topic, String text) {
        Notice notice = new Notice(kind, service, text);
        notices.add(notice);
        if (notices.size() > MAX_NOTICES) {
            notices.remove(0, notices.size() - MAX_NOTICES);
        }
        latest.set(notice);
        if (kind == Notice.Kind.ERROR) {
            alertTopic = topic;
            alert.set(notice);
        } else if (kind == Notice.Kind.SUCCESS && topic != null && topic.equals(alertTopic)) {
            alertTopic = null;
            alert.set(null);
        }
    }

    /**
     * {@code service} is gone: an error about it is old news, whatever came of the operation that
     * deleted it (its word may arrive after the service has left the grid).
     */
    void serviceGone(String service) {
        // Said only when it closes an error: a host that leaves takes all its services at once.
        if (service.equals(alertTopic)) {
            post(Notice.Kind.INFO, service, i18n.get("notice.serviceGone", service));
            alertTopic = null;
            alert.set(null);
        }
    }

    /** Tells the user that the fleet would not take {@code operation} on {@code service}, and why. */
    void commandFailed(String service, Operation operation, Throwable failure) {
        post(Notice.Kind.ERROR, service, describe(service, operation, failure));
    }

    /** The user's-language explanation of a command that the fleet refused. */
    String describe(String service, Operation operation, Throwable failure) {
        if (failure instanceof OperationNotAllowedException refused) {
            return i18n.get("notice.notAllowed", service, i18n.operation(operation), i18n.state(refused.state()));
        }
        if (failure instanceof UnknownServiceException) {
            return i18n.get("notice.unknownService", service);
        }
        if (failure instanceof ServiceExistsException) {
            return i18n.get("notice.serviceExists", service);
        }
        if (failure instanceof InvalidDefinitionException invalid) {
            return i18n.get("notice.invalidDefinition", service, invalid.getMessage());
        }
        return i18n.get("notice.commandFailed", service, i18n.operation(operation), String.valueOf(failure.getMessage()));
    }
}
