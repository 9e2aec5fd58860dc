package org.sluice.lifecycle;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every state an integration service can be in.
 *
 * <p>Resting states are the rows of the state chart; a service stays in one until an operator
 * starts an operation. Transitional states are shown while an operation runs and allow no other
 * operation. The chart names of the resting states are those of {@code state-chart.csv}.
 */
public enum ServiceState {
    ACTIVE("Active", Kind.RESTING),
    DISABLED("Disabled", Kind.RESTING),
    SUSPENDED("Suspended", Kind.RESTING),
    STOPPED("Stopped", Kind.RESTING),
    SERVICE_UPDATE_FAILED("ServiceUpdateFailed", Kind.FAILED),
    DISABLE_FAILED("DisableFailed", Kind.FAILED),
    ENABLE_FAILED("EnableFailed", Kind.FAILED),
    START_FAILED("StartFailed", Kind.FAILED),
    STOP_FAILED("StopFailed", Kind.FAILED),
    RESTART_FAILED("RestartFailed", Kind.FAILED),
    SUSPEND_FAILED("SuspendFailed", Kind.FAILED),
    RESUME_FAILED("ResumeFailed", Kind.FAILED),
    CREATE_FAILED("CreateFailed", Kind.FAILED),
    RESTORE_FAILED("RestoreFailed", Kind.FAILED),
    CONFIG_UPDATE_FAILED("ConfigUpdateFailed", Kind.FAILED),
    SCALE_FAILED("ScaleFailed", Kind.FAILED),

    CREATING("Creating", Kind.TRANSITIONAL),
    STARTING("Starting", Kind.TRANSITIONAL),
    STOPPING("Stopping", Kind.TRANSITIONAL),
    RESTARTING("Restarting", Kind.TRANSITIONAL),
    SUSPENDING("Suspending", Kind.TRANSITIONAL),
    RESUMING("Resuming", Kind.TRANSITIONAL),
    UPDATING("Updating", Kind.TRANSITIONAL),
    BACKING_UP("BackingUp", Kind.TRANSITIONAL),
    RESTORING("Restoring", Kind.TRANSITIONAL),
    DELETING("Deleting", Kind.TRANSITIONAL),
    DISABLING("Disabling", Kind.TRANSITIONAL),
    ENABLING("Enabling", Kind.TRANSITIONAL);

    private enum Kind { RESTING, FAILED, TRANSITIONAL }

    private final String chartName;
    private final Kind kind;

    ServiceState(String chartName, Kind kind) {
        this.chartName = chartName;
        this.kind = kind;
    }

    /** The name used in the state chart, the operation log and on the wire, e.g. {@code StartFailed}. */
    public String chartName() {
        return chartName;
    }

    /** True for the states shown while an operation runs; they allow no operation. */
    public boolean isTransitional() {
        return kind == Kind.TRANSITIONAL;
    }

    /** True for the rows of the state chart: the states a service rests in between operations. */
    public boolean isResting() {
        return kind != Kind.TRANSITIONAL;
    }

    /** True for the resting states an operation lands in when it fails. */
    public boolean isFailure() {
        return kind == Kind.FAILED;
    }

    /**
     * True for the resting states whose services run role instances: Active and Suspended, and the
     * failures that leave the instances that ran (a failed Scale, configuration update, Suspend or
     * Resume). A service in any other state runs none, so there is no health of instances to show.
     */
    public boolean runsInstances() {
        return switch (this) {
            case ACTIVE, SUSPENDED, SCALE_FAILED, CONFIG_UPDATE_FAILED, SUSPEND_FAILED, RESUME_FAILED -> true;
            default -> false;
        };
    }

    /** The state whose chart name is {@code name} (case-sensitive), if there is one. */
    public static Optional<ServiceState> fromChartName(String name) {
        return Arrays.stream(values()).filter(s -> s.chartName.equals(name)).findFirst();
    }
}
