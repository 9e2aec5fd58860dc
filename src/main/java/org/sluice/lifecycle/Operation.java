package org.sluice.lifecycle;

import java.util.Arrays;
import java.util.Optional;

/**
 * Everything an operator can ask of a service.
 *
 * <p>The first nine are the columns of the state chart. The others are governed by rules of the
 * specification rather than the chart: {@link #CREATE} and {@link #RESTORE} bring a new service
 * into being, {@link #DISABLE} and {@link #ENABLE} act on all services of an account, and
 * {@link #SERVICE_UPDATE} is a platform version change.
 */
public enum Operation {
    START("Start", true),
    STOP("Stop", true),
    RESTART("Restart", true),
    SUSPEND("Suspend", true),
    RESUME("Resume", true),
    DELETE("Delete", true),
    SCALE("Scale", true),
    UPDATE_CONFIGURATION("UpdateConfiguration", true),
    BACKUP("Backup", true),
    CREATE("Create", false),
    RESTORE("Restore", false),
    DISABLE("Disable", false),
    ENABLE("Enable", false),
    SERVICE_UPDATE("ServiceUpdate", false);

    private final String chartName;
    private final boolean inChart;

    Operation(String chartName, boolean inChart) {
        this.chartName = chartName;
        this.inChart = inChart;
    }

    /** The name used in the chart's header, the operation log and on the wire. */
    public String chartName() {
        return chartName;
    }

    /** True for the nine operations that are columns of the state chart. */
    public boolean inChart() {
        return inChart;
    }

    /** True for the operations that bring a new service into being rather than act on one. */
    public boolean createsService() {
        return this == CREATE || this == RESTORE;
    }

    /** The operation whose chart name is {@code name} (case-sensitive), if there is one. */
    public static Optional<Operation> fromChartName(String name) {
        return Arrays.stream(values()).filter(o -> o.chartName.equals(name)).findFirst();
    }
}
