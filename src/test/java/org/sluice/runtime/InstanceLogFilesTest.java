package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.InstanceLog;

/** Reading an instance's log from the host's folder: whole lines, bounded, followed by offset, kept across a restart. */
class InstanceLogFilesTest {
    @TempDir
    Path work;

    private void append(String text) throws IOException {
        Files.writeString(work.resolve(InstanceLogFiles.CURRENT), text, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void theTailIsTheLastWholeLinesWithinTheLimit() throws IOException {
        append("first line\nsecond line\nthird line\n");
        InstanceLog tail = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, -1, 20);
        assertThat(tail.text()).as("no half line at the cut").isEqualTo("third line\n");
        assertThat(tail.skipped()).isTrue();
        assertThat(tail.next()).isEqualTo(tail.size()).isEqualTo(34);

        InstanceLog whole = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, -1, InstanceLog.MAX_BYTES);
        assertThat(whole.text()).isEqualTo("first line\nsecond line\nthird line\n");
        assertThat(whole.skipped()).isFalse();
    }

    @Test
    void followingFromAnOffsetGivesOnlyWhatCameSinceAndWaitsForALineToEnd() throws IOException {
        append("started\n");
        InstanceLog first = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, -1, 1024);
        append("a half");
        InstanceLog waiting = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, first.next(), 1024);
        assertThat(waiting.text()).isEmpty();
        assertThat(waiting.next()).isEqualTo(first.next());
        append(" and its end\nnext\n");
        InstanceLog more = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, waiting.next(), 1024);
        assertThat(more.text()).isEqualTo("a half and its end\nnext\n");
        assertThat(more.skipped()).isFalse();
    }

    @Test
    void aFollowerFarBehindSkipsToTheLimitInsteadOfReadingEverything() throws IOException {
        append("old\n".repeat(1000));
        append("newest\n");
        InstanceLog read = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, 0, 64);
        assertThat(read.skipped()).isTrue();
        assertThat(read.text().length()).isLessThanOrEqualTo(64);
        assertThat(read.text()).endsWith("old\nnewest\n").startsWith("old\n");
    }

    @Test
    void aLaunchMovesTheLastRunsLogAsideAndTheReaderSaysTheLogBeganAgain() throws IOException {
        append("run one\ncrashed: out of memory\n");
        InstanceLog before = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, -1, 1024);
        assertThat(before.previousKept()).isFalse();

        InstanceLogFiles.startNewRun(work);
        append("run two\n");
        InstanceLog after = InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, before.next(), 1024);
        assertThat(after.restarted()).isTrue();
        assertThat(after.text()).isEqualTo("run two\n");
        assertThat(after.previousKept()).isTrue();
        assertThat(InstanceLogFiles.read(work, InstanceLog.Run.PREVIOUS, -1, 1024).text())
                .isEqualTo("run one\ncrashed: out of memory\n");
        assertThat(Files.getPosixFilePermissions(work.resolve(InstanceLogFiles.CURRENT)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(work.resolve(InstanceLogFiles.PREVIOUS)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anInstanceThatNeverRanHasAnEmptyLog() throws IOException {
        InstanceLog none = InstanceLogFiles.read(work.resolve("never"), InstanceLog.Run.CURRENT, -1, 1024);
        assertThat(none.text()).isEmpty();
        assertThat(none.size()).isZero();
    }

    @Test
    void aLogThatIsASymbolicLinkIsNotFollowed(@TempDir Path elsewhere) throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret.txt"), "not the instance's to show\n");
        Files.createSymbolicLink(work.resolve(InstanceLogFiles.CURRENT), secret);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceLogFiles.read(work, InstanceLog.Run.CURRENT, -1, 1024))
                .isInstanceOf(IOException.class);
    }
}
