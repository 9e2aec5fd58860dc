package org.sluice.runtime;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.InvalidSampleException;
import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One role instance's place in a service: the process started for it and what its events have
 * told the host so far. Its fields are written on the instance's reader thread and read by
 * operations, routing and views, hence volatile.
 */
final class InstanceSlot implements InstanceListener {
    // The host's parts log under the host's name: operators read and filter one log.
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);

    final int index;
    private final String service;
    private final HostEvents events;
    private final Consumer<InstanceEpisode> episodes;

    /** Null until the launcher returns; the instance may already have sent events by then. */
    volatile RoleInstance process;
    volatile InstanceStatus status = InstanceStatus.STARTING;
    private volatile ThrottleState throttle = ThrottleState.NORMAL;
    private volatile Set<Cause> causes = Set.of();
    private volatile InstanceSample lastSample;
    /** Set before the host stops or kills the instance, so that its exit is not taken for a crash. */
    volatile boolean stopRequested;
    /**
     * True for a slot with no process that only shows an instance waiting while the host tries
     * its service's instances again after a restart, or left down after the last try.
     */
    volatile boolean standIn;
    /** Crashes in a row before this process, for the supervisor's pause and limit. */
    final int crashesBefore;
    /** The crashes in a row this slot shows: those before it, then those that made it restart or fail. */
    private volatile int crashesInARow;
    /** What {@link #crashesInARow} counts: crashes, or tries to start it again after the host restarted. */
    private volatile RestartCause restartCause = RestartCause.CRASH;
    /** The exit status of the process once it has exited. */
    volatile int exitStatus;
    /** When the process said it was ready, on the nanosecond clock; 0 until then. */
    volatile long readyAtNanos;
    /**
     * The port it said it takes messages on; -1 until then. Taken from its ready event rather than
     * from {@link #process}, which is set only once the launcher returns, after that event.
     */
    volatile int port = -1;
    /** Where it said it takes messages; null until then. Taken from its ready event, as {@link #port} is. */
    volatile InetSocketAddress address;
    private final Consumer<InstanceSlot> crashed;
    /** Where every sample of this index is kept, across its runs; this process's are under {@link #run}. */
    private final SampleRing samples;
    private final int run;
    /**
     * The episode under way, as last written; null while the instance is Normal. Its start is
     * also when the instance became throttled, which the view shows.
     */
    private volatile ThrottleEpisode openEpisode;
    /**
     * Run once at the instance's next Ready: set while an engine that restarts instances itself
     * starts this one again (see {@link InstanceLauncher#restartsInstances()}).
     */
    private volatile Runnable readyAgain;

    /**
     * @param episodes      where the throttle episodes the instance reports are kept
     * @param crashesBefore crashes in a row of the processes this slot's index had before
     * @param crashed       told when the process exits without being asked to
     * @param samples       where the samples of this index are kept
     */
    InstanceSlot(String service, int index, HostEvents events, Consumer<InstanceEpisode> episodes, int crashesBefore,
            Consumer<InstanceSlot> crashed, SampleRing samples) {
        this.service = service;
        this.index = index;
        this.events = events;
        this.episodes = episodes;
        this.crashesBefore = crashesBefore;
        this.crashesInARow = crashesBefore;
        this.crashed = crashed;
        this.samples = samples;
        this.run = samples.newRun();
    }

    @Override
    public void onEvent(InstanceEvent event) {
        boolean crash = false;
        if (event instanceof InstanceEvent.Ready ready) {
            address = ready.address();
            port = ready.port();
            status = InstanceStatus.RUNNING;
            readyAtNanos = System.nanoTime();
            Runnable again = readyAgain;
            readyAgain = null;
            if (again != null) {
                again.run();
            }
        } else if (event instanceof InstanceEvent.Sampled sampled) {
            InstanceSample sample = sampled.sample();
            lastSample = sample;
            keep(sample);
        } else if (event instanceof InstanceEvent.Throttle change) {
            ThrottleTransition t = change.transition();
            throttle = t.state();
            causes = t.causes();
            keepOpenEpisode(t);
        } else if (event instanceof InstanceEvent.EpisodeEnded ended) {
            ThrottleEpisode kept = ended(ended.episode());
            openEpisode = null;
            episodes.accept(new InstanceEpisode(service, index, kept));
        } else if (event instanceof InstanceEvent.Problem problem) {
            LOG.warn("{} instance {}: {}", service, index, problem.message());
        } else if (event instanceof InstanceEvent.Exited exited) {
            exitStatus = exited.status();
            boolean expected = stopRequested || exited.requested();
            status = expected ? InstanceStatus.STOPPED : InstanceStatus.FAILED;
            throttle = ThrottleState.NORMAL;
            causes = Set.of();
            endOpenEpisode();
            if (!expected) {
                LOG.error("{} instance {} exited unexpectedly with status {}", service, index, exited.status());
                crash = true;
            }
        }
        announce(event);
        if (crash) {
            crashed.accept(this);
        }
    }

    /** Keeps the sample as the governor saw it; one the governor could not have taken is logged and left out. */
    private void keep(InstanceSample sample) {
        try {
            samples.add(run, new Sample(sample.timeMs(), sample.memoryPercent(), sample.concurrent(), sample.cores()));
        } catch (InvalidSampleException e) {
            LOG.warn("{} instance {} reported a sample that is not kept: {}", service, index, e.getMessage());
        }
    }

    /**
     * Tells the listeners how the instance stands after {@code event}, or, with null, that its
     * slot has just been taken. The view is taken now, not when the event thread gets to it.
     */
    void announce(InstanceEvent event) {
        InstanceView view = view();
        events.publish(l -> l.instanceEvent(service, view, event));
    }

    /** Whether the front door may send it a message. */
    boolean takesMessages() {
        return status == InstanceStatus.RUNNING && port > 0;
    }

    /**
     * Writes the episode under way as it starts and whenever its causes change, with the time of
     * each change, so that the journal has its history even if the instance or the host never
     * gets to say it ended.
     */
    private void keepOpenEpisode(ThrottleTransition t) {
        if (t.state() != ThrottleState.THROTTLED) {
            return;
        }
        ThrottleEpisode open = openEpisode;
        ThrottleEpisode next = open == null || t.entersThrottled()
                ? ThrottleEpisode.opening(t.timeMs(), t.causes())
                : open.changedAt(t.timeMs(), t.causes());
        if (next == open) {
            return;
        }
        openEpisode = next;
        episodes.accept(new InstanceEpisode(service, index, next));
    }

    /**
     * The episode the instance reports ended, with the history of causes the host kept as it went:
     * the instance's report has every cause, but not when each came and went.
     */
    private ThrottleEpisode ended(ThrottleEpisode reported) {
        ThrottleEpisode open = openEpisode;
        if (open != null && open.startMs() == reported.startMs() && open.causes().containsAll(reported.causes())
                && reported.endMs().isPresent()) {
            return open.endedAt(reported.endMs().getAsLong());
        }
        return reported;
    }

    /** An instance that exits throttled ends its episode there, cut short. */
    private void endOpenEpisode() {
        ThrottleEpisode open = openEpisode;
        if (open != null) {
            episodes.accept(new InstanceEpisode(service, index, open.cutShortAt(System.currentTimeMillis())));
            openEpisode = null;
        }
    }

    /** Marks the slot as waiting to be started again, for {@code cause}, and says so. */
    void restarting(int attempt, long delayMs, RestartCause cause) {
        crashesInARow = attempt;
        restartCause = cause;
        status = InstanceStatus.RESTARTING;
        announce(new InstanceEvent.Restarting(attempt, delayMs, cause));
    }

    /** Runs {@code action} once, when the instance next says it is ready. */
    void onReadyAgain(Runnable action) {
        readyAgain = action;
    }

    /** Takes back what {@link #onReadyAgain} left waiting; null when nothing waits. */
    Runnable takeReadyAgain() {
        Runnable again = readyAgain;
        readyAgain = null;
        return again;
    }

    int crashesInARow() {
        return crashesInARow;
    }

    /** Marks the slot as left down after {@code crashes} crashes, or tries after a host restart, and says so. */
    void gaveUp(int crashes, RestartCause cause) {
        crashesInARow = crashes;
        restartCause = cause;
        status = InstanceStatus.FAILED;
        announce(new InstanceEvent.GaveUp(crashes, cause));
    }

    boolean isDown() {
        RoleInstance running = process;
        return running == null || !running.isAlive();
    }

    void kill() {
        stopRequested = true;
        RoleInstance running = process;
        if (running != null && running.isAlive()) {
            running.kill();
        }
    }

    InstanceView view() {
        ThrottleEpisode episode = openEpisode;
        OptionalLong throttledSince = throttle == ThrottleState.THROTTLED && episode != null
                ? OptionalLong.of(episode.startMs()) : OptionalLong.empty();
        return new InstanceView(index, status, throttle, causes, throttledSince, Optional.ofNullable(lastSample), crashesInARow,
                restartCause);
    }
}
