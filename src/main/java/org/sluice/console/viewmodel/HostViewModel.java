package org.sluice.console.viewmodel;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;

import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.EngineStatus;

/**
 * One host as the console shows it: the console's own, or a remote one with its connection. It
 * says in words where the connection is, how old what it shows is, and why its services' actions
 * wait; the texts that count time are brought up to date by {@link #tick(long)}, once per pulse.
 *
 * <p>What a host shows is current while its connection is Connected (or still being made for the
 * first time, when it shows nothing yet); otherwise its services are <em>stale</em>: they show what
 * was last heard, and no action is sent to them.
 */
public final class HostViewModel {
    private final String name;
    private String label;
    private final I18n i18n;
    private final ReadOnlyObjectWrapper<RemoteFleet.State> state = new ReadOnlyObjectWrapper<>(this, "state");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
    private final ReadOnlyBooleanWrapper keyMissing = new ReadOnlyBooleanWrapper(this, "keyMissing");
    /** What the keychain said when it did not give the key it keeps for this host; null when it gave it, or keeps none. */
    private String keychainSaid;
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "");
    private final ReadOnlyStringWrapper lastUpdateText = new ReadOnlyStringWrapper(this, "lastUpdateText", "");
    private final ReadOnlyStringWrapper blockedReason = new ReadOnlyStringWrapper(this, "blockedReason", "");
    /** The blocked reason as words, to be said again in the language the console switches to. */
    private final ReadOnlyObjectWrapper<Phrase> blockedWords = new ReadOnlyObjectWrapper<>(this, "blockedWords", Phrase.text(""));
    private final ReadOnlyStringWrapper detailText = new ReadOnlyStringWrapper(this, "detailText", "");
    private final ReadOnlyBooleanWrapper engineAvailable = new ReadOnlyBooleanWrapper(this, "engineAvailable", true);
    private final ReadOnlyStringWrapper engineNotice = new ReadOnlyStringWrapper(this, "engineNotice", "");
    private EngineStatus engine = EngineStatus.LOCAL;
    /** When the engine was last heard of: its notice shows a time of that day without the date. */
    private long engineHeardMs;
    private URI address;
    private RemoteFleet.Connection connection;
    private long nowMs;
    /** The seconds to the next try and since the host was last heard, as the texts show them now. */
    private long shownSeconds = Long.MIN_VALUE;
    private Command enterKey;
    private Command remove;

    private HostViewModel(String name, I18n i18n, RemoteFleet.Connection connection, long nowMs) {
        this.name = name;
        this.i18n = i18n;
        this.label = name.isEmpty() ? i18n.get("host.thisComputer") : name;
        this.connection = connection;
        this.nowMs = nowMs;
        refresh();
    }

    /** The console's own host: always current. */
    static HostViewModel own(I18n i18n) {
        return new HostViewModel(ServiceSnapshot.THIS_HOST, i18n,
                new RemoteFleet.Connection(RemoteFleet.State.CONNECTED, 0, OptionalLong.empty(), Optional.empty()), 0);
    }

    /** A remote host, first heard of with {@code connection}. */
    static HostViewModel remote(String name, I18n i18n, RemoteFleet.Connection connection, long nowMs) {
        return new HostViewModel(name, i18n, connection, nowMs);
    }

    /** The host's name as services are qualified with it; empty for the console's own host. */
    public String name() {
        return name;
    }

    /** The host as the user reads it: "This computer", or the name the operator gave it. */
    public String label() {
        return label;
    }

    /** {@link #label()} as words said in the language of when they are shown (a notice's). */
    Object labelWords() {
        return isOwn() ? Phrase.of("host.thisComputer") : label;
    }

    /** The engine's kind as words said in the language of when they are shown: "Kubernetes". */
    Phrase engineKindWords() {
        return Phrase.of(engineKindKey());
    }

    /** What {@link #engineNoticeProperty()} says, kept to be said again in another language; nothing while available. */
    Phrase engineNoticePhrase() {
        return engine.reason().map(reason -> Phrase.of("host.engine.unavailable", labelWords(), engineKindWords(),
                since(engine.sinceMs()), reason)).orElse(Phrase.text(""));
    }

    public boolean isOwn() {
        return name.isEmpty();
    }

    /** Where its management API is, once known; empty for the own host. */
    public Optional<URI> address() {
        return Optional.ofNullable(address);
    }

    public ReadOnlyObjectProperty<RemoteFleet.State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public RemoteFleet.State getState() {
        return state.get();
    }

    /** True while what the host's services show may be out of date, and their actions wait. */
    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    public boolean isStale() {
        return stale.get();
    }

    /** True for a remembered host whose key was not remembered: it waits for the operator to enter it. */
    public ReadOnlyBooleanProperty keyMissingProperty() {
        return keyMissing.getReadOnlyProperty();
    }

    /** The connection's state in a few words: "Connected", "Reconnecting in 4 s", "Unauthorized". */
    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    /** How old what it shows is, e.g. "last update 12 s ago"; empty while current. */
    public ReadOnlyStringProperty lastUpdateTextProperty() {
        return lastUpdateText.getReadOnlyProperty();
    }

    /** Why its services' actions are off, and the way out; empty while current. */
    public ReadOnlyStringProperty blockedReasonProperty() {
        return blockedReason.getReadOnlyProperty();
    }

    /** {@link #blockedReasonProperty} as words, for a notice that follows the language; empty text when not stale. */
    public ReadOnlyObjectProperty<Phrase> blockedReasonWordsProperty() {
        return blockedWords.getReadOnlyProperty();
    }

    /** A sentence or two about the connection, for a tooltip. */
    public ReadOnlyStringProperty detailTextProperty() {
        return detailText.getReadOnlyProperty();
    }

    /** Whether the engine that runs the host's instances can do so now. */
    public ReadOnlyBooleanProperty engineAvailableProperty() {
        return engineAvailable.getReadOnlyProperty();
    }

    /**
     * What the operator reads while the host's engine is unavailable: which engine, since when and
     * why, e.g. "branch: Kubernetes engine unavailable since 2:02 PM — …"; empty while it is available.
     */
    public ReadOnlyStringProperty engineNoticeProperty() {
        return engineNotice.getReadOnlyProperty();
    }

    /** The host's engine as last heard. */
    public EngineStatus engine() {
        return engine;
    }

    /** Asks for the host's current key and connects with it; executable when the host refused the key or has none. */
    public Command enterKeyCommand() {
        return enterKey;
    }

    /** Closes the connection and forgets the host. */
    public Command removeCommand() {
        return remove;
    }

    /** Where the connection is now. */
    public RemoteFleet.Connection connection() {
        return connection;
    }

    void commands(Command enterKey, Command remove) {
        this.enterKey = enterKey;
        this.remove = remove;
    }

    /** Whether the key may be entered now: the host refused it, or none was remembered. */
    ObservableBooleanValue needsKey() {
        return Bindings.createBooleanBinding(() -> state.get() == RemoteFleet.State.UNAUTHORIZED, state);
    }

    void engine(EngineStatus status, long now) {
        engine = status;
        engineHeardMs = now;
        refresh();
    }

    void address(URI value) {
        if (value != null && !value.equals(address)) {
            address = value;
            refresh();
        }
    }

    void apply(RemoteFleet.Connection next, boolean withoutKey, long now) {
        connection = next;
        nowMs = now;
        keyMissing.set(withoutKey);
        if (!withoutKey) {
            keychainSaid = null;
        }
        refresh();
    }

    /** The keychain kept this host's key but did not give it, saying {@code why}; said until a key is entered. */
    void keyNotGiven(String why) {
        keychainSaid = why;
        refresh();
    }

    /** Brings the texts that count time up to date. */
    void tick(long now) {
        nowMs = now;
        if (isStale() && secondsShown() != shownSeconds) {
            refresh();
        }
    }

    /** What the time-counting texts are made of, as one number: they change only when it does. */
    private long secondsShown() {
        long elapsed = connection.lastHeardMs() <= 0 ? -1 : Math.max(0, (nowMs - connection.lastHeardMs()) / 1000);
        return secondsToRetry().orElse(-1) * 1_000_000_000L + elapsed;
    }

    /** Says its texts again in the language the console has switched to. */
    void relabel() {
        if (isOwn()) {
            label = i18n.get("host.thisComputer");
        }
        refresh();
    }

    private void refresh() {
        shownSeconds = secondsShown();
        RemoteFleet.State now = connection.state();
        state.set(now);
        stale.set(isOwn() ? false : switch (now) {
            case CONNECTED, CONNECTING -> false;
            case RECONNECTING, UNAUTHORIZED, CERTIFICATE_CHANGED, CLOSED -> true;
        });
        String where = address == null ? label : address.toString();
        OptionalLong seconds = secondsToRetry();
        statusText.set(switch (now) {
            case CONNECTING -> i18n.get("host.state.connecting");
            case CONNECTED -> i18n.get("host.state.connected");
            case RECONNECTING -> seconds.isPresent() ? i18n.get("host.state.reconnecting", seconds.getAsLong())
                    : i18n.get("host.state.reconnectingNow");
            case UNAUTHORIZED -> i18n.get("host.state.unauthorized");
            case CERTIFICATE_CHANGED -> i18n.get("host.state.certificateChanged");
            case CLOSED -> i18n.get("host.state.closed");
        });
        lastUpdateText.set(isStale() ? lastUpdate() : "");
        blockedWords.set(!isStale() ? Phrase.text("") : switch (now) {
            case RECONNECTING -> seconds.isPresent() ? Phrase.of("host.blocked.reconnecting", label, seconds.getAsLong())
                    : Phrase.of("host.blocked.reconnectingNow", label);
            case UNAUTHORIZED -> !keyMissing.get() ? Phrase.of("host.blocked.unauthorized", label)
                    : keychainSaid != null ? Phrase.of("host.blocked.keychain", label) : Phrase.of("host.blocked.noKey", label);
            case CERTIFICATE_CHANGED -> Phrase.of("host.blocked.certificateChanged", label);
            default -> Phrase.of("host.blocked.closed", label);
        });
        blockedReason.set(i18n.say(blockedWords.get()));
        engineAvailable.set(engine.available());
        engineNotice.set(i18n.say(engineNoticePhrase()));
        detailText.set(isOwn() ? i18n.get("host.detail.own") : switch (now) {
            case CONNECTING -> i18n.get("host.detail.connecting", label, where);
            case CONNECTED -> i18n.get("host.detail.connected", label, where);
            case RECONNECTING -> i18n.get("host.detail.reconnecting", label, where);
            case UNAUTHORIZED -> !keyMissing.get() ? i18n.get("host.detail.unauthorized", label, where)
                    : keychainSaid != null ? i18n.get("host.detail.keychain", label, where, keychainSaid)
                    : i18n.get("host.detail.noKey", label, where);
            case CERTIFICATE_CHANGED -> i18n.get("host.detail.certificateChanged", label, where);
            case CLOSED -> i18n.get("host.blocked.closed", label);
        });
    }

    private String engineKindKey() {
        return switch (engine.kind()) {
            case LOCAL -> "host.engine.kind.local";
            case KUBERNETES -> "host.engine.kind.kubernetes";
        };
    }

    /**
     * A time of the day the engine was last heard of, said in the locale's clock ("2:02 PM",
     * "오후 2:02"); with its date when it was another day.
     */
    private Phrase.ClockTime since(long sinceMs) {
        ZoneId zone = ZoneId.systemDefault();
        boolean sameDay = Instant.ofEpochMilli(sinceMs).atZone(zone).toLocalDate()
                .equals(Instant.ofEpochMilli(engineHeardMs).atZone(zone).toLocalDate());
        return sameDay ? Phrase.time(sinceMs) : Phrase.dateTime(sinceMs);
    }

    /** Whole seconds until the next try, rounded up; empty once the try is under way. */
    private OptionalLong secondsToRetry() {
        if (connection.retryAtMs().isEmpty()) {
            return OptionalLong.empty();
        }
        long left = connection.retryAtMs().getAsLong() - nowMs;
        return left <= 0 ? OptionalLong.empty() : OptionalLong.of((left + 999) / 1000);
    }

    private String lastUpdate() {
        if (connection.lastHeardMs() <= 0) {
            return i18n.get("host.lastUpdate.never");
        }
        long seconds = Math.max(0, (nowMs - connection.lastHeardMs()) / 1000);
        if (seconds < 60) {
            return i18n.get("host.lastUpdate.seconds", seconds);
        }
        if (seconds < 3600) {
            return i18n.get("host.lastUpdate.minutes", seconds / 60);
        }
        return i18n.get("host.lastUpdate.hours", seconds / 3600);
    }
}
