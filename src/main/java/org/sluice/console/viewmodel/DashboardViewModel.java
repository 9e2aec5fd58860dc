package org.sluice.console.viewmodel;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetSnapshot;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.throttle.ThrottleTransition;

/**
 * The live throttle dashboard: one tile per role instance of the fleet, the events list, the
 * alert raised when an instance becomes throttled, and the selected instance's detail window.
 */
public final class DashboardViewModel {
    static final int MAX_EVENTS = 500;
    /** The detail chart's windows: 1, 5, 15 and 60 minutes. */
    public static final List<Long> WINDOWS = List.of(60_000L, 300_000L, 900_000L, 3_600_000L);

    private final I18n i18n;
    private final LongSupplier clock;
    private final Map<String, InstanceTileViewModel> byKey = new LinkedHashMap<>();
    private final Map<String, Integer> coresByService = new HashMap<>();
    private final ObservableList<InstanceTileViewModel> tiles = FXCollections.observableArrayList();
    private final ObservableList<ThrottleEvent> events = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ThrottleAlert> latestAlert = new ReadOnlyObjectWrapper<>(this, "latestAlert");
    private final ObjectProperty<InstanceTileViewModel> selected = new SimpleObjectProperty<>(this, "selected");
    private long alerts;
    private final ObservableSet<String> flapping = FXCollections.observableSet();
    /** The alert of each instance flapping now, by key. */
    private final Map<String, Long> flappingAlerts = new HashMap<>();
    private final LongProperty window = new SimpleLongProperty(this, "window", WINDOWS.get(0));
    private final ThrottleNoticeViewModel notice;

    public DashboardViewModel(I18n i18n, LongSupplier clock) {
        this.i18n = i18n;
        this.clock = clock;
        this.notice = new ThrottleNoticeViewModel(i18n, clock, flapping::contains, key -> selected.set(byKey.get(key)));
        // The badges speak the new language; the events list says its lines in it as it shows them.
        i18n.localeProperty().addListener((o, was, now) -> tiles.forEach(InstanceTileViewModel::relabel));
    }

    /** Every instance's tile, in the order the instances appeared. */
    public ObservableList<InstanceTileViewModel> tiles() {
        return tiles;
    }

    /** Throttle transitions, newest first. */
    public ObservableList<ThrottleEvent> events() {
        return events;
    }

    /**
     * The latest alert: an instance became throttled, or a flapping instance's count went on. The
     * view shows a notification for each new {@linkplain ThrottleAlert#id() id}.
     */
    public ReadOnlyObjectProperty<ThrottleAlert> latestAlertProperty() {
        return latestAlert.getReadOnlyProperty();
    }

    /**
     * The notification bar's line: the latest throttle news, counting on in place for a flapping
     * instance, with the way to its tile.
     */
    public ThrottleNoticeViewModel notice() {
        return notice;
    }

    /** The instance shown in the detail chart. */
    public ObjectProperty<InstanceTileViewModel> selectedProperty() {
        return selected;
    }

    /** The detail chart's time window in milliseconds, one of {@link #WINDOWS}. */
    public LongProperty windowProperty() {
        return window;
    }

    /** The keys of the instances flapping now, such as {@code orders#1}; the grid shows them too. */
    public ObservableSet<String> flappingInstances() {
        return flapping;
    }

    public InstanceTileViewModel tile(String key) {
        return byKey.get(key);
    }

    public void load(FleetSnapshot snapshot) {
        for (ServiceSnapshot service : snapshot.services()) {
            coresByService.put(service.name(), service.definition().coresPerInstance());
            for (InstanceSnapshot instance : service.instances()) {
                if (instance.status() != InstanceStatus.STOPPED) {
                    InstanceTileViewModel tile = tileFor(service.name(), instance.index(), service.definition().coresPerInstance());
                    instance.lastSample().ifPresent(tile::addSample);
                }
            }
        }
    }

    /** Applies one pulse's events; a transition into Throttled flashes the tile in the same pulse. */
    public void apply(List<FleetEvent> batch) {
        for (FleetEvent event : batch) {
            String service = event.service();
            if (event instanceof FleetEvent.ServiceAdded added) {
                coresByService.put(service, added.snapshot().definition().coresPerInstance());
            } else if (event instanceof FleetEvent.DefinitionChanged changed) {
                coresByService.put(service, changed.snapshot().definition().coresPerInstance());
            } else if (event instanceof FleetEvent.ServiceRemoved) {
                byKey.values().removeIf(t -> t.service().equals(service));
                tiles.removeIf(t -> t.service().equals(service));
                clearSelectionIfGone();
            } else if (event instanceof FleetEvent.InstanceStatusChanged status) {
                if (status.status() == InstanceStatus.STOPPED) {
                    InstanceTileViewModel gone = byKey.remove(key(service, status.index()));
                    if (gone != null) {
                        tiles.remove(gone);
                        flapping.remove(gone.key());
                        flappingAlerts.remove(gone.key());
                        clearSelectionIfGone();
                    }
                } else {
                    tileFor(service, status.index(), coresByService.getOrDefault(service, 1));
                }
            } else if (event instanceof FleetEvent.InstanceSampled sampled) {
                tileFor(service, sampled.index(), sampled.sample().cores()).addSample(sampled.sample());
            } else if (event instanceof FleetEvent.ThrottleChanged changed) {
                InstanceTileViewModel tile = tileFor(service, changed.index(), coresByService.getOrDefault(service, 1));
                tile.applyThrottle(changed.transition());
                record(tile, changed.transition());
            }
        }
    }

    private void record(InstanceTileViewModel tile, ThrottleTransition transition) {
        boolean entered = transition.entersThrottled();
        boolean left = transition.previous() != transition.state() && !entered;
        if (!entered && !left) {
            return;
        }
        Phrase said = entered
                ? Phrase.of("dashboard.event.throttled", tile.key(), tile.causesWords())
                : Phrase.of("dashboard.event.normal", tile.key());
        String text = i18n.say(said);
        ThrottleEvent event = new ThrottleEvent(transition.timeMs(), tile.key(), entered, said);
        events.add(0, event);
        if (events.size() > MAX_EVENTS) {
            events.remove(MAX_EVENTS, events.size());
        }
        if (tile.isFlapping()) {
            // One alert per flapping run: it is raised when the run is seen and counts on with each entry.
            Long id = flappingAlerts.get(tile.key());
            if (id == null || entered) {
                if (id == null) {
                    id = ++alerts;
                    flappingAlerts.put(tile.key(), id);
                }
                Phrase count = Phrase.of("dashboard.alert.flapping", tile.key(), tile.flapPhrase());
                alert(new ThrottleAlert(id, tile.key(), true, i18n.get("dashboard.alert.flappingTitle"), i18n.say(count),
                        count));
            }
        } else if (entered) {
            alert(new ThrottleAlert(++alerts, tile.key(), false, i18n.get("dashboard.alert.title"), text, said));
        }
    }

    private void alert(ThrottleAlert alert) {
        latestAlert.set(alert);
        notice.news(alert);
    }

    /** Advances flashes and running durations; called once per pulse. */
    public void tick(long nowMs) {
        for (InstanceTileViewModel tile : tiles) {
            tile.tick(nowMs);
        }
        notice.tick(nowMs);
    }

    private InstanceTileViewModel tileFor(String service, int index, int cores) {
        String key = key(service, index);
        InstanceTileViewModel tile = byKey.get(key);
        if (tile == null) {
            tile = new InstanceTileViewModel(service, index, cores, i18n, clock);
            tile.flappingProperty().addListener((o, was, now) -> {
                if (now) {
                    flapping.add(key);
                } else {
                    flapping.remove(key);
                    flappingAlerts.remove(key);
                }
            });
            byKey.put(key, tile);
            tiles.add(tile);
        }
        return tile;
    }

    private void clearSelectionIfGone() {
        if (selected.get() != null && !byKey.containsValue(selected.get())) {
            selected.set(null);
        }
    }

    private static String key(String service, int index) {
        return InstanceSnapshot.key(service, index);
    }
}
