package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayCommandTest {
    private static final String HEADER = "time_ms,memory_percent,concurrent_messages,cores\n";

    /** Memory throttles, concurrency joins it, memory leaves, all clear, memory again. */
    private static final String RECORDING = HEADER
            + "0,50,0,1\n"
            + "100,69.9,99,1\n"
            + "200,70,0,1\n"
            + "300,65,100,1\n"
            + "400,60,50,1\n"
            + "500,59,41,1\n"
            + "600,30,40,1\n"
            + "700,71,0,2\n"
            + "800,65,0,2\n";

    @Test
    void printsOneLineForEachChangeOfStateOrCauses() {
        CommandLineRun run = CommandLineRun.withInput(RECORDING, "replay");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("time_ms,state,causes\n"
                + "200,THROTTLED,MEMORY\n"
                + "300,THROTTLED,MEMORY+CONCURRENCY\n"
                + "400,THROTTLED,CONCURRENCY\n"
                + "600,NORMAL,\n"
                + "700,THROTTLED,MEMORY\n");
    }

    @Test
    void printsEpisodesWithEachChangeOfTheirCausesAndAnOpenOneLeftWithoutEnd() {
        CommandLineRun run = CommandLineRun.withInput(RECORDING, "replay", "--episodes");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("start_ms,end_ms,duration_ms,causes,cause_history\n"
                + "200,600,400,MEMORY+CONCURRENCY,200:MEMORY;300:MEMORY+CONCURRENCY;400:CONCURRENCY\n"
                + "700,,,MEMORY,700:MEMORY\n");
    }

    @Test
    void aRecordingThatNeverThrottlesPrintsOnlyTheHeader() {
        CommandLineRun run = CommandLineRun.withInput(HEADER + "0,10,10,1\n1,69,99,1\n", "replay");
        assertThat(run.out()).isEqualTo("time_ms,state,causes\n");
        assertThat(CommandLineRun.withInput(HEADER, "replay", "--episodes").out()).isEqualTo("start_ms,end_ms,duration_ms,causes,cause_history\n");
    }

    @Test
    void readsAFileOrStandardInputGivenAsDash(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("samples.csv");
        Files.writeString(file, RECORDING, StandardCharsets.UTF_8);
        String fromStdin = CommandLineRun.withInput(RECORDING, "replay").out();
        assertThat(CommandLineRun.withInput("", "replay", file.toString()).out()).isEqualTo(fromStdin);
        assertThat(CommandLineRun.withInput(RECORDING, "replay", "-").out()).isEqualTo(fromStdin);
    }

    @Test
    void acceptsWindowsLineEndingsAndBlankLines() {
        String crlf = RECORDING.replace("\n", "\r\n") + "\r\n";
        assertThat(CommandLineRun.withInput(crlf, "replay").out()).isEqualTo(CommandLineRun.withInput(RECORDING, "replay").out());
    }

    @Test
    void aMissingFileIsAClearError(@TempDir Path dir) {
        CommandLineRun run = CommandLineRun.withInput("", "replay", dir.resolve("nope.csv").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Cannot read " + dir.resolve("nope.csv") + ": there is no such file." + System.lineSeparator());
    }

    @Test
    void aFolderGivenForTheFileSaysSo(@TempDir Path dir) {
        CommandLineRun run = CommandLineRun.withInput("", "replay", dir.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("Cannot read " + dir + ": it is a folder, not a file." + System.lineSeparator());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing column       | 0,50,1                | line 3: column cores is missing",
        "extra column         | 0,50,1,1,9            | line 3: 5 columns where 4 are expected",
        "not a number         | 0,fifty,1,1           | line 3: memory_percent \"fifty\" is not a number",
        "fractional count     | 0,50,1.5,1            | line 3: concurrent_messages \"1.5\" is not a number",
        "negative time        | -5,50,1,1             | line 3: time_ms -5 is negative",
        "negative memory      | 0,-1,1,1              | line 3: memory_percent -1 is negative",
        "negative messages    | 0,50,-1,1             | line 3: concurrent_messages -1 is negative",
        "memory over 100      | 0,100.5,1,1           | line 3: memory_percent 100.5 is over 100",
        "cores below 1        | 0,50,1,0              | line 3: cores 0 is below 1",
        "negative cores       | 0,50,1,-2             | line 3: cores -2 is below 1",
        "time going backwards | 5,50,1,1\\n4,50,1,1   | line 4: time_ms 4 goes back before the previous line",
    })
    void badInputNamesTheLineAndTheProblemAndExitsWithTwo(String problem, String lines, String message) {
        CommandLineRun run = CommandLineRun.withInput(HEADER + "1,10,0,1\n" + lines.replace("\\n", "\n") + "\n", "replay");
        assertThat(run.status()).as(problem).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo(message);
    }

    @Test
    void aWrongOrMissingHeaderIsLineOne() {
        CommandLineRun wrong = CommandLineRun.withInput("time,memory,messages,cores\n0,1,1,1\n", "replay");
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).startsWith("line 1: the first line must be the header time_ms,memory_percent,concurrent_messages,cores");

        CommandLineRun empty = CommandLineRun.withInput("", "replay");
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).startsWith("line 1:");
    }

    @Test
    void changesPrintedBeforeABadLineAreKept() {
        CommandLineRun run = CommandLineRun.withInput(HEADER + "0,75,0,1\n1,oops,0,1\n", "replay");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("time_ms,state,causes\n0,THROTTLED,MEMORY\n");
        assertThat(run.err()).contains("line 3");
    }
}
