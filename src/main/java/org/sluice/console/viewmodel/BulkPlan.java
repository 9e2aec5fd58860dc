package org.sluice.console.viewmodel;

import java.util.List;

import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/**
 * What a bulk action will do before it does it: which services will run the operation and which
 * are skipped, with the state that makes them skip.
 */
public record BulkPlan(Operation operation, List<String> willRun, List<Skipped> skipped, String summary) {

    /** A service the operation will not run on, and the state it is in. */
    public record Skipped(String service, ServiceState state) {
    }

    public boolean isEmpty() {
        return willRun.isEmpty();
    }
}
