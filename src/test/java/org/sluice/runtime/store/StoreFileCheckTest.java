package org.sluice.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;

/**
 * A database that is not what the host left behind is refused with the file named and a way out,
 * instead of being taken as a host with no service (every service silently gone).
 */
class StoreFileCheckTest {
    @TempDir
    Path data;

    @Test
    void anEmptyDatabaseInAFolderThatWasUsedIsRefused() throws Exception {
        Files.createDirectories(data.resolve("instances/orders/0"));
        Files.write(data.resolve(Store.FILE_NAME), new byte[0]);

        assertThatThrownBy(() -> Store.open(data)).isInstanceOf(StoreException.class)
                .hasMessageContaining(data.resolve(Store.FILE_NAME).toAbsolutePath().toString())
                .hasMessageContaining("is empty")
                .hasMessageContaining("move it aside");
        assertThat(Files.size(data.resolve(Store.FILE_NAME))).as("left as it was").isZero();
    }

    @Test
    void anEmptyDatabaseInANewFolderIsStartedAfresh() throws Exception {
        Files.write(data.resolve(Store.FILE_NAME), new byte[0]);

        try (Store store = Store.open(data)) {
            assertThat(store.loadServices()).isEmpty();
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefused() throws Exception {
        Files.writeString(data.resolve(Store.FILE_NAME), "{\"services\": []}\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Store.open(data)).isInstanceOf(StoreException.class)
                .hasMessageContaining("is not a SQLite database");
    }

    @Test
    void aDamagedDatabaseIsRefusedWithTheCommandToInspectIt() throws Exception {
        try (Store store = Store.open(data)) {
            for (int i = 0; i < 200; i++) {
                store.saveService(StoredService.resting(new ServiceDefinition("service-" + i, 1, 1, 256, Validation.NONE, null, null,
                        "dir:/srv/out/" + "x".repeat(200)), ServiceState.ACTIVE, i));
            }
        }
        Path file = data.resolve(Store.FILE_NAME);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            // Scribble over the middle of the file, past the header and the first pages.
            raw.seek(raw.length() / 2);
            raw.write("this page was overwritten by something else ".repeat(80).getBytes(StandardCharsets.US_ASCII));
        }

        assertThatThrownBy(() -> Store.open(data)).isInstanceOf(StoreException.class)
                .hasMessageContaining("damaged")
                .hasMessageContaining("sqlite3 " + file.toAbsolutePath() + " 'PRAGMA integrity_check'");
    }
}
