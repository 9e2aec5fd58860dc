package org.sluice.console.viewmodel;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.ServiceExistsException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;

/**
 * What the console has told the user. The view models that act for the user post their notices
 * here; the main view shows the latest in the status line, with the time it came, and the
 * {@linkplain #alertProperty() alert}, the last error, in the bar over the tabs until a success
 * about the same thing (a service, or a host that is connected again) makes it old news. Notices
 * keep their {@link Phrase}s and are said again when the language changes. A success or an info
 * leaves the status line to "Ready" {@value #FADE_MS} ms after it came; an error stays while it is
 * the alert. The console's pulse moves the clock ({@link #tick}).
 */
public final class NoticesViewModel {
    /** Notices kept; a console left open for days must not keep every one. */
    static final int MAX_NOTICES = 200;
    /** How long a notice that is not an alert stays in the status line. */
    static final long FADE_MS = 10_000;

    private final I18n i18n;
    private final LongSupplier clock;
    private final ZoneId zone;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyObjectWrapper<Notice.Kind> statusKind = new ReadOnlyObjectWrapper<>(this, "statusKind");
    /** True once the latest notice has left the status line to "Ready". */
    private boolean faded;
    private final ObservableList<Notice> notices = FXCollections.observableArrayList();
    private final ObservableList<Notice> readOnlyNotices = FXCollections.unmodifiableObservableList(notices);
    private final ReadOnlyObjectWrapper<Notice> latest = new ReadOnlyObjectWrapper<>(this, "latest");
    private final ReadOnlyObjectWrapper<Notice> alert = new ReadOnlyObjectWrapper<>(this, "alert");
    /** What the alert is about: a service's name, {@code host:NAME}, or null for the console. */
    private String alertTopic;

    public NoticesViewModel(I18n i18n) {
        this(i18n, System::currentTimeMillis, ZoneId.systemDefault());
    }

    /**
     * @param clock epoch milliseconds: when a notice came
     * @param zone  where the status line's times are told
     */
    public NoticesViewModel(I18n i18n, LongSupplier clock, ZoneId zone) {
        this.i18n = i18n;
        this.clock = clock;
        this.zone = zone;
        i18n.localeProperty().addListener((o, was, now) -> sayAgain());
        showStatus();
    }

    /**
     * The status line: the latest notice and when it came, or "Ready" before the first and once it
     * has faded.
     */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The kind of notice the status line shows, or {@code null} while it says "Ready" or nothing. */
    public ReadOnlyObjectProperty<Notice.Kind> statusKindProperty() {
        return statusKind.getReadOnlyProperty();
    }

    /**
     * The time is {@code nowMs} (the console's pulse): the latest notice leaves the status line
     * once it is {@value #FADE_MS} ms old, unless it is the alert the error bar shows.
     */
    public void tick(long nowMs) {
        Notice shown = latest.get();
        if (shown == null || faded || nowMs - shown.atMs() < FADE_MS || shown == alert.get()) {
            return;
        }
        faded = true;
        showStatus();
    }

    private void showStatus() {
        Notice shown = latest.get();
        if (shown == null || faded) {
            status.set(i18n.get("status.ready"));
            statusKind.set(null);
        } else {
            String at = DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM).withLocale(i18n.locale())
                    .format(Instant.ofEpochMilli(shown.atMs()).atZone(zone));
            status.set(i18n.get("status.notice", shown.text(), at));
            statusKind.set(shown.kind());
        }
    }

    /** The language changed: every notice kept, the alert and the status line are said in the new one. */
    private void sayAgain() {
        Map<Notice, Notice> said = new IdentityHashMap<>();
        notices.forEach(notice -> said.put(notice, sayAgain(notice)));
        notices.setAll(notices.stream().map(said::get).toList());
        if (latest.get() != null) {
            latest.set(said.get(latest.get()));
        }
        Notice alerted = alert.get();
        if (alerted != null) {
            alert.set(said.computeIfAbsent(alerted, this::sayAgain));
        }
        showStatus();
    }

    /** {@code notice} with its words said in the language now. */
    private Notice sayAgain(Notice notice) {
        return new Notice(notice.kind(), notice.service(), notice.phrase(), notice.atMs(), i18n.say(notice.phrase()));
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
    void post(Notice.Kind kind, String service, Phrase phrase) {
        post(kind, service, service, phrase);
    }

    /** {@link #post(Notice.Kind, String, Phrase)} of a text said as it is, in every language. */
    void post(Notice.Kind kind, String service, String text) {
        post(kind, service, Phrase.text(text));
    }

    /** Tells the user something about a host's connection. */
    void postAboutHost(Notice.Kind kind, String host, Phrase phrase) {
        post(kind, null, "host:" + host, phrase);
    }

    /** {@link #postAboutHost(Notice.Kind, String, Phrase)} of a text said as it is, in every language. */
    void postAboutHost(Notice.Kind kind, String host, String text) {
        postAboutHost(kind, host, Phrase.text(text));
    }

    private void post(Notice.Kind kind, String service, String topic, Phrase phrase) {
        Notice notice = new Notice(kind, service, phrase, clock.getAsLong(), i18n.say(phrase));
        notices.add(notice);
        if (notices.size() > MAX_NOTICES) {
            notices.remove(0, notices.size() - MAX_NOTICES);
        }
        latest.set(notice);
        faded = false;
        showStatus();
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
            post(Notice.Kind.INFO, service, i18n.phrase("notice.serviceGone", service));
            alertTopic = null;
            alert.set(null);
        }
    }

    /** Tells the user that the fleet would not take {@code operation} on {@code service}, and why. */
    void commandFailed(String service, Operation operation, Throwable failure) {
        post(Notice.Kind.ERROR, service, explain(service, operation, failure));
    }

    /** The user's-language explanation of a command that the fleet refused. */
    String describe(String service, Operation operation, Throwable failure) {
        return i18n.say(explain(service, operation, failure));
    }

    private Phrase explain(String service, Operation operation, Throwable failure) {
        if (failure instanceof OperationNotAllowedException refused) {
            return i18n.phrase("notice.notAllowed", service, i18n.operationPhrase(operation), i18n.statePhrase(refused.state()));
        }
        if (failure instanceof UnknownServiceException) {
            return i18n.phrase("notice.unknownService", service);
        }
        if (failure instanceof ServiceExistsException) {
            return i18n.phrase("notice.serviceExists", service);
        }
        if (failure instanceof InvalidDefinitionException invalid) {
            return i18n.phrase("notice.invalidDefinition", service, invalid.getMessage());
        }
        return i18n.phrase("notice.commandFailed", service, i18n.operationPhrase(operation), String.valueOf(failure.getMessage()));
    }
}
