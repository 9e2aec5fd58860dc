package org.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;

import org.sluice.fleet.api.ApiJson;
import org.sluice.lifecycle.InstanceLog;

/**
 * {@code sluice ctl logs NAME INSTANCE --follow}: prints an instance's log, then what it writes
 * next, read from where the last read ended after each pause (a second), as the console's Log tab
 * does. When the instance has started again (the log's run number changed, or, from a host that
 * does not number runs, the log got shorter; decision 0020) it prints the end of the run before, if
 * the host keeps it, then a line of its own saying so, and goes on with the new run. It runs until {@link #stop()}.
 */
final class LogFollower {

    /** One read of the log (the API's {@code InstanceLog} JSON); a negative offset asks for its last part. */
    @FunctionalInterface
    interface Reader {
        JsonNode read(long offset, boolean previousRun) throws CtlFailure, IOException, InterruptedException;
    }

    /** The wait between two reads. */
    @FunctionalInterface
    interface Pause {
        void await() throws IOException, InterruptedException;
    }

    private final Reader reader;
    private final Pause pause;
    private final PrintWriter out;
    private volatile boolean stopped;

    LogFollower(Reader reader, Pause pause, PrintWriter out) {
        this.reader = reader;
        this.pause = pause;
        this.out = out;
    }

    /**
     * Reads and prints until stopped. An interruption after {@link #stop()} (Ctrl-C) ends it
     * quietly; any other is passed on.
     */
    void run() throws CtlFailure, IOException, InterruptedException {
        long offset = -1;
        long seenRun = InstanceLog.UNKNOWN_RUN;
        try {
            while (!stopped) {
                JsonNode log = reader.read(offset, false);
                if (ApiJson.readInstanceLog(log).newRunSince(offset, seenRun)) {
                    if (!log.path("restarted").asBoolean()) {
                        // Known by its number, not by its length: the new run is read from its start.
                        log = reader.read(0, false);
                    }
                    if (log.path("previousKept").asBoolean()) {
                        // What the run before wrote after the last read, when the host still keeps that run.
                        JsonNode rest = reader.read(offset, true);
                        long restRun = rest.path("runId").asLong(InstanceLog.UNKNOWN_RUN);
                        if (seenRun == InstanceLog.UNKNOWN_RUN || restRun == InstanceLog.UNKNOWN_RUN || restRun == seenRun) {
                            out.print(rest.path("text").asText());
                        }
                    }
                    out.println(Messages.get("ctl.log.startedAgain"));
                }
                seenRun = log.path("runId").asLong(InstanceLog.UNKNOWN_RUN);
                out.print(log.path("text").asText());
                out.flush();
                offset = log.path("next").asLong();
                if (!stopped) {
                    pause.await();
                }
            }
        } catch (InterruptedException e) {
            if (!stopped) {
                throw e;
            }
        } finally {
            out.flush();
        }
    }

    /** Ends the following after the read under way, if any. */
    void stop() {
        stopped = true;
    }
}
