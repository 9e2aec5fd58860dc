package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class StateChartTest {

    @Test
    void loadedChartMatchesTheExpectedChartCellByCell() throws IOException {
        String[] lines = ChartFile.LINES;
        String[] header = lines[0].split(",", -1);
        StateChart chart = StateChart.standard();

        assertThat(lines).hasSize(17);
        assertThat(header).hasSize(10);
        int compared = 0;
        for (int line = 1; line < lines.length; line++) {
            String[] row = lines[line].split(",", -1);
            ServiceState state = ServiceState.fromChartName(row[0]).orElseThrow();
            for (int column = 1; column < header.length; column++) {
                Operation operation = Operation.fromChartName(header[column]).orElseThrow();
                boolean inFile = "x".equals(row[column]);
                assertThat(chart.allows(state, operation))
                        .as("%s / %s", row[0], header[column])
                        .isEqualTo(inFile);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(16 * 9);
    }

    @Test
    void expectedChartIsTheSpecificationsChart() throws IOException {
        String location = System.getProperty("sluice.spec.chart", "../shared/spec/state-chart.csv");
        Path spec = Path.of(location);
        assumeTrue(Files.isRegularFile(spec), "the specification's chart is not beside this checkout");
        assertThat(ChartFile.TEXT).isEqualTo(Files.readString(spec, StandardCharsets.UTF_8));
    }

    @Test
    void printsBackExactlyTheFileItWasReadFrom() throws IOException {
        assertThat(StateChart.standard().toCsv()).isEqualTo(ChartFile.TEXT);
    }

    @Test
    void keepsTheOrderOfRowsAndColumns() {
        StateChart chart = StateChart.standard();
        assertThat(chart.states()).first().isEqualTo(ServiceState.ACTIVE);
        assertThat(chart.states()).last().isEqualTo(ServiceState.SCALE_FAILED);
        assertThat(chart.operations()).containsExactly(Operation.START, Operation.STOP, Operation.RESTART,
                Operation.SUSPEND, Operation.RESUME, Operation.DELETE, Operation.SCALE,
                Operation.UPDATE_CONFIGURATION, Operation.BACKUP);
    }

    @Test
    void transitionalStatesHaveNoRowAndAllowNothing() {
        StateChart chart = StateChart.standard();
        for (ServiceState state : ServiceState.values()) {
            if (state.isTransitional()) {
                assertThat(chart.states()).doesNotContain(state);
                assertThat(chart.allowed(state)).as(state.chartName()).isEmpty();
            } else {
                assertThat(chart.states()).contains(state);
            }
        }
    }

    @Test
    void refusesAChartWithAnUnknownState() throws IOException {
        String csv = ChartFile.TEXT.replace("ScaleFailed,", "Scaling,");
        assertThatThrownBy(() -> StateChart.parse(new StringReader(csv)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 17").hasMessageContaining("Scaling");
    }

    @Test
    void refusesACellThatIsNeitherEmptyNorX() throws IOException {
        String csv = ChartFile.TEXT.replace("Disabled,,,,,,x", "Disabled,,,,,,yes");
        assertThatThrownBy(() -> StateChart.parse(new StringReader(csv)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3").hasMessageContaining("yes");
    }

    @Test
    void refusesAChartMissingARow() throws IOException {
        String csv = ChartFile.TEXT.replaceAll("(?m)^RestoreFailed,.*\n", "");
        assertThatThrownBy(() -> StateChart.parse(new StringReader(csv)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RestoreFailed");
    }

    @Test
    void refusesAnUnknownOrMissingOperationColumn() throws IOException {
        String renamed = ChartFile.TEXT.replace(",Backup\n", ",Archive\n");
        assertThatThrownBy(() -> StateChart.parse(new StringReader(renamed)))
                .hasMessageContaining("Archive");
        String missing = "state,Start\nActive,\n";
        assertThatThrownBy(() -> StateChart.parse(new StringReader(missing)))
                .hasMessageContaining("nine chart operations");
    }
}
