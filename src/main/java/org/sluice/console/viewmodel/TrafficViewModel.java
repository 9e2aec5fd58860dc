package org.sluice.console.viewmodel;

import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.traffic.LoadSummary;

/**
 * The dashboard's test traffic: messages of a chosen size at a chosen rate to a service's front
 * door, so an operator can watch an instance throttle and recover.
 */
public final class TrafficViewModel {
    public static final int MIN_RATE = 1;
    public static final int MAX_RATE = 5_000;
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 1024 * 1024;
    static final long PROGRESS_EVERY_MS = 500;

    /** Starts traffic to an address; the console's implementation posts over HTTP. */
    @FunctionalInterface
    public interface Starter {
        Traffic start(String endpoint, int rate, int size);
    }

    /** Traffic under way. */
    public interface Traffic {
        LoadSummary progress();

        void stop();
    }

    private final Fleet fleet;
    private final I18n i18n;
    private final Starter starter;
    private final ObjectProperty<String> service = new SimpleObjectProperty<>(this, "service");
    private final IntegerProperty rate = new SimpleIntegerProperty(this, "rate", 200);
    private final IntegerProperty size = new SimpleIntegerProperty(this, "size", 1024);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper(this, "progress", "");
    private final Command toggle;
    private Traffic traffic;
    private long lastProgressMs;

    public TrafficViewModel(Fleet fleet, I18n i18n, Starter starter) {
        this.fleet = fleet;
        this.i18n = i18n;
        this.starter = starter;
        this.toggle = new Command() {
            {
                condition(Bindings.createBooleanBinding(() -> running.get() || service.get() != null, running, service));
            }

            @Override
            protected void run() {
                if (running.get()) {
                    stop();
                } else {
                    start();
                }
            }

            @Override
            protected void refused() {
                progress.set(i18n.get("traffic.chooseService"));
            }
        };
    }

    public ObjectProperty<String> serviceProperty() {
        return service;
    }

    public IntegerProperty rateProperty() {
        return rate;
    }

    public IntegerProperty sizeProperty() {
        return size;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** What the traffic has done so far: sent, ok, busy (503), other errors. */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Starts the traffic, or stops it when it runs. */
    public Command toggleCommand() {
        return toggle;
    }

    private void start() {
        int r = Math.max(MIN_RATE, Math.min(MAX_RATE, rate.get()));
        int s = Math.max(MIN_SIZE, Math.min(MAX_SIZE, size.get()));
        traffic = starter.start(fleet.endpoint(service.get()), r, s);
        running.set(true);
        progress.set(i18n.get("traffic.started", service.get(), r, s));
    }

    /** Stops the traffic if it runs; also called when the console closes. */
    public void stop() {
        if (traffic != null) {
            traffic.stop();
            show(traffic.progress());
            traffic = null;
        }
        running.set(false);
    }

    /** Refreshes the progress text now and then; called once per pulse. */
    public void tick(long nowMs) {
        if (traffic != null && nowMs - lastProgressMs >= PROGRESS_EVERY_MS) {
            lastProgressMs = nowMs;
            show(traffic.progress());
        }
    }

    private void show(LoadSummary summary) {
        progress.set(i18n.get("traffic.progress", summary.sent(), summary.ok(), summary.busy(), summary.errors()));
    }
}
