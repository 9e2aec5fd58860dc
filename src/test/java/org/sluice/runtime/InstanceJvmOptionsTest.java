package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options the host starts role-instance JVMs with. An instance's standard output carries only
 * its protocol, so an ahead-of-time cache that does not fit this JVM (another JDK build, a damaged
 * file) must give a normal start without a word on it.
 */
@Timeout(60)
class InstanceJvmOptionsTest {
    @TempDir
    Path temp;

    @Test
    void aCacheIsUsedOnlyWhenItsFileExists() throws IOException {
        Path missing = temp.resolve("missing.aot");
        Path present = Files.writeString(temp.resolve("instance.aot"), "x");

        assertThat(ProcessInstanceLauncher.jvmOptions(Optional.of(missing))).noneMatch(o -> o.startsWith("-XX:AOTCache"));
        assertThat(ProcessInstanceLauncher.jvmOptions(Optional.empty())).noneMatch(o -> o.startsWith("-XX:AOTCache"));
        assertThat(ProcessInstanceLauncher.jvmOptions(Optional.of(present))).contains("-XX:AOTCache=" + present);
    }

    @Test
    void aCacheThatDoesNotFitGivesANormalStartAndPrintsNothing() throws Exception {
        Path damaged = temp.resolve("damaged.aot");
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(junk);
        Files.write(damaged, junk);

        Run run = java(ProcessInstanceLauncher.jvmOptions(Optional.of(damaged)), "--version");

        assertThat(run.status).isZero();
        assertThat(run.stdout).as("exactly the version line").matches("Sluice \\S+\\R");
        assertThat(run.stderr).isEmpty();
    }

    @Test
    void withoutTheQuietOptionsTheSameCacheWouldSpillOntoStandardOutput() throws Exception {
        // Shows what the quiet options guard against: the JVM's own complaint lands on standard
        // output, where the host expects only protocol lines.
        Path damaged = Files.write(temp.resolve("damaged.aot"), new byte[64 * 1024]);

        Run run = java(List.of("-XX:AOTCache=" + damaged), "--version");

        assertThat(run.stdout).contains("[aot]");
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private Run java(List<String> options, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.sluice.cli.SluiceMain"));
        command.addAll(List.of(args));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(50, TimeUnit.SECONDS)).as("the JVM ends").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
