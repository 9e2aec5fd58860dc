package org.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packaging/dev/sluice, the README's way to start the console from a build: the console gets its
 * heap ceiling (docs/decisions/0029-console-heap-ceiling.md), a command of the command line such as
 * {@code sluice host} starts with the JVM's own sizing, as before. The script runs here against a
 * stand-in {@code java} that writes down the options it was given.
 */
class DevLauncherTest {
    static final Path SCRIPT = Path.of("packaging/dev/sluice");

    @TempDir
    Path dir;

    @Test
    void theConsoleStartsWithAHeapCeiling() throws Exception {
        List<String> options = launch();

        assertThat(options).anyMatch(o -> o.startsWith("-Xmx"));
        assertThat(options).contains("-jar");
    }

    @Test
    void aCommandOfTheCommandLineKeepsTheJvmsOwnSizing() throws Exception {
        List<String> options = launch("host", "--port", "0");

        assertThat(options).noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:"));
        assertThat(options).endsWith("host", "--port", "0");
    }

    /** Runs a copy of the script in a folder of its own and returns what it passed to java. */
    private List<String> launch(String... arguments) throws IOException, InterruptedException {
        Path script = Files.copy(SCRIPT, dir.resolve("sluice"));
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path seen = dir.resolve("seen.txt");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + seen + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        assertThat(process.exitValue()).as("exit status; output: %s", Files.readString(dir.resolve("out.txt"))).isZero();
        return Files.readAllLines(seen);
    }
}
