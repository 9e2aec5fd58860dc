package org.sluice.console.viewmodel;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.FleetUnavailableException;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.EngineStatus;

/**
 * The hosts the console administers: its own, first, and the remote ones the operator connected
 * to, each with its connection ({@link HostViewModel}). From here the operator connects to a host
 * (File › Connect to host…), enters a key a host refused, and removes a host; the connections are
 * kept in a {@link ConnectionStore} and made again when the console starts.
 *
 * <p>Connecting takes two steps in the background with a question in between: the certificate the
 * host presents is read and its fingerprint shown for the operator to accept, and only then does
 * the console connect, trusting that certificate alone. A connection counts once the host's first
 * snapshot has come: a wrong key or an unreachable host is told in the connect dialog, which opens
 * again with what was typed.
 */
public final class HostsViewModel {
    private final FleetGroup group;
    private final RemoteHosts remoteHosts;
    private final ConnectionStore store;
    private final I18n i18n;
    private final BackgroundExecutor executor;
    private final java.util.concurrent.atomic.AtomicLong saveGeneration = new java.util.concurrent.atomic.AtomicLong();
    private final Object saving = new Object();
    private final DialogService dialogs;
    private final NoticesViewModel notices;
    private final LongSupplier clock;
    private final ConnectionProblems problems;

    private final HostViewModel own;
    private final ObservableList<HostViewModel> hosts = FXCollections.observableArrayList();
    private final ObservableList<HostViewModel> readOnlyHosts = FXCollections.unmodifiableObservableList(hosts);
    private final ObservableList<String> engineNotices = FXCollections.observableArrayList();
    private final ObservableList<String> readOnlyEngineNotices = FXCollections.unmodifiableObservableList(engineNotices);
    private final Map<String, HostViewModel> byName = new LinkedHashMap<>();
    /** Every connection the store keeps, by host, in the order they were made. */
    private final Map<String, RememberedConnection> remembered = new LinkedHashMap<>();
    /** Remembered hosts without a key: listed, not connected, until the operator enters one. */
    private final Set<String> waitingForKey = new HashSet<>();
    private final BooleanBinding several;
    /** Where a key to be remembered goes; the file until the store has said, once it has looked for the keychain. */
    private final ObjectProperty<KeyPlace> keyPlace = new SimpleObjectProperty<>(this, "keyPlace", KeyPlace.FILE);

    public HostsViewModel(FleetGroup group, RemoteHosts remoteHosts, ConnectionStore store, I18n i18n, BackgroundExecutor executor,
                          DialogService dialogs, NoticesViewModel notices, LongSupplier clock) {
        this.group = group;
        this.remoteHosts = remoteHosts;
        this.store = store;
        this.i18n = i18n;
        this.executor = executor;
        this.dialogs = dialogs;
        this.notices = notices;
        this.clock = clock;
        this.problems = new ConnectionProblems(i18n);
        this.own = HostViewModel.own(i18n);
        own.commands(new ActionCommand(Bindings.createBooleanBinding(() -> false), () -> { }, () -> { }),
                new ActionCommand(Bindings.createBooleanBinding(() -> false), () -> { }, () -> { }));
        byName.put(own.name(), own);
        hosts.add(own);
        several = Bindings.size(hosts).greaterThan(1);
        i18n.localeProperty().addListener((o, was, now) -> {
            hosts.forEach(HostViewModel::relabel);
            refreshEngineNotices();
        });
        hosts.addListener((javafx.collections.ListChangeListener<HostViewModel>) change -> refreshEngineNotices());
    }

    /** Every host, the console's own first, then the remote ones in the order they were added. */
    public ObservableList<HostViewModel> hosts() {
        return readOnlyHosts;
    }

    /** True when there is a remote host besides the console's own: the grid then shows a Host column. */
    public BooleanBinding severalProperty() {
        return several;
    }

    public HostViewModel own() {
        return own;
    }

    /** The host named so; one not heard of yet is listed from now on, as connecting. */
    public HostViewModel host(String name) {
        HostViewModel host = byName.get(name);
        if (host == null) {
            host = newRemote(name, new RemoteFleet.Connection(RemoteFleet.State.CONNECTING, 0, OptionalLong.empty(), Optional.empty()));
            hosts.add(host);
        }
        return host;
    }

    /** Whether a host, connected or waiting for its key, has this name. */
    public boolean isTaken(String name) {
        return byName.containsKey(name);
    }

    private HostViewModel newRemote(String name, RemoteFleet.Connection connection) {
        HostViewModel host = HostViewModel.remote(name, i18n, connection, clock.getAsLong());
        host.commands(new ActionCommand(host.needsKey(), () -> enterKey(host),
                        () -> notices.post(Notice.Kind.INFO, null, i18n.phrase("hosts.keyNotNeeded", host.labelWords()))),
                new ActionCommand(Bindings.createBooleanBinding(() -> true), () -> remove(host), () -> { }));
        Optional.ofNullable(remembered.get(name)).ifPresent(r -> host.address(r.address()));
        byName.put(name, host);
        return host;
    }

    // ------------------------------------------------------------------ what the fleet reports

    /**
     * Takes the remote hosts as the fleet has them now, in its order: new ones are listed, those
     * gone leave (unless they wait for a key), and each connection's change is told once.
     */
    public void update(List<HostStatus> reported) {
        long now = clock.getAsLong();
        Set<String> present = new HashSet<>();
        for (HostStatus status : reported) {
            present.add(status.name());
            waitingForKey.remove(status.name());
            HostViewModel host = byName.get(status.name());
            if (host == null) {
                host = newRemote(status.name(), status.connection());
            } else {
                announce(host, host.connection(), status.connection());
            }
            host.address(status.address());
            host.apply(status.connection(), false, now);
        }
        List<HostViewModel> order = new ArrayList<>();
        order.add(own);
        for (HostStatus status : reported) {
            order.add(byName.get(status.name()));
        }
        for (HostViewModel host : List.copyOf(byName.values())) {
            if (host.isOwn() || present.contains(host.name())) {
                continue;
            }
            if (waitingForKey.contains(host.name())) {
                order.add(host);
            } else {
                byName.remove(host.name());
            }
        }
        if (!order.equals(hosts)) {
            hosts.setAll(order);
        }
    }

    /** Tells the user when a connection drops, comes back, or needs them. */
    private void announce(HostViewModel host, RemoteFleet.Connection before, RemoteFleet.Connection after) {
        RemoteFleet.State was = before.state();
        RemoteFleet.State is = after.state();
        if (was == is) {
            return;
        }
        Object name = host.labelWords();
        switch (is) {
            case RECONNECTING -> {
                if (was == RemoteFleet.State.CONNECTED) {
                    notices.postAboutHost(Notice.Kind.ERROR, host.name(), i18n.phrase("hosts.notice.dropped", name));
                } else if (was == RemoteFleet.State.CONNECTING) {
                    notices.postAboutHost(Notice.Kind.ERROR, host.name(), i18n.phrase("hosts.notice.unreachable", name));
                }
            }
            case CONNECTED -> {
                // After a refused key or a changed certificate, what the operator did says it already.
                if (was == RemoteFleet.State.RECONNECTING) {
                    notices.postAboutHost(Notice.Kind.SUCCESS, host.name(), i18n.phrase("hosts.notice.back", name));
                }
            }
            case UNAUTHORIZED -> notices.postAboutHost(Notice.Kind.ERROR, host.name(), i18n.phrase("host.blocked.unauthorized", name));
            case CERTIFICATE_CHANGED -> notices.postAboutHost(Notice.Kind.ERROR, host.name(), i18n.phrase("host.detail.certificateChanged", name,
                    host.address().map(URI::toString).orElse(host.label())));
            default -> {
                // Connecting and closed are the console's own doing: nothing to tell.
            }
        }
    }

    /** Takes each host's engine as {@code snapshot} has it. */
    public void load(FleetSnapshot snapshot) {
        snapshot.engines().forEach(this::engine);
    }

    /** Takes the changes of the hosts' engines among one pulse's events. */
    public void apply(List<FleetEvent> events) {
        for (FleetEvent event : events) {
            if (event instanceof FleetEvent.EngineStatusChanged changed) {
                engine(changed.host(), changed.status());
            }
        }
    }

    /** Shows {@code status} on its host and tells the user when the engine goes, or comes back. */
    private void engine(String name, EngineStatus status) {
        HostViewModel host = host(name);
        EngineStatus before = host.engine();
        host.engine(status, clock.getAsLong());
        if (!status.available() && !status.equals(before)) {
            notices.postAboutHost(Notice.Kind.ERROR, host.name(), host.engineNoticePhrase());
        } else if (status.available() && !before.available()) {
            notices.postAboutHost(Notice.Kind.SUCCESS, host.name(), i18n.phrase("hosts.notice.engineBack", host.labelWords(), host.engineKindWords()));
        }
        refreshEngineNotices();
    }

    private void refreshEngineNotices() {
        List<String> now = hosts.stream().map(h -> h.engineNoticeProperty().get()).filter(text -> !text.isEmpty()).toList();
        if (!now.equals(engineNotices)) {
            engineNotices.setAll(now);
        }
    }

    /** The notices of the hosts whose engine is unavailable, in the hosts' order; see {@link HostViewModel#engineNoticeProperty()}. */
    public ObservableList<String> engineNotices() {
        return readOnlyEngineNotices;
    }

    /** Counts down the retries and the age of what stale hosts show; called once per pulse. */
    public void tick(long nowMs) {
        for (HostViewModel host : hosts) {
            host.tick(nowMs);
        }
    }

    // ------------------------------------------------------------------ remembered connections

    /** Where a key the operator asks to remember goes: the file until {@link #start()} has heard from the store. */
    public ReadOnlyObjectProperty<KeyPlace> keyPlaceProperty() {
        return keyPlace;
    }

    /**
     * Reads the kept connections and connects again to each host whose key was kept; the others
     * are listed as waiting for their key. A host the fleet has already (the window was rebuilt in
     * another language) is left as it is.
     */
    public void start() {
        // Asked apart from the connections, so that a file that cannot be read does not leave the
        // dialogs naming the file where a keychain answered. A store that cannot say has no keychain.
        executor.run(store::keyPlace, keyPlace::set, failure -> keyPlace.set(KeyPlace.FILE));
        executor.run(() -> {
            List<RememberedConnection> kept = store.load();
            List<String> waiting = new ArrayList<>();
            for (RememberedConnection connection : kept) {
                if (group.remote(connection.name()).isPresent()) {
                    continue;
                }
                if (connection.key().isPresent() && group.canAdd(connection.name())) {
                    group.add(connection.name(), remoteHosts.connect(connection.name(), connection.address(), connection.issuer(),
                            connection.key().get(), connection.fingerprint()));
                } else {
                    waiting.add(connection.name());
                }
            }
            return new Kept(kept, waiting);
        }, kept -> {
            for (RememberedConnection connection : kept.connections()) {
                remembered.put(connection.name(), connection);
                byName.computeIfPresent(connection.name(), (n, host) -> {
                    host.address(connection.address());
                    return host;
                });
            }
            for (String name : kept.waiting()) {
                if (!byName.containsKey(name)) {
                    waitingForKey.add(name);
                    HostViewModel host = newRemote(name, new RemoteFleet.Connection(RemoteFleet.State.UNAUTHORIZED, 0,
                            OptionalLong.empty(), Optional.empty()));
                    Optional<String> keychainSaid = remembered.get(name).keyNotGiven();
                    keychainSaid.ifPresent(host::keyNotGiven);
                    host.apply(host.connection(), true, clock.getAsLong());
                    hosts.add(host);
                    keychainSaid.ifPresent(why -> notices.postAboutHost(Notice.Kind.ERROR, name,
                            i18n.phrase("hosts.notice.keychain", host.labelWords(), why)));
                }
            }
        }, failure -> notices.post(Notice.Kind.ERROR, null, i18n.phrase("hosts.notice.notRead", String.valueOf(failure.getMessage()))));
    }

    private record Kept(List<RememberedConnection> connections, List<String> waiting) {
    }

    private void keep(RememberedConnection connection) {
        remembered.put(connection.name(), connection);
        save();
    }

    /**
     * Writes the remembered connections in the background. Saves run on a pool and may finish in
     * any order: each writes only if no later save was asked for, one at a time, so an older list
     * (a removed host with its key, say) never lands over a newer one.
     */
    private void save() {
        List<RememberedConnection> all = List.copyOf(remembered.values());
        long generation = saveGeneration.incrementAndGet();
        executor.run(() -> {
            synchronized (saving) {
                if (generation == saveGeneration.get()) {
                    store.save(all);
                }
            }
            return all;
        }, saved -> { }, failure -> notices.post(Notice.Kind.ERROR, null,
                i18n.phrase("hosts.notice.notSaved", String.valueOf(failure.getMessage()))));
    }

    // ------------------------------------------------------------------ connecting

    /** File › Connect to host…: asks where, shows the certificate to accept, then connects. */
    public void connect() {
        connect(new ConnectionFormViewModel(i18n, this::isTaken, keyPlace));
    }

    private void connect(ConnectionFormViewModel form) {
        if (!dialogs.askConnection(form)) {
            return;
        }
        String name = form.name();
        URI address = form.address();
        executor.run(() -> remoteHosts.fingerprintOf(address), fingerprint -> {
            if (!dialogs.acceptFingerprint(name, address, fingerprint)) {
                return;
            }
            RememberedConnection connection = new RememberedConnection(name, address, form.issuer(), fingerprint,
                    Optional.of(form.key()));
            join(connection, false, joined -> {
                keep(connection.withKey(form.rememberKey() ? connection.key() : Optional.empty()));
                notices.post(Notice.Kind.SUCCESS, null, i18n.phrase("hosts.notice.connected", name, joined));
            }, failure -> {
                form.failed(problems.describe(failure, address, form.issuer()));
                connect(form);
            });
        }, failure -> {
            form.failed(problems.describe(failure, address, form.issuer()));
            connect(form);
        });
    }

    /**
     * Connects in the background and waits for the host's first snapshot; only then does the host
     * join the fleet, in place of the connection of that name the fleet has when {@code replacing}
     * (one whose key was refused). Gives how many services it has.
     */
    private void join(RememberedConnection connection, boolean replacing, Consumer<Integer> onJoined, Consumer<Throwable> onFailure) {
        String name = connection.name();
        executor.run(() -> {
            RemoteFleet remote = remoteHosts.connect(name, connection.address(), connection.issuer(), connection.key().orElseThrow(),
                    connection.fingerprint());
            int services;
            try {
                services = remote.snapshot().services().size();
            } catch (FleetUnavailableException e) {
                RemoteFleet.State state = remote.connection().state();
                remote.close();
                throw new ConnectionProblems.NotJoinedException(state, e.getMessage());
            }
            if (replacing && group.remote(name).isPresent()) {
                group.remove(name);
            }
            try {
                group.add(name, remote);
            } catch (IllegalArgumentException taken) {
                remote.close();
                throw taken;
            }
            return services;
        }, onJoined, onFailure);
    }

    /** Asks for the key of a host that refused it, or whose key was not kept, and connects with it. */
    void enterKey(HostViewModel host) {
        enterKey(host, "");
    }

    private void enterKey(HostViewModel host, String error) {
        RememberedConnection known = remembered.get(host.name());
        if (known == null) {
            notices.post(Notice.Kind.ERROR, null, i18n.phrase("hosts.notice.unknown", host.labelWords()));
            return;
        }
        Optional<DialogService.KeyEntry> entry = dialogs.askKey(host.label(), known.address(), known.issuer(), error, keyPlace.get());
        if (entry.isEmpty() || entry.get().key().isBlank()) {
            return;
        }
        String key = entry.get().key().strip();
        RememberedConnection withKey = known.withKey(Optional.of(key));
        join(withKey, true, joined -> {
            keep(entry.get().remember() ? withKey : known.withKey(Optional.empty()));
            notices.postAboutHost(Notice.Kind.SUCCESS, host.name(), i18n.phrase("hosts.notice.connected", host.labelWords(), joined));
        }, failure -> enterKey(host, problems.describe(failure, known.address(), known.issuer())));
    }

    /** Closes the connection to a host, after asking, and forgets it. */
    void remove(HostViewModel host) {
        if (!dialogs.confirmRemoveHost(host.label())) {
            return;
        }
        String name = host.name();
        waitingForKey.remove(name);
        if (remembered.remove(name) != null) {
            save();
        }
        executor.run(() -> {
            group.remove(name);
            return name;
        }, removed -> {
            if (byName.remove(name) != null) {
                hosts.remove(host);
            }
            notices.postAboutHost(Notice.Kind.SUCCESS, name, i18n.phrase("hosts.notice.removed", host.labelWords()));
        }, failure -> notices.post(Notice.Kind.ERROR, null, i18n.phrase("hosts.notice.notRemoved", host.labelWords(),
                String.valueOf(failure.getMessage()))));
    }
}
