package org.sluice.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The specification's chart as the tests expect it: a copy kept with the tests
 * ({@code src/test/resources/org/sluice/lifecycle/expected-state-chart.csv}), independent of the
 * chart the application bundles and loads. Comparing the loaded chart with this copy catches a
 * changed cell in the bundled file on every checkout, with or without the specification beside it
 * (which {@code StateChartTest} also compares this copy with, where it is there).
 */
final class ChartFile {
    static final String RESOURCE = "/org/sluice/lifecycle/expected-state-chart.csv";
    static final String TEXT = read();
    static final String[] LINES = TEXT.split("\n");

    private ChartFile() {
    }

    private static String read() {
        try (InputStream in = ChartFile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
