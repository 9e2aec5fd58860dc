package org.sluice.runtime.instance;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * Prints protocol events to the host, one JSON line each. Every thread of the instance writes
 * through this one object, which prints and flushes a whole line at a time so lines never interleave.
 */
public final class ProtocolWriter {
    private final PrintWriter out;

    /** @param out the instance's standard output, handed in by the command line */
    public ProtocolWriter(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    public synchronized void emit(ProtocolEvent event) {
        out.print(ProtocolEvents.toLine(event));
        out.print('\n');
        out.flush();
    }
}
