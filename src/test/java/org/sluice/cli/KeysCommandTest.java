package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.access.HostKeys;
import org.sluice.runtime.access.HostKeys.Keys;
import org.sluice.runtime.store.Store;

@Timeout(60)
class KeysCommandTest {
    @TempDir
    Path data;

    /** The keys a host makes on its first start; its database stays open, as a running host's does. */
    private Store hostStarted() {
        Store store = Store.open(data);
        HostKeys.openOrCreate(data, store);
        return store;
    }

    @Test
    void showPrintsTheIssuerAndSaysWhichKeyIsWhich() {
        try (Store store = hostStarted()) {
            Keys keys = HostKeys.show(data);

            CommandLineRun run = CommandLineRun.run("keys", "show", "--data", data.toString());

            assertThat(run.status()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out().lines()).containsExactly("issuer: owner", "primary key: " + keys.primary(),
                    "secondary key: " + keys.secondary());
        }
    }

    @Test
    void regenerateRollsOneKeyWhileTheHostHoldsItsDatabaseAndPrintsTheNewOne() {
        try (Store store = hostStarted()) {
            Keys before = HostKeys.show(data);

            CommandLineRun run = CommandLineRun.run("keys", "regenerate", "--secondary", "--data", data.toString());

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            Keys after = HostKeys.show(data);
            assertThat(after.primary()).isEqualTo(before.primary());
            assertThat(after.secondary()).isNotEqualTo(before.secondary());
            assertThat(run.out().lines()).containsExactly("New secondary key of owner: " + after.secondary(),
                    "The old secondary key stops working within a second; the primary key keeps working.");
            // What a host reads from its database from now on.
            HostKeys host = HostKeys.openOrCreate(data, store);
            assertThat(host.accepts("owner", after.secondary())).isTrue();
            assertThat(host.accepts("owner", before.secondary())).isFalse();
            assertThat(host.accepts("owner", before.primary())).isTrue();

            CommandLineRun primary = CommandLineRun.run("keys", "regenerate", "--primary", "--data", data.toString());
            assertThat(primary.status()).isZero();
            assertThat(primary.out()).startsWith("New primary key of owner: " + HostKeys.show(data).primary() + "\n")
                    .contains("the secondary key keeps working");
        }
    }

    @Test
    void regenerateNeedsExactlyOneOfPrimaryAndSecondary() {
        hostStarted().close();
        Keys before = HostKeys.show(data);

        CommandLineRun neither = CommandLineRun.run("keys", "regenerate", "--data", data.toString());
        CommandLineRun both = CommandLineRun.run("keys", "regenerate", "--primary", "--secondary", "--data", data.toString());

        assertThat(neither.status()).isEqualTo(2);
        assertThat(neither.err()).contains("--primary", "--secondary");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("--primary", "--secondary");
        assertThat(HostKeys.show(data)).isEqualTo(before);
    }

    @Test
    void aFolderNoHostHasUsedGetsOneLineThatSaysToStartOne() {
        for (String[] command : new String[][] {{"show"}, {"regenerate", "--primary"}}) {
            CommandLineRun run = CommandLineRun.run(keys(command, "--data", data.toString()));

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("No host has made keys in " + data + " yet; start `sluice host --data " + data
                    + "` once." + System.lineSeparator());
        }
        assertThat(data.resolve(Store.FILE_NAME)).doesNotExist();
        assertThat(data.resolve(HostKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void aDataFolderThatDoesNotExistGetsOneLineAndIsNotMade() {
        Path missing = data.resolve("missing");
        for (String[] command : new String[][] {{"show"}, {"regenerate", "--secondary"}}) {
            CommandLineRun run = CommandLineRun.run(keys(command, "--data", missing.toString()));

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err().lines()).containsExactly("The data folder " + missing + " does not exist; name the folder the host uses with --data DIR.");
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void aKeysFileThatCannotBeReadIsOneLineNamingIt() throws Exception {
        hostStarted().close();
        Files.writeString(data.resolve(HostKeys.FILE_NAME), "[]");

        CommandLineRun run = CommandLineRun.run("keys", "show", "--data", data.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("Cannot use the keys in " + data + ": ")
                .contains(data.resolve(HostKeys.FILE_NAME).toString());
    }

    @Test
    void eachKeysCommandHasHelpInEnglishAndKorean() {
        assertThat(CommandLineRun.run("--help").out()).contains("keys ");
        assertThat(CommandLineRun.run("keys", "--help").out()).contains("Usage: sluice keys").contains("show").contains("regenerate")
                .contains("Print or roll the keys of the management API.");
        assertThat(CommandLineRun.run("keys", "show", "--help").out()).contains("Usage: sluice keys show")
                .contains("--data=DIR").contains("The host's data folder");
        assertThat(CommandLineRun.run("keys", "regenerate", "--help").out()).contains("Usage: sluice keys regenerate")
                .contains("(--primary | --secondary)").contains("Roll the primary key.").contains("Roll the secondary key.");

        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.KOREA);
        try {
            assertThat(CommandLineRun.run("keys", "regenerate", "--help").out()).startsWith("사용법: sluice keys regenerate")
                    .contains("기본 키를 교체합니다.");
            assertThat(CommandLineRun.run("keys", "show", "--data", data.resolve("missing").toString()).err())
                    .startsWith("데이터 폴더 " + data.resolve("missing") + "이(가) 없습니다.");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static String[] keys(String[] command, String... more) {
        String[] args = new String[1 + command.length + more.length];
        args[0] = "keys";
        System.arraycopy(command, 0, args, 1, command.length);
        System.arraycopy(more, 0, args, 1 + command.length, more.length);
        return args;
    }
}
