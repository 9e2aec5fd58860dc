package org.sluice.console.viewmodel;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.value.ObservableBooleanValue;

/**
 * A user action. {@link #executableProperty()} says whether it can run now, and a button binds
 * its {@code disable} to its negation and to nothing else. It is executable while its condition
 * holds and it is not already running.
 */
public abstract class Command {
    private final ReadOnlyBooleanWrapper executable = new ReadOnlyBooleanWrapper(this, "executable");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");

    /** Sets what, besides not running, makes the command executable. */
    protected final void condition(ObservableBooleanValue condition) {
        executable.bind(running.not().and(condition));
    }

    public final ReadOnlyBooleanProperty executableProperty() {
        return executable.getReadOnlyProperty();
    }

    public final boolean isExecutable() {
        return executable.get();
    }

    public final ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    protected final void setRunning(boolean value) {
        running.set(value);
    }

    /** Runs the command; when it is not executable it explains why instead. */
    public final void execute() {
        if (!isExecutable()) {
            refused();
            return;
        }
        run();
    }

    /** The work; call {@link #setRunning} around anything asynchronous. */
    protected abstract void run();

    /** Said when the command is asked to run while it is not executable. */
    protected abstract void refused();
}
