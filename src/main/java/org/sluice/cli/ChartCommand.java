package org.sluice.cli;

import java.util.concurrent.Callable;

import org.sluice.lifecycle.StateChart;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice chart}: prints the state chart as CSV, in the format and order of {@code state-chart.csv}. */
@Command(name = "chart", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class ChartCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(StateChart.standard().toCsv());
        return 0;
    }
}
