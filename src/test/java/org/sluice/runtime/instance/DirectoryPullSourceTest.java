package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pull source takes from its inbox: regular files within the message limit. Anything else
 * goes to {@code error/} with the reason, unread, and the files behind it are still taken.
 */
class DirectoryPullSourceTest {
    @TempDir
    Path temp;

    private DirectoryPullSource source(Path inbox) throws Exception {
        return new DirectoryPullSource(inbox, DirectoryPullSource.claimFolder(inbox, "orders", 0));
    }

    @Test
    void aSymbolicLinkIsNeverFollowedButMovedToErrorAsALink() throws Exception {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Path secret = Files.writeString(temp.resolve("secret.txt"), "not for the outbox");
        Files.createSymbolicLink(inbox.resolve("a-link.json"), secret);
        Files.writeString(inbox.resolve("b-real.json"), "{}");

        Optional<PullSource.Claimed> claimed = source(inbox).claimNext();

        assertThat(claimed).map(PullSource.Claimed::name).contains("b-real.json");
        Path moved = inbox.resolve("error/a-link.json");
        assertThat(Files.isSymbolicLink(moved)).as("the link itself, moved").isTrue();
        assertThat(Files.readString(inbox.resolve("error/a-link.json.reason.txt")))
                .startsWith("not taken: a symbolic link; links in an inbox are never followed");
        assertThat(Files.readString(secret)).isEqualTo("not for the outbox");
    }

    @Test
    void aFileOverTheMessageLimitIsMovedToErrorWithoutBeingRead() throws Exception {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        try (RandomAccessFile huge = new RandomAccessFile(inbox.resolve("a-huge.json").toFile(), "rw")) {
            // Sparse: 300 MB on paper, next to nothing on disk, and far more than the heap.
            huge.setLength(300L * 1024 * 1024);
        }
        Files.writeString(inbox.resolve("b-small.json"), "{}");

        Optional<PullSource.Claimed> claimed = source(inbox).claimNext();

        assertThat(claimed).map(PullSource.Claimed::name).contains("b-small.json");
        assertThat(Files.size(inbox.resolve("error/a-huge.json"))).isEqualTo(300L * 1024 * 1024);
        assertThat(Files.readString(inbox.resolve("error/a-huge.json.reason.txt")))
                .startsWith("not taken: 314572800 bytes, over the limit of 4194304 bytes (4 MiB) a message may have");
    }
}
