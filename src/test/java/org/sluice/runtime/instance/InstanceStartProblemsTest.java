package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.definition.DefinitionJson;

/** What an instance that cannot start says: the folder it could not use, why in words, and the way out. */
class InstanceStartProblemsTest {
    @TempDir
    Path dir;

    private void start(String destination, String source) throws Exception {
        Path definition = Files.writeString(dir.resolve("definition.json"), DefinitionJson.write(
                new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, source, destination)));
        InstanceProcess.create(definition, 0, dir.resolve("work"), new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream())),
                InstantSource.system());
    }

    @Test
    void aDestinationWhereAFileIsSaysSoAndTheWayOut() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");

        assertThatThrownBy(() -> start("dir:" + file, null))
                .isInstanceOf(InstanceProcess.StartException.class)
                .hasMessage("cannot create the destination folder " + file
                        + ": a file is there, not a folder; give the service a destination folder the host's user can write to");
    }

    @Test
    void aSourceWhereAFileIsSaysSoAndTheWayOut() throws Exception {
        Path file = Files.writeString(dir.resolve("inbox"), "x");

        assertThatThrownBy(() -> start("dir:" + dir.resolve("out"), "dir:" + file))
                .isInstanceOf(InstanceProcess.StartException.class)
                .hasMessageStartingWith("cannot use the source folder " + file + ": ")
                .hasMessageEndingWith("; give the service a source folder the host's user can read and write")
                .hasMessageNotContaining("Exception");
    }
}
