package org.sluice.runtime.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>A subscriber that falls {@value #BACKLOG} lines behind is dropped rather than left to hold the
 * instance's memory: its stream ends before the instance has stopped, which its follower takes as
 * a break and follows again.
 */
final class EventFeed {
    /** The most lines a subscriber may have waiting. */
    static final int BACKLOG = 4096;

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

        private boolean offer(String line) {
            if (lines.size() >= BACKLOG) {
                return false;
            }
            return lines.offer(line);
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

    /** Passes {@code event}, printed as {@code line}, to every subscriber and keeps what a late one needs. */
    synchronized void publish(ProtocolEvent event, String line) {
        if (ended) {
            return;
        }
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
            s.lines.add(Subscriber.DROPPED);
            return true;
        });
    }

    /** A new subscriber, with the state so far waiting for it. */
    synchronized Subscriber subscribe() {
        Subscriber subscriber = new Subscriber();
        for (String line : new String[] {ready, gate, throttle, sample, startProblem, stopped}) {
            if (line != null) {
                subscriber.offer(line);
            }
        }
        if (ended) {
            subscriber.lines.add(Subscriber.END);
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
        subscribers.forEach(s -> s.lines.add(Subscriber.END));
        subscribers.clear();
    }
}
