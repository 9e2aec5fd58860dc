package org.sluice.console.viewmodel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The throttle notification's one line, in a bar of the window's own layout: the latest throttle
 * news ({@link ThrottleAlert}), naming its instance. A flapping instance's alert counts on in the
 * same line ("orders#0 is flapping: throttled 12 times in 36 s"), never as a new notification.
 *
 * <p>The line hides {@link #SHOWN_MILLIS} after its last news, but not while the instance it names
 * is still flapping. Closed by the operator, it stays closed for the alerts it showed: a flapping
 * run that counts on does not open it again; news of another instance, or a new run once the
 * instance has settled (a new alert id, {@link DashboardViewModel}), does.
 *
 * <p>Fed by the dashboard's view model on the JavaFX thread, once per pulse, whether or not the
 * dashboard tab was ever shown.
 */
public final class ThrottleNoticeViewModel {
    /** How long the line stays after its last news. */
    public static final long SHOWN_MILLIS = 8_000;

    private final I18n i18n;
    private final LongSupplier clock;
    private final Predicate<String> flappingNow;
    private final Consumer<String> select;
    private final ReadOnlyBooleanWrapper shown = new ReadOnlyBooleanWrapper(this, "shown");
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    private final ReadOnlyStringWrapper instance = new ReadOnlyStringWrapper(this, "instance");
    private final ReadOnlyBooleanWrapper flapping = new ReadOnlyBooleanWrapper(this, "flapping");
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled", true);
    /** The latest alert of each instance with news since the line was shown, the named one among them. */
    private final Map<String, Long> shownAlerts = new HashMap<>();
    /** The alerts on the line when the operator closed it: counting on, they stay closed. */
    private Set<Long> closedAlerts = Set.of();
    /** The line's words, kept to be said again when the language changes; null before any news. */
    private Phrase line;
    private long lastNewsMs;

    /**
     * @param flappingNow whether an instance, by key, is flapping now
     * @param select      selects an instance's tile, by key
     */
    ThrottleNoticeViewModel(I18n i18n, LongSupplier clock, Predicate<String> flappingNow, Consumer<String> select) {
        this.i18n = i18n;
        this.clock = clock;
        this.flappingNow = flappingNow;
        this.select = select;
        // An open line speaks the new language at once, not only with the next news.
        i18n.localeProperty().addListener((o, was, now) -> {
            if (line != null) {
                text.set(i18n.say(line));
            }
        });
        enabled.addListener((o, was, on) -> {
            if (!on) {
                hide();
            }
        });
    }

    /** Puts {@code alert} on the line, unless the operator closed it or the notification is off. */
    void news(ThrottleAlert alert) {
        if (!enabled.get() || closedAlerts.contains(alert.id())) {
            return;
        }
        if (!shown.get()) {
            shownAlerts.clear();
        }
        shownAlerts.put(alert.instanceKey(), alert.id());
        int others = shownAlerts.size() - 1;
        lastNewsMs = clock.getAsLong();
        instance.set(alert.instanceKey());
        flapping.set(alert.flapping());
        line = others == 0 ? alert.words() : Phrase.of("dashboard.notice.others", alert.words(), others);
        text.set(i18n.say(line));
        shown.set(true);
    }

    /** Hides the line once its news is old and the instance it names no longer flaps; called once per pulse. */
    void tick(long nowMs) {
        if (shown.get() && nowMs - lastNewsMs >= SHOWN_MILLIS && !flappingNow.test(instance.get())) {
            hide();
        }
    }

    /** The operator closes the line: the alerts on it do not open it again. */
    public void close() {
        closedAlerts = Set.copyOf(new HashSet<>(shownAlerts.values()));
        hide();
    }

    /** Selects the tile of the instance the line names. */
    public void showInstance() {
        if (instance.get() != null) {
            select.accept(instance.get());
        }
    }

    private void hide() {
        shown.set(false);
        shownAlerts.clear();
    }

    /** True while the line shows. */
    public ReadOnlyBooleanProperty shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** The line's words, in the user's language; said again when the language changes. */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    /** The key of the instance the line names, such as {@code orders#0}; null before any news. */
    public ReadOnlyStringProperty instanceProperty() {
        return instance.getReadOnlyProperty();
    }

    /** True when the line counts a flapping instance's entries. */
    public ReadOnlyBooleanProperty flappingProperty() {
        return flapping.getReadOnlyProperty();
    }

    /** False switches the notification off: it hides and shows no news until switched on. */
    public BooleanProperty enabledProperty() {
        return enabled;
    }
}
