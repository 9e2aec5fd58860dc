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
 * <p>A history is bounded: past {@value #MAX_HISTORY_STEPS} steps it keeps its first step (the
 * start) and the latest ones, and counts the steps it left out between them in
 * {@code omittedSteps}. An instance whose concurrency comes and goes through a long memory episode
 * thus cannot grow its episode, the store's row or the API's answer without end, and the latest
 * change is always there.
 *
 * @param cutShort     true when the episode did not end by the instance becoming Normal again, but
 *                     because the instance stopped or crashed, or the host died, while it was throttled
 * @param omittedSteps how many steps were left out between the first step of {@code history} and
 *                     the second; zero when the history is whole
 */
public record ThrottleEpisode(long startMs, OptionalLong endMs, Set<Cause> causes, List<CauseChange> history,
                              boolean cutShort, int omittedSteps) {
    /** The most steps a cause history keeps. */
    public static final int MAX_HISTORY_STEPS = 200;

    public ThrottleEpisode {
        Objects.requireNonNull(endMs, "endMs");
        Objects.requireNonNull(history, "history");
        if (omittedSteps < 0) {
            throw new IllegalArgumentException("a count of omitted steps cannot be negative");
        }
        if (omittedSteps > 0 && history.size() < 2) {
            throw new IllegalArgumentException("steps can only be left out between the first kept step and the next");
        }
        if (endMs.isPresent() && endMs.getAsLong() < startMs) {
            throw new IllegalArgumentException("an episode cannot end before it starts");
        }
        if (causes.isEmpty()) {
            throw new IllegalArgumentException("an episode has at least one cause");
        }
        causes = Collections.unmodifiableSet(EnumSet.copyOf(causes));
        history = List.copyOf(history);
        checkHistory(startMs, endMs, causes, history, omittedSteps > 0);
        if (cutShort && endMs.isEmpty()) {
            throw new IllegalArgumentException("an open episode has not been cut short yet");
        }
    }

    /** An episode whose history is whole. */
    public ThrottleEpisode(long startMs, OptionalLong endMs, Set<Cause> causes, List<CauseChange> history, boolean cutShort) {
        this(startMs, endMs, causes, history, cutShort, 0);
    }

    /** An episode whose causes are not known step by step: one step, at its start, with all of them. */
    public ThrottleEpisode(long startMs, OptionalLong endMs, Set<Cause> causes) {
        this(startMs, endMs, causes, List.of(new CauseChange(startMs, causes)), false);
    }

    /** An open episode that begins at {@code startMs} with {@code causes}. */
    public static ThrottleEpisode opening(long startMs, Set<Cause> causes) {
        return new ThrottleEpisode(startMs, OptionalLong.empty(), causes, List.of(new CauseChange(startMs, causes)), false);
    }

    private static void checkHistory(long startMs, OptionalLong endMs, Set<Cause> causes, List<CauseChange> history,
                                     boolean gapAfterFirst) {
        if (history.isEmpty() || history.get(0).atMs() != startMs) {
            throw new IllegalArgumentException("an episode's cause history begins at its start");
        }
        Set<Cause> seen = EnumSet.noneOf(Cause.class);
        CauseChange before = null;
        for (int i = 0; i < history.size(); i++) {
            CauseChange step = history.get(i);
            // Across the gap the omitted steps changed the causes, so the kept steps either side may agree.
            boolean acrossGap = gapAfterFirst && i == 1;
            if (before != null && (step.atMs() < before.atMs() || (!acrossGap && step.causes().equals(before.causes())))) {
                throw new IllegalArgumentException("each step of a cause history comes after the one before and changes the causes");
            }
            if (endMs.isPresent() && step.atMs() > endMs.getAsLong()) {
                throw new IllegalArgumentException("a cause history cannot go on after its episode ends");
            }
            seen.addAll(step.causes());
            before = step;
        }
        // The omitted steps may have had causes that the kept ones lack, never the other way round.
        if (gapAfterFirst ? !causes.containsAll(seen) : !seen.equals(causes)) {
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
        List<CauseChange> steps = new ArrayList<>(history.size() + 1);
        int omitted = omittedSteps;
        steps.add(history.get(0));
        int keepFrom = 1;
        if (history.size() >= MAX_HISTORY_STEPS) {
            // Full: the oldest step after the first makes room for the new one.
            keepFrom = 2;
            omitted++;
        }
        steps.addAll(history.subList(keepFrom, history.size()));
        steps.add(new CauseChange(Math.max(atMs, lastStepMs()), now));
        Set<Cause> all = EnumSet.copyOf(causes);
        all.addAll(now);
        return new ThrottleEpisode(startMs, endMs, all, steps, cutShort, omitted);
    }

    /** This episode ended at {@code atMs} by the instance becoming Normal again. */
    public ThrottleEpisode endedAt(long atMs) {
        return new ThrottleEpisode(startMs, OptionalLong.of(Math.max(atMs, lastStepMs())), causes, history, false, omittedSteps);
    }

    /** This episode ended at {@code atMs} because its instance or its host went away while it lasted. */
    public ThrottleEpisode cutShortAt(long atMs) {
        return new ThrottleEpisode(startMs, OptionalLong.of(Math.max(atMs, lastStepMs())), causes, history, true, omittedSteps);
    }

    private long lastStepMs() {
        return history.get(history.size() - 1).atMs();
    }

    /**
     * The history as told in a few words: its first step, then how many steps are left untold
     * (those the episode did not keep and those it kept but the outline passes over), then at most
     * {@code latest} of its newest steps.
     */
    public Outline outline(int latest) {
        if (latest < 0) {
            throw new IllegalArgumentException("an outline tells no fewer than zero of the latest steps");
        }
        List<CauseChange> after = history.subList(1, history.size());
        int told = Math.min(latest, after.size());
        return new Outline(history.get(0), omittedSteps + after.size() - told, after.subList(after.size() - told, after.size()));
    }

    /**
     * A cause history as told briefly.
     *
     * @param first  the first step, at the episode's start
     * @param untold how many changes came between {@code first} and {@code latest} without being told
     * @param latest the newest steps, oldest first
     */
    public record Outline(CauseChange first, int untold, List<CauseChange> latest) {
        public Outline {
            latest = List.copyOf(latest);
        }
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
