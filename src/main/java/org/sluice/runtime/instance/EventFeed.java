package org.sluice.runtime.instance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A networked instance's events for whoever follows its event stream ({@code GET /protocol/events},
 * docs/runtime.md). Each subscriber gets every event line from the moment it subscribes, and first
 * the instance's state so far: its ready event, its gate, its last throttle event and its last
 * sample, or the problem it could not start with, and its stopped event once it has stopped. Once the feed has ended (the instance stopped or
 * never started), a subscriber gets that state and then the end.
 *
 * <p>Every line is numbered ({@code "seq"}, from 1 in each run of the instance, a run being named
 * by {@link #run()}), and the feed keeps its latest lines, at most {@value #RING_LINES} of them and
 * about {@value #RING_CHARS} characters. A follower whose stream broke says the run and the last
 * number it saw ({@link #resume}) and gets every line after it, then the live ones: nothing of the
 * break is lost. When the feed no longer keeps those lines, or the follower speaks of another run,
 * it gets the state as a new subscriber does, and is told so.
 *
 * <p>A subscriber that falls {@value #BACKLOG} lines behind is dropped rather than left to hold the
 * instance's memory: its stream ends before the instance has stopped, which its follower takes as
 * a break and follows again.
 */
final class EventFeed {
    /** The most lines a subscriber may have waiting. */
    static final int BACKLOG = 4096;
    /** The most lines kept for a follower that resumes; fewer than {@link #BACKLOG}, so a replay always fits. */
    static final int RING_LINES = 1024;
    /** About how much text the kept lines may hold (samples with a histogram are the long ones). */
    static final int RING_CHARS = 256 * 1024;

    /** How a subscriber's lines begin. */
    enum Start {
        /** With the state so far: a new follower. */
        STATE,
        /** With every line after the number the follower gave. */
        RESUMED,
        /** With the state: the lines after the follower's number are no longer kept. */
        TOO_OLD,
        /** With the state: the follower's number belongs to another run of the instance. */
        OTHER_RUN
    }

    private record Kept(long number, String line) {
    }

    private final String run = UUID.randomUUID().toString();
    private final int ringLines;
    private final long ringChars;
    private final Deque<Kept> ring = new ArrayDeque<>();
    private long keptChars;
    private long last;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private String ready;
    private String gate;
    private String throttle;
    private String sample;
    private String startProblem;
    private String stopped;
    private boolean ended;

    /** One follower of the stream. */
    static final class Subscriber {
        /** Put after the last line of a feed that ended; never sent. */
        private static final String END = new String("end");
        /** Put when the subscriber fell behind and was dropped; never sent. */
        private static final String DROPPED = new String("dropped");

        private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(BACKLOG + 8);
        private final Start start;
        private final long before;
        /** How many lines of state open its lines; 0 for a subscriber that resumed. */
        private int stateLines;
        /** Told whenever a line, the end or the drop is put; the stream's writer, which then takes them without waiting. */
        private volatile Runnable waiting;

        private Subscriber(Start start, long before) {
            this.start = start;
            this.before = before;
        }

        /** How many lines of state open its lines: once they are read, the lines up to {@link #before()} are accounted for. */
        int stateLines() {
            return stateLines;
        }

        /** How its lines begin. */
        Start start() {
            return start;
        }

        /** The number of the last line before the first it will get that is not state. */
        long before() {
            return before;
        }

        /**
         * The next line, waiting up to {@code timeoutMs}.
         *
         * @return the line; empty when none came in time
         * @throws EndOfFeed when the feed ended or this subscriber was dropped
         */
        Optional<String> next(long timeoutMs) throws InterruptedException, EndOfFeed {
            String line = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (line == END) {
                throw new EndOfFeed(true);
            }
            if (line == DROPPED) {
                throw new EndOfFeed(false);
            }
            return Optional.ofNullable(line);
        }

        /**
         * The next line if one is waiting, without waiting for one; for a writer that is told when
         * lines come ({@link #whenLines}).
         *
         * @return the line; empty when none is waiting
         * @throws EndOfFeed when the feed ended or this subscriber was dropped
         */
        Optional<String> poll() throws EndOfFeed {
            String line = lines.poll();
            if (line == END) {
                throw new EndOfFeed(true);
            }
            if (line == DROPPED) {
                throw new EndOfFeed(false);
            }
            return Optional.ofNullable(line);
        }

        /**
         * Has {@code wake} run whenever a line, the end or the drop is put for this subscriber, and
         * once now if any is waiting already. It runs on the thread that publishes: it must not block.
         */
        void whenLines(Runnable wake) {
            waiting = wake;
            if (!lines.isEmpty()) {
                wake.run();
            }
        }

        private void put(String marker) {
            lines.add(marker);
            wake();
        }

        private void wake() {
            Runnable wake = waiting;
            if (wake != null) {
                wake.run();
            }
        }

        private boolean offer(String line) {
            if (lines.size() >= BACKLOG) {
                return false;
            }
            boolean put = lines.offer(line);
            if (put) {
                wake();
            }
            return put;
        }
    }

    /** The feed has no more lines for a subscriber: it ended ({@code clean}) or dropped it. */
    static final class EndOfFeed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean clean;

        EndOfFeed(boolean clean) {
            super(clean ? "the feed ended" : "the subscriber fell behind");
            this.clean = clean;
        }

        boolean clean() {
            return clean;
        }
    }

    /** A feed that keeps {@value #RING_LINES} lines for followers that resume. */
    EventFeed() {
        this(RING_LINES, RING_CHARS);
    }

    /** A feed that keeps at most {@code ringLines} lines and about {@code ringChars} characters of them. */
    EventFeed(int ringLines, long ringChars) {
        if (ringLines < 1 || ringLines > BACKLOG) {
            throw new IllegalArgumentException("the lines kept must be 1 to " + BACKLOG + ", not " + ringLines);
        }
        this.ringLines = ringLines;
        this.ringChars = ringChars;
    }

    /** The name of this run of the instance; a follower gives it back when it resumes. */
    String run() {
        return run;
    }

    /** Numbers {@code event}, passes its line to every subscriber and keeps what a late one needs. */
    synchronized void publish(ProtocolEvent event) {
        if (ended) {
            return;
        }
        String line = ProtocolEvents.toLine(event, ++last);
        keep(new Kept(last, line));
        switch (event) {
            case ProtocolEvent.Ready r -> ready = line;
            case ProtocolEvent.Gate g -> gate = line;
            case ProtocolEvent.Throttle t -> throttle = line;
            case ProtocolEvent.Sampled s -> sample = line;
            case ProtocolEvent.Problem p -> {
                if (ready == null) {
                    startProblem = line;
                }
            }
            case ProtocolEvent.Stopped s -> stopped = line;
            case ProtocolEvent.Episode e -> {
                // Passed on as it happens; a late subscriber has no use for an old one.
            }
        }
        subscribers.removeIf(s -> {
            if (s.offer(line)) {
                return false;
            }
            s.lines.clear();
            s.put(Subscriber.DROPPED);
            return true;
        });
    }

    private void keep(Kept kept) {
        ring.addLast(kept);
        keptChars += kept.line().length();
        while (ring.size() > 1 && (ring.size() > ringLines || keptChars > ringChars)) {
            keptChars -= ring.removeFirst().line().length();
        }
    }

    /** A new subscriber, with the state so far waiting for it. */
    synchronized Subscriber subscribe() {
        return withState(Start.STATE);
    }

    /**
     * A subscriber that saw the lines of {@code run} up to number {@code after}: every kept line
     * after it waits for it, or the state when those lines are no longer kept or the run is another.
     */
    synchronized Subscriber resume(String run, long after) {
        if (!this.run.equals(run)) {
            return withState(Start.OTHER_RUN);
        }
        long first = ring.isEmpty() ? last + 1 : ring.getFirst().number();
        if (after < first - 1 || after > last) {
            return withState(Start.TOO_OLD);
        }
        Subscriber subscriber = new Subscriber(Start.RESUMED, after);
        for (Kept kept : ring) {
            if (kept.number() > after) {
                subscriber.offer(kept.line());
            }
        }
        return follow(subscriber);
    }

    private Subscriber withState(Start start) {
        Subscriber subscriber = new Subscriber(start, last);
        for (String line : new String[] {ready, gate, throttle, sample, startProblem, stopped}) {
            if (line != null && subscriber.offer(line)) {
                subscriber.stateLines++;
            }
        }
        return follow(subscriber);
    }

    private Subscriber follow(Subscriber subscriber) {
        if (ended) {
            subscriber.put(Subscriber.END);
        } else {
            subscribers.add(subscriber);
        }
        return subscriber;
    }

    /** Removes a subscriber that went away. */
    synchronized void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** No more events: every subscriber, now and later, gets the end after its lines. */
    synchronized void end() {
        ended = true;
        subscribers.forEach(s -> s.put(Subscriber.END));
        subscribers.clear();
    }
}
