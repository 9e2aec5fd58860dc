package org.sluice.throttle;

import java.time.InstantSource;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.sluice.throttle.InvalidSampleException.Problem;

/**
 * Decides, sample by sample, whether one role instance is throttled.
 *
 * <p>It keeps one hysteresis latch per criterion: the latch closes when the value reaches the high
 * threshold and opens again only when the value comes back to the low threshold, so an instance
 * at 65 % memory that was throttled at 70 % stays throttled until memory is at or below 60 %. The
 * instance is Throttled while any latch is closed.
 *
 * <p>Not thread-safe: each instance feeds its own governor from one sampling thread.
 */
public final class ThrottleGovernor {
    private final InstantSource clock;
    private boolean memoryLatched;
    private boolean concurrencyLatched;
    private Sample last;
    /** The episode under way, with each change of its causes; null while Normal. */
    private ThrottleEpisode episode;
    private long closedThrottledMs;

    /**
     * @param clock the clock the running durations are read against; the same time base as the
     *              samples' {@link Sample#timeMs()}
     */
    public ThrottleGovernor(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Feeds one sample.
     *
     * @return the change it caused to the state or to the set of causes, if any
     * @throws InvalidSampleException when the sample is older than the previous one; the governor
     *         is then unchanged
     */
    public Optional<ThrottleTransition> accept(Sample sample) {
        Objects.requireNonNull(sample, "sample");
        if (last != null && sample.timeMs() < last.timeMs()) {
            throw new InvalidSampleException(Problem.TIME_BACKWARDS, sample.timeMs());
        }
        ThrottleState before = state();
        Set<Cause> causesBefore = causes();

        memoryLatched = latch(memoryLatched, sample.memoryPercent(),
                Thresholds.MEMORY_LOW_PERCENT, Thresholds.MEMORY_HIGH_PERCENT);
        concurrencyLatched = latch(concurrencyLatched, sample.concurrentMessages(),
                Thresholds.concurrencyLow(sample.cores()), Thresholds.concurrencyHigh(sample.cores()));
        last = sample;

        Set<Cause> causes = causes();
        if (causes.equals(causesBefore)) {
            return Optional.empty();
        }
        ThrottleState after = state();
        Optional<ThrottleEpisode> ended = Optional.empty();
        if (before == ThrottleState.NORMAL) {
            episode = ThrottleEpisode.opening(sample.timeMs(), causes);
        } else if (after == ThrottleState.THROTTLED) {
            episode = episode.changedAt(sample.timeMs(), causes);
        } else {
            ThrottleEpisode closed = episode.endedAt(sample.timeMs());
            closedThrottledMs += sample.timeMs() - closed.startMs();
            ended = Optional.of(closed);
            episode = null;
        }
        return Optional.of(new ThrottleTransition(sample.timeMs(), before, after, causes, ended));
    }

    private static boolean latch(boolean latched, double value, double low, double high) {
        if (!latched && value >= high) {
            return true;
        }
        if (latched && value <= low) {
            return false;
        }
        return latched;
    }

    /** Throttled while any criterion is throttling. */
    public ThrottleState state() {
        return memoryLatched || concurrencyLatched ? ThrottleState.THROTTLED : ThrottleState.NORMAL;
    }

    /** The criteria throttling now, in {@link Cause} order; empty when Normal. */
    public Set<Cause> causes() {
        Set<Cause> causes = EnumSet.noneOf(Cause.class);
        if (memoryLatched) {
            causes.add(Cause.MEMORY);
        }
        if (concurrencyLatched) {
            causes.add(Cause.CONCURRENCY);
        }
        return Collections.unmodifiableSet(causes);
    }

    /** The episode under way, open, with every change of its causes so far; empty when Normal. */
    public Optional<ThrottleEpisode> currentEpisode() {
        return Optional.ofNullable(episode);
    }

    /** How long the episode under way has lasted, by the clock; 0 when Normal. */
    public long currentEpisodeMs() {
        return currentEpisode().map(e -> e.durationMs(clock.millis())).orElse(0L);
    }

    /** All throttled time so far: closed episodes plus the one under way, by the clock. */
    public long totalThrottledMs() {
        return closedThrottledMs + currentEpisodeMs();
    }

    /** The last sample accepted, if any. */
    public Optional<Sample> lastSample() {
        return Optional.ofNullable(last);
    }
}
