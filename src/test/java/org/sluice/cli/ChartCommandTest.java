package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ChartCommandTest {

    @Test
    void printsTheChartExactlyAsTheChartFileIsWritten() throws IOException {
        String file;
        // The tests' own copy of the specification's chart, not the one the application bundles.
        try (InputStream in = ChartCommandTest.class.getResourceAsStream("/org/sluice/lifecycle/expected-state-chart.csv")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        CommandLineRun run = CommandLineRun.run("chart");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(file);
        assertThat(run.out()).startsWith("state,Start,Stop,Restart,Suspend,Resume,Delete,Scale,UpdateConfiguration,Backup\n"
                + "Active,,x,x,x,,x,x,x,x\n");
    }
}
