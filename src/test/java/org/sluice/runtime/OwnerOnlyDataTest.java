package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.instance.DirectoryDestination;
import org.sluice.runtime.instance.DirectoryPullSource;
import org.sluice.runtime.instance.OwnerOnly;
import org.sluice.runtime.instance.PullSource;

/**
 * Nothing of a host's data is readable by other users of the machine: folders rwx------, files
 * rw-------, whatever the umask; a data folder others can write is refused.
 */
class OwnerOnlyDataTest {
    @TempDir
    Path temp;

    /** A file in the test's folder holding {@code content}, readable by every user (rw-r--r--). */
    private Path othersCanRead(String name, String content) throws IOException {
        Path file = Files.writeString(temp.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void aNewDataFolderAndEverythingTheHostWritesInItAreTheOwnersAlone() throws Exception {
        Path data = temp.resolve("new/data");
        try (LocalHost local = LocalHost.open(data, 0)) {
            for (Host.Accepted created : local.demo("test").accepted()) {
                created.completion().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            try (Stream<Path> all = Files.walk(data)) {
                for (Path path : all.toList()) {
                    assertThat(permissions(path)).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
                }
            }
        }
        assertThat(permissions(temp.resolve("new"))).isEqualTo("rwx------");
    }

    @Test
    void aDataFolderOthersCanWriteIsRefusedWithTheCommandThatFixesIt() throws Exception {
        Path data = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> LocalHost.open(data, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining(data.toString())
                .hasMessageContaining("other users")
                .hasMessageContaining("chmod 700 " + data);
        assertThat(data.resolve("sluice.db")).doesNotExist();
    }

    @Test
    void aDataFolderOthersCanOnlyReadIsMadeTheOwnersAlone() throws Exception {
        Path data = Files.createDirectories(temp.resolve("readable"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (LocalHost local = LocalHost.open(data, 0)) {
            assertThat(local.data()).isEqualTo(data);
            assertThat(permissions(data)).isEqualTo("rwx------");
        }
    }

    @Test
    void aFileReplacedInOneStepIsTheOwnersAloneAndLeavesNothingBeside() throws Exception {
        Path file = othersCanRead("keys.json", "old");

        OwnerOnly.replace(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
        assertThat(permissions(file)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFileWrittenBesideIsHiddenAndOwnerOnlyUntilItIsMovedIn() throws Exception {
        Path file = temp.resolve("keys.json");
        Path written = OwnerOnly.writeBeside(file, "next".getBytes(StandardCharsets.UTF_8));

        assertThat(written.getParent()).isEqualTo(temp);
        assertThat(written.getFileName().toString()).startsWith(".keys.json.").endsWith(".tmp");
        assertThat(permissions(written)).isEqualTo("rw-------");
        assertThat(file).doesNotExist();

        OwnerOnly.moveInto(written, file);
        assertThat(file).hasContent("next");
        assertThat(written).doesNotExist();
    }

    @Test
    void aFileWrittenOverOneOthersCouldReadIsTheOwnersAloneAndHoldsOnlyTheNewContent() throws Exception {
        Path file = othersCanRead("settings.json", "an older and much longer content");

        OwnerOnly.write(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    /**
     * A symbolic link where a file is to be written is refused, whether its target exists or not:
     * following it would write the owner's data, and change the permissions of, whatever file the
     * link names, outside the folder the host keeps owner-only.
     */
    @Test
    void aSymbolicLinkWhereAFileIsToBeWrittenIsRefusedAndItsTargetLeftAlone() throws Exception {
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Path existing = elsewhere.resolve("existing.txt");
        Files.writeString(existing, "someone else's");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        Path folder = Files.createDirectory(temp.resolve("outbox"));
        Path toExisting = Files.createSymbolicLink(folder.resolve("a.msg"), existing);
        Path toNothing = Files.createSymbolicLink(folder.resolve("b.msg"), elsewhere.resolve("made.txt"));

        assertThatThrownBy(() -> OwnerOnly.write(toExisting, "owner's".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> OwnerOnly.write(toNothing, "owner's".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);

        assertThat(existing).hasContent("someone else's");
        assertThat(permissions(existing)).isEqualTo("rw-r--r--");
        assertThat(elsewhere.resolve("made.txt")).doesNotExist();
    }

    @Test
    void aNewFileWrittenIsTheOwnersAloneWithItsWholeContent() throws Exception {
        Path file = temp.resolve("new.json");
        byte[] content = new byte[200_000];
        java.util.Arrays.fill(content, (byte) 'x');

        OwnerOnly.write(file, content);

        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    @Test
    void messagesDeliveredToAFolderAndFilesMovedToErrorAreTheOwnersAlone() throws Exception {
        Path outbox = temp.resolve("out/box");
        new DirectoryDestination(outbox).deliver("m1", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(permissions(outbox)).isEqualTo("rwx------");
        assertThat(permissions(outbox.resolve("m1.msg"))).isEqualTo("rw-------");

        Path inbox = temp.resolve("in");
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("bad.xml"), "<a>");
        DirectoryPullSource source = new DirectoryPullSource(inbox, DirectoryPullSource.claimFolder(inbox, "s", 0));
        PullSource.Claimed claimed = source.claimNext().orElseThrow();
        claimed.failed("not well-formed XML (line 1, column 4)");
        assertThat(permissions(inbox.resolve("error"))).isEqualTo("rwx------");
        assertThat(permissions(inbox.resolve("error/bad.xml.reason.txt"))).isEqualTo("rw-------");
    }
}
