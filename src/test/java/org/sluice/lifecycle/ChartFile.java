package org.sluice.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The bundled chart file, read as plain text for tests that compare against it. */
final class ChartFile {
    static final String TEXT = read();
    static final String[] LINES = TEXT.split("\n");

    private ChartFile() {
    }

    private static String read() {
        try (InputStream in = StateChart.class.getResourceAsStream(StateChart.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("state-chart.csv is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
