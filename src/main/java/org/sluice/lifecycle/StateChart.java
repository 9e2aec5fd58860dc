package org.sluice.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state chart: which of the nine chart operations each resting state allows.
 *
 * <p>The chart is data, read from {@code state-chart.csv} (one row per resting state, one column
 * per operation, {@code x} where the operation is allowed) so that the code cannot drift from the
 * specification. The order of rows and columns is kept, so {@link #toCsv()} gives the file back.
 */
public final class StateChart {
    static final String RESOURCE = "state-chart.csv";
    private static final String STATE_COLUMN = "state";
    private static final String ALLOWED = "x";

    private final List<ServiceState> rows;
    private final List<Operation> columns;
    private final Map<ServiceState, Set<Operation>> allowed;

    private StateChart(List<ServiceState> rows, List<Operation> columns,
                       Map<ServiceState, Set<Operation>> allowed) {
        this.rows = List.copyOf(rows);
        this.columns = List.copyOf(columns);
        this.allowed = allowed;
    }

    /** The chart that ships with Sluice. */
    public static StateChart standard() {
        return Standard.CHART;
    }

    private static final class Standard {
        static final StateChart CHART = load();

        private static StateChart load() {
            InputStream in = StateChart.class.getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IllegalStateException("The state chart resource " + RESOURCE + " is missing from the class path");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return parse(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the state chart resource", e);
            }
        }
    }

    /**
     * Reads a chart in the format of {@code state-chart.csv}.
     *
     * @throws IllegalArgumentException naming the line when the text is not a complete chart:
     *         an unknown state or operation, a cell other than empty or {@code x}, a missing or
     *         repeated row or column
     */
    public static StateChart parse(Reader source) throws IOException {
        BufferedReader reader = new BufferedReader(source);
        String header = reader.readLine();
        if (header == null) {
            throw new IllegalArgumentException("The state chart is empty");
        }
        String[] names = header.split(",", -1);
        if (!STATE_COLUMN.equals(names[0])) {
            throw new IllegalArgumentException("line 1: the first column must be '" + STATE_COLUMN + "'");
        }
        List<Operation> columns = new ArrayList<>();
        for (int i = 1; i < names.length; i++) {
            String name = names[i];
            Operation op = Operation.fromChartName(name)
                    .filter(Operation::inChart)
                    .orElseThrow(() -> new IllegalArgumentException("line 1: unknown chart operation '" + name + "'"));
            if (columns.contains(op)) {
                throw new IllegalArgumentException("line 1: operation '" + name + "' appears twice");
            }
            columns.add(op);
        }
        if (columns.size() != EnumSet.allOf(Operation.class).stream().filter(Operation::inChart).count()) {
            throw new IllegalArgumentException("line 1: the chart must have a column for each of the nine chart operations");
        }

        List<ServiceState> rows = new ArrayList<>();
        Map<ServiceState, Set<Operation>> allowed = new EnumMap<>(ServiceState.class);
        String line;
        int lineNumber = 1;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            int at = lineNumber;
            if (cells.length != names.length) {
                throw new IllegalArgumentException("line " + at + ": expected " + names.length + " cells, found " + cells.length);
            }
            ServiceState state = ServiceState.fromChartName(cells[0])
                    .filter(ServiceState::isResting)
                    .orElseThrow(() -> new IllegalArgumentException("line " + at + ": unknown resting state '" + cells[0] + "'"));
            if (allowed.containsKey(state)) {
                throw new IllegalArgumentException("line " + at + ": state '" + cells[0] + "' appears twice");
            }
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            for (int i = 1; i < cells.length; i++) {
                if (ALLOWED.equals(cells[i])) {
                    ops.add(columns.get(i - 1));
                } else if (!cells[i].isEmpty()) {
                    throw new IllegalArgumentException("line " + at + ": cell '" + cells[i] + "' must be empty or '" + ALLOWED + "'");
                }
            }
            rows.add(state);
            allowed.put(state, Collections.unmodifiableSet(ops));
        }
        for (ServiceState state : ServiceState.values()) {
            if (state.isResting() && !allowed.containsKey(state)) {
                throw new IllegalArgumentException("The state chart has no row for '" + state.chartName() + "'");
            }
        }
        return new StateChart(rows, columns, allowed);
    }

    /**
     * The chart operations allowed in {@code state}; empty for a transitional state.
     */
    public Set<Operation> allowed(ServiceState state) {
        return allowed.getOrDefault(state, Set.of());
    }

    /** Whether the chart allows {@code operation} in {@code state}; false for operations outside the chart. */
    public boolean allows(ServiceState state, Operation operation) {
        return allowed(state).contains(operation);
    }

    /** The resting states, in the order of the chart's rows. */
    public List<ServiceState> states() {
        return rows;
    }

    /** The chart operations, in the order of the chart's columns. */
    public List<Operation> operations() {
        return columns;
    }

    /** The chart as CSV, in the format and order it was read in, each line ending with a newline. */
    public String toCsv() {
        StringBuilder out = new StringBuilder(STATE_COLUMN);
        for (Operation op : columns) {
            out.append(',').append(op.chartName());
        }
        out.append('\n');
        for (ServiceState state : rows) {
            out.append(state.chartName());
            for (Operation op : columns) {
                out.append(',').append(allows(state, op) ? ALLOWED : "");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
