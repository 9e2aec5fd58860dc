package org.sluice.console.viewmodel;

import java.util.List;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/**
 * What a bulk action will do before it does it: which services will run the operation and which
 * are skipped, with the state that makes them skip, or because their host is not connected. The
 * services may be on several hosts; each goes by its name across the hosts.
 *
 * @param summary      the plan in a line, in the language of when it was made
 * @param summaryWords the same line as words, to be said again in another language (a notice's)
 */
public record BulkPlan(Operation operation, List<String> willRun, List<Skipped> skipped, String summary, Phrase summaryWords) {

    /**
     * A service the operation will not run on, and the state it is in.
     *
     * @param stale true when it is skipped because its host is not connected, whatever its state
     */
    public record Skipped(String service, ServiceState state, boolean stale) {
    }

    public boolean isEmpty() {
        return willRun.isEmpty();
    }
}
