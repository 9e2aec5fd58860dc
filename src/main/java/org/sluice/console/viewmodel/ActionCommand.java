package org.sluice.console.viewmodel;

import javafx.beans.value.ObservableBooleanValue;

/** A command that runs an action while its condition holds, and says why not otherwise. */
final class ActionCommand extends Command {
    private final Runnable action;
    private final Runnable onRefused;

    ActionCommand(ObservableBooleanValue condition, Runnable action, Runnable onRefused) {
        this.action = action;
        this.onRefused = onRefused;
        condition(condition);
    }

    /** Marks the command as running while work it started goes on in the background. */
    void setBusy(boolean busy) {
        setRunning(busy);
    }

    @Override
    protected void run() {
        action.run();
    }

    @Override
    protected void refused() {
        onRefused.run();
    }
}
