package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sluice.fleet.Fleet;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/**
 * One chart operation on many services at once, on whichever hosts they run: first a
 * {@link BulkPlan} that says which of the selected services will run it and which are skipped for
 * their state or because their host is not connected, then, once the user agrees, the operation on
 * each service that allows it, each with its own notice.
 */
public final class BulkActionViewModel {
    /**
     * Operations that need an answer for each service (its typed name, its units, its definition),
     * so they are offered one service at a time only.
     */
    private static final Set<Operation> ONE_AT_A_TIME =
            EnumSet.of(Operation.DELETE, Operation.SCALE, Operation.UPDATE_CONFIGURATION);

    private final Fleet fleet;
    private final I18n i18n;
    private final BackgroundExecutor executor;
    private final DialogService dialogs;
    private final NoticesViewModel notices;
    private final List<Operation> operations;

    /** @param notices where each service's result is told */
    public BulkActionViewModel(Fleet fleet, Lifecycle rules, I18n i18n, BackgroundExecutor executor, DialogService dialogs,
                               NoticesViewModel notices) {
        this.fleet = fleet;
        this.i18n = i18n;
        this.executor = executor;
        this.dialogs = dialogs;
        this.notices = notices;
        this.operations = rules.chart().operations().stream().filter(o -> !ONE_AT_A_TIME.contains(o)).toList();
    }

    /** The chart operations that can be run on many services at once, in chart order. */
    public List<Operation> operations() {
        return operations;
    }

    /** What {@code operation} would do to {@code targets}: which run it, which are skipped and why. */
    public BulkPlan preview(Operation operation, List<ServiceRowViewModel> targets) {
        List<String> willRun = new ArrayList<>();
        List<BulkPlan.Skipped> skipped = new ArrayList<>();
        for (ServiceRowViewModel row : targets) {
            if (row.canRun(operation)) {
                willRun.add(row.name());
            } else {
                skipped.add(new BulkPlan.Skipped(row.name(), row.getState(), row.isStale()));
            }
        }
        Phrase summary = summary(operation, willRun, skipped);
        return new BulkPlan(operation, List.copyOf(willRun), List.copyOf(skipped), i18n.say(summary), summary);
    }

    /**
     * How the bulk menu offers {@code operation} for the selected {@code targets}: its name and how
     * many of them it would reach, and whether it reaches any. An operation none of them allows is
     * offered disabled, so that choosing it does not end in a quiet "0 will start".
     */
    public Offer offer(Operation operation, List<ServiceRowViewModel> targets) {
        long reached = targets.stream().filter(row -> row.canRun(operation)).count();
        String name = i18n.operation(operation);
        return reached == 0
                ? new Offer(i18n.get("bulk.offer.none", name, targets.size()), false)
                : new Offer(i18n.get("bulk.offer", name, reached, targets.size()), true);
    }

    /** An operation as the bulk menu offers it: its label, and whether any selected service allows it. */
    public record Offer(String label, boolean possible) {
    }

    /** The plan in words, kept to be said again in the language the console switches to. */
    private Phrase summary(Operation operation, List<String> willRun, List<BulkPlan.Skipped> skipped) {
        String verbKey = "bulk.run." + operation.chartName();
        Object verb = i18n.has(verbKey) ? Phrase.of(verbKey) : i18n.operation(operation).toLowerCase(i18n.locale());
        Phrase run = Phrase.of("bulk.willRun", willRun.size(), verb);
        if (skipped.isEmpty()) {
            return run;
        }
        Map<ServiceState, Integer> byState = new EnumMap<>(ServiceState.class);
        int stale = 0;
        for (BulkPlan.Skipped s : skipped) {
            if (s.stale()) {
                stale++;
            } else {
                byState.merge(s.state(), 1, Integer::sum);
            }
        }
        List<Object> parts = new ArrayList<>();
        byState.forEach((state, count) -> parts.add(counted(count, skipped.size(), i18n.statePhrase(state))));
        if (stale > 0) {
            parts.add(counted(stale, skipped.size(), Phrase.of("bulk.hostNotConnected")));
        }
        return Phrase.of("bulk.withSkipped", run, skipped.size(), Phrase.joined(", ", parts));
    }

    /** Why some were skipped, with how many when not all of them were skipped for it. */
    private static Phrase counted(int count, int skipped, Phrase why) {
        return count == skipped ? why : Phrase.of("bulk.skippedCount", count, why);
    }

    /**
     * Shows the preview and, if the user agrees, runs the operation on each service that allows
     * it. Each service gets its own result; one failure does not stop the others.
     */
    public void run(Operation operation, List<ServiceRowViewModel> targets) {
        BulkPlan plan = preview(operation, targets);
        if (plan.isEmpty()) {
            notices.post(Notice.Kind.INFO, null, plan.summaryWords());
            return;
        }
        if (!dialogs.confirmBulk(plan)) {
            return;
        }
        for (String name : plan.willRun()) {
            executor.run(() -> fleet.perform(name, operation),
                    ticket -> notices.post(Notice.Kind.INFO, name, i18n.phrase("notice.accepted", name, i18n.operationPhrase(operation))),
                    failure -> notices.commandFailed(name, operation, failure));
        }
    }
}
