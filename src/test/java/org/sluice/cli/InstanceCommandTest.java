package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class InstanceCommandTest {
    @TempDir
    Path temp;

    @Test
    void isHiddenFromTheCommandList() {
        String help = CommandLineRun.run("--help").out();
        assertThat(help.substring(help.indexOf("Commands:"))).contains("  replay ").doesNotContainPattern("(?m)^\\s+instance\\s");
    }

    @Test
    void hasHelpOfItsOwn() {
        CommandLineRun run = CommandLineRun.run("instance", "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: sluice instance").contains("--definition=FILE").contains("role instance");
    }

    @Test
    void needsItsOptions() {
        assertThat(CommandLineRun.run("instance").status()).isEqualTo(2);
    }

    @Test
    void aMissingDefinitionFileIsAProblemAndTheStartFails() {
        CommandLineRun run = CommandLineRun.run("instance", "--definition", temp.resolve("none.json").toString(),
                "--index", "0", "--work", temp.resolve("work").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).startsWith("{\"event\":\"problem\",\"message\":\"the definition file " + temp.resolve("none.json") + " does not exist").doesNotContain("ready");
    }

    @Test
    void aStylesheetThatDoesNotCompileIsAProblem() throws Exception {
        Path xsl = Files.writeString(temp.resolve("t.xsl"), "<not-a-stylesheet/>");
        Path definition = Files.writeString(temp.resolve("d.json"), "{\"name\":\"a\",\"transform\":\"" + xsl
                + "\",\"destination\":\"dir:" + temp.resolve("out") + "\"}");
        CommandLineRun run = CommandLineRun.run("instance", "--definition", definition.toString(),
                "--index", "0", "--work", temp.resolve("work").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).startsWith("{\"event\":\"problem\",\"message\":\"the transform").doesNotContain("ready");
    }

    @Test
    void runsUntilTheEndOfInputAndStopsCleanly() throws Exception {
        Path definition = Files.writeString(temp.resolve("d.json"), "{\"name\":\"a\",\"destination\":\"dir:"
                + temp.resolve("out") + "\"}");
        CommandLineRun run = CommandLineRun.withInput("suspend\nresume\n", "instance", "--definition", definition.toString(),
                "--index", "2", "--work", temp.resolve("work").toString());
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("{\"event\":\"ready\",\"port\":").endsWith("{\"event\":\"stopped\"}\n");
        assertThat(temp.resolve("out")).isDirectory();
        assertThat(temp.resolve("work")).isDirectory();
    }

    @Test
    void anUnknownTransportIsRefusedWithTheTwoThatExist() {
        CommandLineRun run = CommandLineRun.run("instance", "--definition", temp.resolve("d.json").toString(),
                "--index", "0", "--work", temp.resolve("work").toString(), "--transport", "carrier-pigeon");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown transport 'carrier-pigeon'; use stdio or network.");
    }
}
