package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.FreshClasses;

class SluiceMainTest {

    @Test
    void withNoCommandItOpensTheConsole() {
        int[] opened = {0};
        int status = SluiceMain.run(new String[0], InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), () -> opened[0]++);
        assertThat(status).isZero();
        assertThat(opened[0]).isEqualTo(1);
    }

    @Test
    void openingTheConsoleBuildsNoCommandLine() throws Exception {
        // Building picocli's command line with every subcommand cost the installed console's start
        // about as much CPU as its first frame; with no argument there is nothing to parse.
        try (FreshClasses loader = new FreshClasses()) {
            int[] opened = {0};
            int status = FreshMain.run(loader, new String[0], new StringWriter(), () -> opened[0]++);
            assertThat(status).isEqualTo(0);
            assertThat(opened[0]).isEqualTo(1);
            assertThat(loader.loaded("picocli.CommandLine")).as("picocli's command line, loaded for no argument").isFalse();
        }
    }

    @Test
    void anInstanceLaunchBuildsOnlyTheInstancesCommand() throws Exception {
        // A host starts every role instance through this door; building the command line with every
        // subcommand (the ctl tree above all) took most of an instance's launch to ready.
        try (FreshClasses loader = new FreshClasses()) {
            StringWriter out = new StringWriter();
            int status = FreshMain.run(loader, new String[] {"instance", "--help"}, out, () -> {
                throw new UnsupportedOperationException("open");
            });
            assertThat(status).isEqualTo(0);
            assertThat(out.toString()).startsWith("Usage: sluice instance").contains("--definition=FILE");
            assertThat(loader.loaded("org.sluice.cli.CtlCommand")).as("the ctl command, loaded for an instance").isFalse();
            assertThat(loader.loaded("org.sluice.cli.HostCommand")).as("the host command, loaded for an instance").isFalse();
        }
    }

    @Test
    void whenTheConsoleCannotOpenItSaysWhyAndFails() {
        StringWriter err = new StringWriter();
        int status = SluiceMain.run(new String[0], InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true), () -> {
                    throw new UnsupportedOperationException("Unable to open DISPLAY");
                });
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("Unable to open DISPLAY").contains("sluice --help");
    }

    @Test
    void printsItsVersion() {
        CommandLineRun run = CommandLineRun.run("--version");
        assertThat(run.status()).isZero();
        assertThat(run.out().strip()).matches("Sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(run.out()).doesNotContain("${");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "chart", "replay", "keys", "ctl", "load", "help"})
    void everyCommandHasHelp(String command) {
        CommandLineRun run = command.isEmpty() ? CommandLineRun.run("--help") : CommandLineRun.run(command, "--help");
        assertThat(run.status()).isZero();
        // A command may print a one-line header above its usage line.
        String help = run.out().substring(run.out().indexOf("Usage: "));
        assertThat(help).startsWith("Usage: sluice" + (command.isEmpty() ? "" : " " + command));
        // The synopsis may wrap; the description follows the first blank line.
        assertThat(help.lines().dropWhile(line -> !line.isBlank()).skip(1).findFirst()).hasValueSatisfying(description -> assertThat(description).isNotBlank());
    }

    @Test
    void topLevelHelpListsTheCommands() {
        String help = CommandLineRun.run("--help").out();
        assertThat(help).contains("chart ").contains("replay ").contains("load ").contains("help ");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CommandLineRun run = CommandLineRun.run("frobnicate");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("frobnicate");
    }

    @Test
    void speaksKoreanInAKoreanLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.KOREA);
        try {
            assertThat(CommandLineRun.run("replay", "--help").out())
                    .startsWith("사용법: sluice replay")
                    .contains("상태 변화 대신 제한 기간을 출력합니다.");
            assertThat(CommandLineRun.run("replay", "--episodes").err())
                    .contains("1행");
        } finally {
            Locale.setDefault(before);
        }
    }
}
