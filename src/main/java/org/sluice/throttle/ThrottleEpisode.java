package org.sluice.throttle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A period during which an instance was throttled.
 *
 * <p>{@code history} keeps each change of the set of causes with its time: memory alone at t0,
 * memory and concurrency from t1, concurrency alone from t2. Its first step is at the start, each
 * step differs from the one before, and {@code causes} is every cause of every step. An episode
 * recorded before the history was kept has one step, at its start, with all its causes.
 *
 * @param startMs  when the instance became Throttled
 * @param endMs    when it became Normal again, or when the episode was cut short; empty while open
 * @param causes   every criterion that throttled during the episode
 * @param history  each change of the causes, oldest first
 * @param cutShort true when the episode did not end by the instance becoming Normal again, but
 *                 because the instance stopped or crashed, or the host died, while it was throttled
 */
public record ThrottleEpisode(long startMs, OptionalLong endMs, Set<Cause> causes, List<CauseChange> history,
                              boolean cutShort) {
    public ThrottleEpisode {
        Objects.requireNonNull(endMs, "endMs");
        Objects.requireNonNull(history, "history");
        if (endMs.isPresent() && endMs.getAsLong() < startMs) {
            throw new IllegalArgumentException("an episode cannot end before it starts");
        }
        if (causes.isEmpty()) {
            throw new IllegalArgumentException("an episode has at least one cause");
        }
        causes = Collections.unmodifiableSet(EnumSet.copyOf(causes));
        history = List.copyOf(history);
        checkHistory(startMs, endMs, causes, history);
        if (cutShort && endMs.isEmpty()) {
            throw new IllegalArgumentException("an open episode has not been cut short yet");
        }
    }

    /** An episode whose causes are not known step by step: one step, at its start, with all of them. */
    public ThrottleEpisode(long startMs, OptionalLong endMs, Set<Cause> causes) {
        this(startMs, endMs, causes, List.of(new CauseChange(startMs, causes)), false);
    }

    /** An open episode that begins at {@code startMs} with {@code causes}. */
    public static ThrottleEpisode opening(long startMs, Set<Cause> causes) {
        return new ThrottleEpisode(startMs, OptionalLong.empty(), causes, List.of(new CauseChange(startMs, causes)), false);
    }

    private static void checkHistory(long startMs, OptionalLong endMs, Set<Cause> causes, List<CauseChange> history) {
        if (history.isEmpty() || history.get(0).atMs() != startMs) {
            throw new IllegalArgumentException("an episode's cause history begins at its start");
        }
        Set<Cause> seen = EnumSet.noneOf(Cause.class);
        CauseChange before = null;
        for (CauseChange step : history) {
            if (before != null && (step.atMs() < before.atMs() || step.causes().equals(before.causes()))) {
                throw new IllegalArgumentException("each step of a cause history comes after the one before and changes the causes");
            }
            if (endMs.isPresent() && step.atMs() > endMs.getAsLong()) {
                throw new IllegalArgumentException("a cause history cannot go on after its episode ends");
            }
            seen.addAll(step.causes());
            before = step;
        }
        if (!seen.equals(causes)) {
            throw new IllegalArgumentException("an episode's causes are those of its history, " + seen + ", not " + causes);
        }
    }

    public boolean isOpen() {
        return endMs.isEmpty();
    }

    /** The causes from the last step of the history: those throttling at the end, or now. */
    public Set<Cause> latestCauses() {
        return history.get(history.size() - 1).causes();
    }

    /**
     * This open episode with the causes changed to {@code now} at {@code atMs}; the same episode
     * when they are the causes already.
     */
    public ThrottleEpisode changedAt(long atMs, Set<Cause> now) {
        if (now.equals(latestCauses())) {
            return this;
        }
        List<CauseChange> steps = new ArrayList<>(history);
        steps.add(new CauseChange(Math.max(atMs, steps.get(steps.size() - 1).atMs()), now));
        Set<Cause> all = EnumSet.copyOf(causes);
        all.addAll(now);
        return new ThrottleEpisode(startMs, endMs, all, steps, cutShort);
    }

    /** This episode ended at {@code atMs} by the instance becoming Normal again. */
    public ThrottleEpisode endedAt(long atMs) {
        return new ThrottleEpisode(startMs, OptionalLong.of(Math.max(atMs, lastStepMs())), causes, history, false);
    }

    /** This episode ended at {@code atMs} because its instance or its host went away while it lasted. */
    public ThrottleEpisode cutShortAt(long atMs) {
        return new ThrottleEpisode(startMs, OptionalLong.of(Math.max(atMs, lastStepMs())), causes, history, true);
    }

    private long lastStepMs() {
        return history.get(history.size() - 1).atMs();
    }

    /** The episode's length; empty while it is open. */
    public OptionalLong durationMs() {
        return endMs.isPresent() ? OptionalLong.of(endMs.getAsLong() - startMs) : OptionalLong.empty();
    }

    /** The episode's length up to {@code nowMs} if it is still open, its full length otherwise. */
    public long durationMs(long nowMs) {
        return Math.max(0, endMs.orElse(nowMs) - startMs);
    }
}
