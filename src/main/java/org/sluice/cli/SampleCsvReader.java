package org.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.sluice.throttle.InvalidSampleException;
import org.sluice.throttle.Sample;

/**
 * Reads recorded samples of one instance: a header {@value #HEADER}, then one sample per line.
 * Every problem is reported as a {@link BadInputException} naming the line, in the user's language.
 */
final class SampleCsvReader {
    static final String HEADER = "time_ms,memory_percent,concurrent_messages,cores";
    private static final String[] COLUMNS = HEADER.split(",");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final BufferedReader reader;
    private int lineNumber;
    private String[] cells = new String[0];

    SampleCsvReader(BufferedReader reader) {
        this.reader = reader;
    }

    /** The line number of the last line read, counting the header as line 1. */
    int lineNumber() {
        return lineNumber;
    }

    /** Reads and checks the header. */
    void readHeader() throws IOException {
        String header = reader.readLine();
        lineNumber = 1;
        if (header != null && !header.isEmpty() && header.charAt(0) == BYTE_ORDER_MARK) {
            header = header.substring(1);
        }
        if (header == null || !HEADER.equals(header.strip())) {
            throw new BadInputException(Messages.get("replay.error.header", lineNumber, HEADER));
        }
    }

    /** The next sample, or empty at the end of the input. Blank lines are skipped. */
    Optional<Sample> next() throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                return Optional.empty();
            }
            lineNumber++;
        } while (line.isBlank());

        cells = line.split(",", -1);
        if (cells.length < COLUMNS.length) {
            throw new BadInputException(Messages.get("replay.error.missingColumn", lineNumber, COLUMNS[cells.length]));
        }
        if (cells.length > COLUMNS.length) {
            throw new BadInputException(Messages.get("replay.error.extraColumn", lineNumber, cells.length, COLUMNS.length));
        }
        long time = whole(cells[0], 0);
        double memory = decimal(cells[1], 1);
        long concurrent = whole(cells[2], 2);
        long cores = whole(cells[3], 3);
        if (cores > Integer.MAX_VALUE) {
            throw new BadInputException(Messages.get("replay.error.notANumber", lineNumber, COLUMNS[3], cells[3].strip()));
        }
        try {
            return Optional.of(new Sample(time, memory, concurrent, (int) cores));
        } catch (InvalidSampleException e) {
            throw problem(e);
        }
    }

    /**
     * The user's-language message for a sample that was refused, naming the current line and the
     * value as it was written there.
     */
    BadInputException problem(InvalidSampleException e) {
        String key = "replay.error." + e.problem().name().toLowerCase(Locale.ROOT);
        int column = switch (e.problem()) {
            case NEGATIVE_TIME, TIME_BACKWARDS -> 0;
            case MEMORY_NOT_A_NUMBER, MEMORY_NEGATIVE, MEMORY_OVER_100 -> 1;
            case NEGATIVE_CONCURRENCY -> 2;
            case CORES_BELOW_ONE -> 3;
        };
        String written = column < cells.length ? cells[column].strip() : e.value();
        return new BadInputException(Messages.get(key, lineNumber, written));
    }

    private long whole(String cell, int column) {
        String value = cell.strip();
        if (WHOLE.matcher(value).matches()) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException tooLarge) {
                // Falls through to the same message as any other text that is not a usable number.
            }
        }
        throw new BadInputException(Messages.get("replay.error.notANumber", lineNumber, COLUMNS[column], value));
    }

    private double decimal(String cell, int column) {
        String value = cell.strip();
        if (!DECIMAL.matcher(value).matches()) {
            throw new BadInputException(Messages.get("replay.error.notANumber", lineNumber, COLUMNS[column], value));
        }
        return Double.parseDouble(value);
    }

    /** Input that cannot be replayed; the message is ready for the user. */
    static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInputException(String message) {
            super(message);
        }
    }
}
