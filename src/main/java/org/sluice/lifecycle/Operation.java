package org.sluice.lifecycle;

import java.util.Arrays;
import java.util.Optional;

/**
 * Everything the operation log records: what an operator can ask of a service, and what the host
 * does to one on its own.
 *
 * <p>The first nine are the columns of the state chart. The next five are governed by rules of the
 * specification rather than the chart: {@link #CREATE} and {@link #RESTORE} bring a new service
 * into being, {@link #DISABLE} and {@link #ENABLE} act on all services of an account, and
 * {@link #SERVICE_UPDATE} is a platform version change. The last two are the host's own
 * ({@link #byHost()}): supervision starting a crashed role instance again, and leaving one down
 * after too many crashes in a row. Nobody can ask for those: the lifecycle never allows them, so
 * no console offers them and no host accepts them as commands.
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
    SERVICE_UPDATE("ServiceUpdate", false),
    /** The host started a role instance again after it crashed. */
    INSTANCE_RESTART("InstanceRestart", false),
    /** The host left a role instance down after it crashed too many times in a row. */
    INSTANCE_LEFT_DOWN("InstanceLeftDown", false);

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

    /**
     * True for what the host does on its own, for supervision: logged with the instance and its
     * crash, never asked for.
     */
    public boolean byHost() {
        return this == INSTANCE_RESTART || this == INSTANCE_LEFT_DOWN;
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
