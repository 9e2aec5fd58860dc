package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.RestartCause;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.throttle.ThrottleState;

/** What {@code sluice host} prints of the host's restarts of its own. */
class HostPrinterTest {

    private static InstanceView down(RestartCause cause) {
        return new InstanceView(0, InstanceStatus.RESTARTING, ThrottleState.NORMAL, Set.of(), OptionalLong.empty(), Optional.empty(),
                2, cause);
    }

    @Test
    void aTryAfterAHostRestartAndGivingUpSayTheHostRestartedAndACrashSaysItCrashed() {
        StringWriter out = new StringWriter();
        HostCommand.Printer printer = new HostCommand.Printer(new PrintWriter(out, true));

        printer.instanceEvent("orders", down(RestartCause.HOST_RESTART), new InstanceEvent.Restarting(2, 400, RestartCause.HOST_RESTART));
        printer.instanceEvent("orders", down(RestartCause.HOST_RESTART), new InstanceEvent.GaveUp(6, RestartCause.HOST_RESTART));
        printer.instanceEvent("orders", down(RestartCause.CRASH), new InstanceEvent.Restarting(2, 400, RestartCause.CRASH));

        assertThat(out.toString().lines()).containsExactly(
                "orders: instance 0 is not back after the host restarted; trying again in 400 ms (retry 2 of 5)",
                "orders: instance 0 did not come back after the host restarted, in 6 tries, and is left down; Restart the service to try again",
                "orders: instance 0 starts again in 400 ms (crash 2 in a row)");
    }
}
