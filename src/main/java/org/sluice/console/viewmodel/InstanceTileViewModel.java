package org.sluice.console.viewmodel;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/**
 * One role instance on the live throttle dashboard: its recent samples, the periods it was
 * throttled, its state and causes, and whether it should catch the eye.
 *
 * <p>When the instance enters Throttled the tile {@linkplain #flashingProperty() flashes} for
 * {@link #FLASH_MILLIS} of the injected clock and then stays {@linkplain #markedProperty() marked}
 * until the instance is Normal again. {@link #tick(long)} ends the flash and advances the episode's
 * running time; the view calls it once per frame. {@link #revisionProperty() revision} goes up
 * whenever something a chart draws has changed, so a view redraws only then.
 *
 * <p>An instance that keeps changing between Normal and Throttled is {@linkplain #flappingProperty()
 * flapping} ({@link FlapDetector}): its throttled periods are still kept and drawn, but entering
 * Throttled no longer flashes, and its badge says how often it was throttled instead of the state
 * of the moment, until it keeps one state for {@link FlapDetector#SETTLE_MILLIS}.
 *
 * <p>Like every view model it is used on one thread (the JavaFX thread, or a test's).
 */
public final class InstanceTileViewModel implements ThrottleChartData {
    /** How long a tile flashes after its instance enters Throttled, in milliseconds of the clock. */
    public static final long FLASH_MILLIS = 3_000;
    /** Samples kept: 15 minutes of an instance sampling itself every 200 ms. */
    public static final int HISTORY_CAPACITY = 15 * 60 * 5;
    /** One entry of the hour's history covers this much time, with the highest values in it. */
    public static final long LONG_STEP_MILLIS = 2_000;
    /** Entries of the hour's history: an hour in steps of {@link #LONG_STEP_MILLIS}. */
    public static final int LONG_HISTORY_CAPACITY = (int) (60 * 60_000 / LONG_STEP_MILLIS);
    /** Throttled periods kept; older ones are forgotten first. */
    public static final int PERIOD_CAPACITY = 256;
    /** The end of a throttled period that is still open. */
    public static final long OPEN = Long.MAX_VALUE;

    private static final String SEPARATOR = " · ";
    private static final String CAUSES_SEPARATOR = " + ";

    private final String service;
    private final int index;
    private final int cores;
    private final I18n i18n;
    private final LongSupplier clock;
    private final SampleHistory samples = new SampleHistory(HISTORY_CAPACITY);
    /** The last hour, each entry the highest values of its step, so a short spike stays in sight. */
    private final SampleHistory longSamples = new SampleHistory(LONG_HISTORY_CAPACITY);
    private final long[] periodStarts = new long[PERIOD_CAPACITY];
    private final long[] periodEnds = new long[PERIOD_CAPACITY];
    private int periodHead;
    private int periodCount;

    private final ReadOnlyObjectWrapper<ThrottleState> state =
            new ReadOnlyObjectWrapper<>(this, "state", ThrottleState.NORMAL);
    private final ReadOnlyObjectWrapper<Set<Cause>> causes = new ReadOnlyObjectWrapper<>(this, "causes", Set.of());
    private final ReadOnlyBooleanWrapper marked = new ReadOnlyBooleanWrapper(this, "marked");
    private final ReadOnlyBooleanWrapper flashing = new ReadOnlyBooleanWrapper(this, "flashing");
    private final ReadOnlyBooleanWrapper flapping = new ReadOnlyBooleanWrapper(this, "flapping");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper(this, "stateText");
    private final ReadOnlyStringWrapper causesText = new ReadOnlyStringWrapper(this, "causesText", "");
    private final ReadOnlyStringWrapper durationText = new ReadOnlyStringWrapper(this, "durationText", "");
    private final ReadOnlyStringWrapper badgeText = new ReadOnlyStringWrapper(this, "badgeText");
    private final ReadOnlyStringWrapper flapText = new ReadOnlyStringWrapper(this, "flapText", "");
    private final FlapDetector flaps = new FlapDetector();
    private long throttledSinceMs;
    private long flashStartedMs;
    private long shownSeconds = -1;

    /**
     * @param service the service the instance belongs to
     * @param index   the instance's index within the service, from 0
     * @param cores   processors the instance has, which set its concurrency thresholds
     * @param i18n    the words of the badge
     * @param clock   the console's clock in milliseconds, such as {@code System::currentTimeMillis};
     *                it times the flash and must agree with the times of the samples
     */
    public InstanceTileViewModel(String service, int index, int cores, I18n i18n, LongSupplier clock) {
        this.service = Objects.requireNonNull(service, "service");
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, was " + cores);
        }
        this.index = index;
        this.cores = cores;
        this.i18n = Objects.requireNonNull(i18n, "i18n");
        this.clock = Objects.requireNonNull(clock, "clock");
        updateTexts();
    }

    public String service() {
        return service;
    }

    public int index() {
        return index;
    }

    /** The instance's key, {@code service#index}, as the dashboard shows it. */
    public String key() {
        return service + "#" + index;
    }

    @Override
    public int cores() {
        return cores;
    }

    /** The recent samples, for drawing. */
    public SampleHistory samples() {
        return samples;
    }

    /** The history that covers {@code windowMillis}: every sample up to 15 minutes, the hour's steps beyond. */
    @Override
    public SampleHistory samplesFor(long windowMillis) {
        return windowMillis <= HISTORY_CAPACITY * 200L ? samples : longSamples;
    }

    /**
     * What the charts say at {@code timeMs}, for a pointer over them: the time of the nearest sample
     * in the history that covers {@code windowMillis}, then memory and messages in process with
     * their thresholds, one to a line. Empty while there is no sample.
     */
    public Optional<String> readoutAt(long timeMs, long windowMillis, ZoneId zone) {
        SampleHistory history = samplesFor(windowMillis);
        if (history.isEmpty()) {
            return Optional.empty();
        }
        int at = Math.min(history.firstAtOrAfter(timeMs), history.size() - 1);
        if (at > 0 && timeMs - history.timeAt(at - 1) < history.timeAt(at) - timeMs) {
            at--;
        }
        String percent = "tile.value.percent";
        // The clock time as the console's lists say it, in the language shown now.
        DateTimeFormatter time = DateTimeFormatter.ofLocalizedTime(java.time.format.FormatStyle.MEDIUM).withLocale(i18n.locale());
        return Optional.of(time.format(Instant.ofEpochMilli(history.timeAt(at)).atZone(zone)) + "\n"
                + i18n.get("tile.readout.memory", i18n.get(percent, Math.round(history.memoryAt(at))),
                        i18n.get(percent, Math.round(memoryHighPercent())), i18n.get(percent, Math.round(memoryLowPercent())))
                + "\n"
                + i18n.get("tile.readout.messages", history.concurrentAt(at), concurrencyHigh(), concurrencyLow()));
    }

    /** Keeps a sample; one older than the newest kept is ignored. */
    public void addSample(InstanceSample sample) {
        if (samples.add(sample.timeMs(), sample.memoryPercent(), sample.concurrent())) {
            long step = Math.floorDiv(sample.timeMs(), LONG_STEP_MILLIS) * LONG_STEP_MILLIS;
            if (!longSamples.isEmpty() && longSamples.timeAt(longSamples.size() - 1) == step) {
                longSamples.raiseNewest(sample.memoryPercent(), sample.concurrent());
            } else {
                longSamples.add(step, sample.memoryPercent(), sample.concurrent());
            }
            bump();
        }
    }

    /**
     * Follows a change of the instance's throttle state. Entering Throttled opens a throttled period
     * and starts the flash. A Throttled-to-Throttled change with no period open (the first news of an
     * instance that was already throttled) opens a period without flashing.
     */
    public void applyThrottle(ThrottleTransition transition) {
        boolean throttled = transition.state() == ThrottleState.THROTTLED;
        boolean open = isPeriodOpen();
        if (transition.previous() != transition.state() && flaps.change(clock.getAsLong(), transition.entersThrottled())) {
            flapping.set(true);
            flashing.set(false);
        }
        if (throttled && (transition.entersThrottled() || !open)) {
            if (open) {
                closePeriod(transition.timeMs());
            }
            openPeriod(transition.timeMs());
            throttledSinceMs = transition.timeMs();
            marked.set(true);
            if (transition.entersThrottled() && !flapping.get()) {
                flashStartedMs = clock.getAsLong();
                flashing.set(true);
            }
        } else if (!throttled) {
            if (open) {
                closePeriod(transition.timeMs());
            }
            marked.set(false);
            flashing.set(false);
        }
        state.set(transition.state());
        causes.set(transition.causes());
        shownSeconds = -1;
        updateTexts();
        bump();
    }

    /** Moves the tile on to {@code nowMs} of the clock: ends a flash that has run its time, advances the episode's time. */
    public void tick(long nowMs) {
        if (flaps.settle(nowMs)) {
            flapping.set(false);
            updateTexts(nowMs);
            bump();
        }
        if (flashing.get() && nowMs - flashStartedMs >= FLASH_MILLIS) {
            // The charts do not draw the flash (the tile's own marks show it): no new revision, no
            // drawing of the whole history again for it.
            flashing.set(false);
        }
        if (state.get() == ThrottleState.THROTTLED && !flapping.get() && episodeSeconds(nowMs) != shownSeconds) {
            updateTexts(nowMs);
        }
    }

    public ReadOnlyObjectProperty<ThrottleState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ThrottleState getState() {
        return state.get();
    }

    /** The criteria throttling the instance, in declaration order; empty when Normal. */
    public ReadOnlyObjectProperty<Set<Cause>> causesProperty() {
        return causes.getReadOnlyProperty();
    }

    public Set<Cause> getCauses() {
        return causes.get();
    }

    /** True from entering Throttled until Normal again. */
    public ReadOnlyBooleanProperty markedProperty() {
        return marked.getReadOnlyProperty();
    }

    public boolean isMarked() {
        return marked.get();
    }

    /** True for {@link #FLASH_MILLIS} after entering Throttled. */
    public ReadOnlyBooleanProperty flashingProperty() {
        return flashing.getReadOnlyProperty();
    }

    public boolean isFlashing() {
        return flashing.get();
    }

    /** True while the instance keeps changing between Normal and Throttled (see {@link FlapDetector}). */
    public ReadOnlyBooleanProperty flappingProperty() {
        return flapping.getReadOnlyProperty();
    }

    public boolean isFlapping() {
        return flapping.get();
    }

    /** When the current flash began, by the clock; meaningful while {@link #isFlashing()}. */
    public long getFlashStartedMs() {
        return flashStartedMs;
    }

    /** When the current episode began, by the sample that started it; empty when Normal. */
    public OptionalLong getThrottledSinceMs() {
        return marked.get() ? OptionalLong.of(throttledSinceMs) : OptionalLong.empty();
    }

    /**
     * Goes up by one or more whenever the samples, the throttled periods or the state change: what
     * the charts draw. The end of a flash is not among them.
     */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public long getRevision() {
        return revision.get();
    }

    /** "Normal" or "Throttled", in the user's language. */
    public ReadOnlyStringProperty stateTextProperty() {
        return stateText.getReadOnlyProperty();
    }

    /** The causes, such as "MEMORY + CONCURRENCY"; empty when Normal. */
    public ReadOnlyStringProperty causesTextProperty() {
        return causesText.getReadOnlyProperty();
    }

    /** How long the episode has run, such as "12 s" or "3 min 04 s"; empty when Normal. */
    public ReadOnlyStringProperty durationTextProperty() {
        return durationText.getReadOnlyProperty();
    }

    /** The whole badge: "Normal", or "Throttled · MEMORY · 12 s". */
    public ReadOnlyStringProperty badgeTextProperty() {
        return badgeText.getReadOnlyProperty();
    }

    public String getBadgeText() {
        return badgeText.get();
    }

    /** How often it was throttled while flapping, such as "throttled 12 times in 40 s"; empty when not flapping. */
    public ReadOnlyStringProperty flapTextProperty() {
        return flapText.getReadOnlyProperty();
    }

    /** How many throttled periods are kept, oldest first. */
    @Override
    public int throttledPeriodCount() {
        return periodCount;
    }

    /** When throttled period {@code position} began. */
    @Override
    public long throttledPeriodStartMs(int position) {
        return periodStarts[periodSlot(position)];
    }

    /** When throttled period {@code position} ended, or {@link #OPEN} while it goes on. */
    @Override
    public long throttledPeriodEndMs(int position) {
        return periodEnds[periodSlot(position)];
    }

    /** A duration as the badge shows it: "12 s", "3 min 04 s", "2 h 05 min". */
    public static String formatDuration(long millis, I18n i18n) {
        return i18n.say(durationPhrase(millis));
    }

    /** A duration as words to say later, in the language of then ({@link #formatDuration}). */
    static Phrase durationPhrase(long millis) {
        long seconds = Math.max(0, millis) / 1000;
        if (seconds < 60) {
            return Phrase.of("tile.duration.seconds", seconds);
        }
        if (seconds < 3600) {
            return Phrase.of("tile.duration.minutes", seconds / 60, twoDigits(seconds % 60));
        }
        return Phrase.of("tile.duration.hours", seconds / 3600, twoDigits(seconds / 60 % 60));
    }

    /** The causes now as words to say later, such as "Memory + Messages in process" ({@link #causesTextProperty}). */
    Phrase.Joined causesWords() {
        return Phrase.joined(CAUSES_SEPARATOR, causes.get().stream().map(cause -> Phrase.of(causeKey(cause))).toList());
    }

    /** How often it was throttled in this flapping run so far, as words to say later ({@link #flapTextProperty}). */
    Phrase flapPhrase() {
        return Phrase.of("tile.flapping.count", flaps.timesThrottled(), durationPhrase(flaps.spanMillis()));
    }

    private static String twoDigits(long value) {
        return value < 10 ? "0" + value : Long.toString(value);
    }

    private long episodeSeconds(long nowMs) {
        return Math.max(0, nowMs - throttledSinceMs) / 1000;
    }

    /** Says the badge again in the language the console has switched to. */
    void relabel() {
        updateTexts();
        bump();
    }

    private void updateTexts() {
        updateTexts(clock.getAsLong());
    }

    private void updateTexts(long nowMs) {
        boolean throttled = state.get() == ThrottleState.THROTTLED;
        stateText.set(i18n.get(throttled ? "tile.state.throttled" : "tile.state.normal"));
        flapText.set(flapping.get() ? i18n.say(flapPhrase()) : "");
        if (flapping.get()) {
            // While it flaps the state of the moment is no news; how often it changed is. The
            // causes are still named, for the events list.
            causesText.set(causesOf(causes.get()));
            durationText.set("");
            badgeText.set(i18n.get("tile.state.flapping") + SEPARATOR + flapText.get());
            shownSeconds = -1;
            return;
        }
        if (!throttled) {
            causesText.set("");
            durationText.set("");
            badgeText.set(stateText.get());
            shownSeconds = -1;
            return;
        }
        causesText.set(causesOf(causes.get()));
        shownSeconds = episodeSeconds(nowMs);
        durationText.set(formatDuration(shownSeconds * 1000, i18n));
        badgeText.set(stateText.get() + SEPARATOR + causesText.get() + SEPARATOR + durationText.get());
    }

    private String causesOf(Set<Cause> of) {
        StringJoiner joined = new StringJoiner(CAUSES_SEPARATOR);
        for (Cause cause : of) {
            joined.add(i18n.get(causeKey(cause)));
        }
        return joined.toString();
    }

    private static String causeKey(Cause cause) {
        return cause == Cause.MEMORY ? "tile.cause.memory" : "tile.cause.concurrency";
    }

    private void bump() {
        revision.set(revision.get() + 1);
    }

    private boolean isPeriodOpen() {
        return periodCount > 0 && throttledPeriodEndMs(periodCount - 1) == OPEN;
    }

    private void openPeriod(long startMs) {
        int slot = (periodHead + periodCount) % PERIOD_CAPACITY;
        if (periodCount == PERIOD_CAPACITY) {
            periodHead = (periodHead + 1) % PERIOD_CAPACITY;
        } else {
            periodCount++;
        }
        periodStarts[slot] = startMs;
        periodEnds[slot] = OPEN;
    }

    private void closePeriod(long endMs) {
        int slot = periodSlot(periodCount - 1);
        periodEnds[slot] = Math.max(endMs, periodStarts[slot]);
    }

    private int periodSlot(int position) {
        if (position < 0 || position >= periodCount) {
            throw new IndexOutOfBoundsException("period " + position + " of " + periodCount);
        }
        return (periodHead + position) % PERIOD_CAPACITY;
    }
}
