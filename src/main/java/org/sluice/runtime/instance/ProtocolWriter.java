package org.sluice.runtime.instance;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * Prints protocol events to the host, one JSON line each. Every thread of the instance writes
 * through this one object, which prints and flushes a whole line at a time so lines never interleave.
 * A networked instance's writer passes the lines to its event stream instead ({@link EventFeed}).
 */
public final class ProtocolWriter {
    private final PrintWriter out;
    private final EventFeed feed;

    /** @param out the instance's standard output, handed in by the command line */
    public ProtocolWriter(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
        this.feed = null;
    }

    /** A writer for the subscribers of {@code feed}: standard output stays free of events. */
    ProtocolWriter(EventFeed feed) {
        this.out = null;
        this.feed = Objects.requireNonNull(feed, "feed");
    }

    public synchronized void emit(ProtocolEvent event) {
        if (feed != null) {
            // The feed numbers its lines; standard output has no use for numbers.
            feed.publish(event);
            return;
        }
        out.print(ProtocolEvents.toLine(event));
        out.print('\n');
        out.flush();
    }
}
