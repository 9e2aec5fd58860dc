package org.sluice.console.viewmodel;

import java.util.Set;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import org.sluice.fleet.InstanceSnapshot;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.RestartCause;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

/** One role instance in the service details: status, memory, messages in process and throttling. */
public final class InstanceRowViewModel {
    private final String service;
    private final int index;
    private final ReadOnlyObjectWrapper<InstanceStatus> status = new ReadOnlyObjectWrapper<>(this, "status", InstanceStatus.STARTING);
    private final ReadOnlyDoubleWrapper memoryPercent = new ReadOnlyDoubleWrapper(this, "memoryPercent", Double.NaN);
    private final ReadOnlyLongWrapper inProcess = new ReadOnlyLongWrapper(this, "inProcess");
    private final ReadOnlyObjectWrapper<ThrottleState> throttle = new ReadOnlyObjectWrapper<>(this, "throttle", ThrottleState.NORMAL);
    private final ReadOnlyObjectWrapper<Set<Cause>> causes = new ReadOnlyObjectWrapper<>(this, "causes", Set.of());
    /** Epoch millis when the current episode began; -1 when Normal. */
    private final ReadOnlyLongWrapper throttledSince = new ReadOnlyLongWrapper(this, "throttledSince", -1);
    /** While Restarting or Failed, the crashes in a row behind it. */
    private final ReadOnlyIntegerWrapper crashesInARow = new ReadOnlyIntegerWrapper(this, "crashesInARow");
    /** What {@link #crashesInARow} counts: crashes, or tries after a host restart. */
    private final ReadOnlyObjectWrapper<RestartCause> restartCause = new ReadOnlyObjectWrapper<>(this, "restartCause", RestartCause.CRASH);

    private final ReadOnlyBooleanWrapper suspended = new ReadOnlyBooleanWrapper(this, "suspended");

    InstanceRowViewModel(String service, int index) {
        this.service = service;
        this.index = index;
    }

    public String service() {
        return service;
    }

    public int index() {
        return index;
    }

    /** True while its service is Suspended: a running instance then refuses messages on purpose. */
    public ReadOnlyBooleanProperty suspendedProperty() {
        return suspended.getReadOnlyProperty();
    }

    void suspended(boolean value) {
        suspended.set(value);
    }

    public ReadOnlyObjectProperty<InstanceStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** While Restarting or left down (Failed), the crashes in a row that made it so. */
    public ReadOnlyIntegerProperty crashesInARowProperty() {
        return crashesInARow.getReadOnlyProperty();
    }

    /** What {@link #crashesInARowProperty} counts: crashes, or tries to start it again after a host restart. */
    public ReadOnlyObjectProperty<RestartCause> restartCauseProperty() {
        return restartCause.getReadOnlyProperty();
    }

    /** NaN until the first sample. */
    public ReadOnlyDoubleProperty memoryPercentProperty() {
        return memoryPercent.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty inProcessProperty() {
        return inProcess.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ThrottleState> throttleProperty() {
        return throttle.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Set<Cause>> causesProperty() {
        return causes.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty throttledSinceProperty() {
        return throttledSince.getReadOnlyProperty();
    }

    void update(InstanceSnapshot snapshot) {
        status.set(snapshot.status());
        crashesInARow.set(snapshot.crashesInARow());
        restartCause.set(snapshot.restartCause());
        throttle.set(snapshot.throttle());
        causes.set(snapshot.causes());
        throttledSince.set(snapshot.throttledSinceMs().orElse(-1));
        snapshot.lastSample().ifPresent(this::sample);
    }

    void status(InstanceStatus value, int crashes, RestartCause cause) {
        status.set(value);
        crashesInARow.set(crashes);
        restartCause.set(cause);
        if (value != InstanceStatus.RUNNING) {
            throttle.set(ThrottleState.NORMAL);
            causes.set(Set.of());
            throttledSince.set(-1);
        }
    }

    void sample(InstanceSample sample) {
        memoryPercent.set(sample.memoryPercent());
        inProcess.set(sample.concurrent());
    }

    void throttle(ThrottleTransition transition) {
        throttle.set(transition.state());
        causes.set(transition.causes());
        if (transition.entersThrottled()) {
            throttledSince.set(transition.timeMs());
        } else if (transition.state() == ThrottleState.NORMAL) {
            throttledSince.set(-1);
        }
    }
}
