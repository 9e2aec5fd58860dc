package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Problem;

/**
 * Why an operation failed, in the console's words: the phrase of the host's {@link Problem} (its
 * code and arguments) from the console's bundle, said in the language of then. For a code the
 * console does not know (a newer host), an argument missing, or a host older than problems, the
 * host's own English text is said as it is.
 */
public final class ProblemWords {
    /** The key of a problem's phrase is this and its code: {@code problem.instance-not-ready}. */
    static final String KEY = "problem.";

    /**
     * The problems the console can say, each with the names of its arguments in the order of its
     * phrase's {0}, {1}…; a problem with an inner one has it as its last argument.
     */
    private static final Map<String, List<String>> ARGUMENTS = Map.ofEntries(
            Map.entry("injected-fault", List.of()),
            Map.entry("interrupted-by-host-stop", List.of()),
            Map.entry("unexpected", List.of("reason")),
            Map.entry("backup-not-written", List.of("reason")),
            Map.entry("configuration-not-valid", List.of("problems")),
            Map.entry("configuration-not-started", List.of()),
            Map.entry("instance-not-launched", List.of("instance", "reason")),
            Map.entry("instance-not-ready", List.of("instance", "seconds", "service")),
            Map.entry("instance-did-not-start", List.of("instance", "reason")),
            Map.entry("instance-start-interrupted", List.of("instance")),
            Map.entry("instances-killed", List.of("instances", "seconds")),
            Map.entry("instances-not-released", List.of("reason")),
            Map.entry("service-not-removed", List.of("reason")),
            Map.entry("no-running-instance", List.of()),
            Map.entry("instances-not-running", List.of("instances")),
            Map.entry("instance-not-confirmed", List.of("instance", "action", "ms")),
            Map.entry("instance-confirmation-failed", List.of("instance", "action", "reason")),
            Map.entry("instance-confirmation-interrupted", List.of("instance", "action")),
            Map.entry("restart-state-runs-none", List.of()),
            Map.entry("restart-replaced", List.of()),
            Map.entry("restart-exited-before-ready", List.of("instance", "status")),
            Map.entry("restart-not-launched", List.of("instance", "reason")),
            Map.entry("left-down-after-crashes", List.of("instance", "crashes")),
            Map.entry("left-down-after-host-restart", List.of("tries")));

    /** The problems whose phrase says the problem inside them. */
    private static final List<String> WITH_INNER = List.of("configuration-not-started", "left-down-after-host-restart");

    /** What an instance was asked to confirm, by the problem argument {@code action}. */
    private static final List<String> ACTIONS = List.of("suspend", "resume");

    private ProblemWords() {
    }

    /** Every key of the bundle this class reads: one for each problem it can say, one for each action. */
    public static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        ARGUMENTS.keySet().forEach(code -> keys.add(KEY + code));
        ACTIONS.forEach(action -> keys.add(KEY + "action." + action));
        return keys;
    }

    /**
     * Why {@code record} failed, to be said in the language of then; empty when it has neither a
     * problem nor an error.
     */
    public static Optional<Phrase> of(OperationRecord record) {
        return record.problem().flatMap(ProblemWords::phrase).or(() -> record.error().map(Phrase::text));
    }

    /** Why {@code record} failed, or its outcome's name when the host gave no reason. */
    public static Phrase orOutcome(OperationRecord record) {
        return of(record).orElseGet(() -> Phrase.text(record.outcome().name()));
    }

    /** The phrase of {@code problem}; empty when the console cannot say it (or a problem inside it). */
    static Optional<Phrase> phrase(Problem problem) {
        List<String> names = ARGUMENTS.get(problem.code());
        if (names == null || WITH_INNER.contains(problem.code()) != problem.inner().isPresent()) {
            return Optional.empty();
        }
        List<Object> arguments = new ArrayList<>();
        for (String name : names) {
            String value = problem.arguments().get(name);
            if (value == null) {
                return Optional.empty();
            }
            if (name.equals("action")) {
                if (!ACTIONS.contains(value)) {
                    return Optional.empty();
                }
                arguments.add(Phrase.of(KEY + "action." + value));
            } else {
                arguments.add(value);
            }
        }
        if (WITH_INNER.contains(problem.code())) {
            Optional<Phrase> inner = phrase(problem.inner().get());
            if (inner.isEmpty()) {
                return Optional.empty();
            }
            arguments.add(inner.get());
        }
        return Optional.of(new Phrase(KEY + problem.code(), arguments));
    }
}
