package org.sluice.console.viewmodel;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import org.sluice.lifecycle.Advice;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/**
 * One chart operation on one service row. Executable exactly when the row's host is connected, the
 * chart allows the operation in the row's state and no operation runs on the service; its tooltip
 * says what it does, or why it cannot and the way out.
 */
public final class OperationCommand extends Command {
    /** Runs an operation on a row: the services view model does the asking and the calling. */
    @FunctionalInterface
    interface Invoker {
        void invoke(ServiceRowViewModel row, Operation operation, OperationCommand command);
    }

    private static final String INSTEAD_KEY = "reason.instead";
    private static final String FIRST_KEY = "reason.first";
    private static final String ALREADY_KEY = "reason.already";

    private final ServiceRowViewModel row;
    private final Operation operation;
    private final Invoker invoker;
    private final I18n i18n;
    private final Lifecycle rules;
    private final ReadOnlyStringWrapper tooltip = new ReadOnlyStringWrapper(this, "tooltip");

    OperationCommand(ServiceRowViewModel row, Operation operation, Lifecycle rules, I18n i18n, Invoker invoker) {
        this.row = row;
        this.operation = operation;
        this.invoker = invoker;
        this.i18n = i18n;
        condition(Bindings.createBooleanBinding(() -> allowed(row, operation, rules),
                row.staleProperty(), row.stateProperty(), row.runningProperty()));
        this.rules = rules;
        tooltip.bind(Bindings.createStringBinding(() -> i18n.say(words()),
                executableProperty(), row.stateProperty(), row.host().blockedReasonWordsProperty(), i18n.localeProperty()));
    }

    /** The condition besides not running: the host is connected, nothing runs on the service and the chart allows it. */
    static boolean allowed(ServiceRowViewModel row, Operation operation, Lifecycle rules) {
        return !row.isStale() && row.getRunning() == null && rules.allows(row.getState(), operation);
    }

    public Operation operation() {
        return operation;
    }

    /** What the action does, or why it cannot run now and the way out. */
    public ReadOnlyStringProperty tooltipProperty() {
        return tooltip.getReadOnlyProperty();
    }

    public String getTooltip() {
        return tooltip.get();
    }

    /** The tooltip as words: what the action does, or why it cannot run now and the way out. */
    private Phrase words() {
        if (isExecutable()) {
            return Phrase.of("action." + operation.chartName() + ".tooltip");
        }
        return row.isStale() ? row.host().blockedReasonWordsProperty().get() : reason(row.getState());
    }

    private Phrase reason(ServiceState state) {
        Phrase op = i18n.operationPhrase(operation);
        Phrase stateLabel = i18n.statePhrase(state);
        if (state.isTransitional() || row.getRunning() != null) {
            return Phrase.of("reason.running", op, stateLabel);
        }
        if (runningProperty().get()) {
            return Phrase.of("reason.sending", op);
        }
        return Advice.forOperation(rules, state, operation)
                .map(advice -> Phrase.of(switch (advice.kind()) {
                    case INSTEAD -> INSTEAD_KEY;
                    case FIRST -> FIRST_KEY;
                    case ALREADY -> ALREADY_KEY;
                }, op, stateLabel, Phrase.of("verb." + advice.operation().chartName())))
                .orElseGet(() -> Phrase.of("reason.deleteOnly", op, stateLabel));
    }

    void started() {
        setRunning(true);
        row.sending(this);
    }

    void finished() {
        setRunning(false);
        row.answered(this);
    }

    @Override
    protected void run() {
        invoker.invoke(row, operation, this);
    }

    @Override
    protected void refused() {
        // Words rather than the tooltip's text: the notice follows a language switch.
        row.refused(operation, words());
    }
}
