package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.console.viewmodel.RememberedConnection;

/** The console's remembered connections on disk: owner-only, and a key only where one was to be kept. */
class ConnectionsFileTest {
    @TempDir
    Path home;

    private static final RememberedConnection BRANCH = new RememberedConnection("branch", URI.create("https://10.0.0.5:7071"),
            "owner", "AB:CD", Optional.of("the-key"));
    private static final RememberedConnection DEPOT = new RememberedConnection("depot", URI.create("https://10.0.0.6:7071"),
            "owner", "EF:01", Optional.empty());

    @Test
    void nothingKeptYetIsAnEmptyList() throws IOException {
        assertThat(new ConnectionsFile(home.resolve("sluice")).load()).isEmpty();
        assertThat(home.resolve("sluice")).doesNotExist();
    }

    @Test
    void connectionsComeBackAsTheyWereKeptInAnOwnerOnlyFileAndFolder() throws IOException {
        ConnectionsFile file = new ConnectionsFile(home.resolve("config").resolve("sluice"));
        file.save(List.of(BRANCH, DEPOT));
        assertThat(file.load()).containsExactly(BRANCH, DEPOT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file().getParent()))).isEqualTo("rwx------");
        String text = Files.readString(file.file());
        assertThat(text).contains("\"key\" : \"the-key\"").containsOnlyOnce("\"key\"");
        // No temporary file is left beside it.
        try (var files = Files.list(file.file().getParent())) {
            assertThat(files).containsExactly(file.file());
        }

        file.save(List.of(DEPOT));
        assertThat(file.load()).containsExactly(DEPOT);
        assertThat(Files.readString(file.file())).doesNotContain("the-key");
    }

    @Test
    void aFolderOthersCouldReadIsMadeOwnerOnly() throws IOException {
        Path folder = Files.createDirectory(home.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        new ConnectionsFile(folder).save(List.of(BRANCH));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void aFileThatIsNotAListOfConnectionsIsRefusedWithItsName() throws IOException {
        ConnectionsFile file = new ConnectionsFile(home);
        Files.writeString(file.file(), "{not json");
        assertThatThrownBy(file::load).isInstanceOf(IOException.class).hasMessageContaining(file.file() + " is not JSON");
        Files.writeString(file.file(), "{\"version\":1,\"connections\":[{\"name\":\"x\"}]}");
        assertThatThrownBy(file::load).isInstanceOf(IOException.class).hasMessageContaining("a connection has no address");
    }

    @Test
    void theConsolesFolderIsWhereEachSystemKeepsAUsersSettings() {
        assertThat(ConsoleSettings.folder("Linux", "/home/ann", Map.of())).isEqualTo(Path.of("/home/ann/.config/sluice"));
        assertThat(ConsoleSettings.folder("Linux", "/home/ann", Map.of("XDG_CONFIG_HOME", "/cfg"))).isEqualTo(Path.of("/cfg/sluice"));
        assertThat(ConsoleSettings.folder("Mac OS X", "/Users/ann", Map.of()))
                .isEqualTo(Path.of("/Users/ann/Library/Application Support/Sluice Console"));
        assertThat(ConsoleSettings.folder("Windows 11", "C:\\Users\\ann", Map.of("APPDATA", "C:\\Users\\ann\\AppData\\Roaming")))
                .isEqualTo(Path.of("C:\\Users\\ann\\AppData\\Roaming").resolve("Sluice Console"));
    }

    // ------------------------------------------------------------------ with a keychain

    private final MemorySecrets keychain = new MemorySecrets();

    private ConnectionsFile withKeychain() {
        return new ConnectionsFile(home.resolve("sluice"), () -> Optional.of(keychain));
    }

    @Test
    void withAKeychainTheKeyGoesThereAndTheFileKeepsAMarker() throws IOException {
        ConnectionsFile file = withKeychain();
        file.save(List.of(BRANCH, DEPOT));

        assertThat(keychain.entries).containsExactly(Map.entry("branch", "the-key"));
        String text = Files.readString(file.file());
        assertThat(text).doesNotContain("the-key").contains("\"key\" : \"keychain:\"").containsOnlyOnce("\"key\"");
        assertThat(file.load()).containsExactly(BRANCH, DEPOT);
        assertThat(file.keyPlace()).isEqualTo(org.sluice.console.viewmodel.KeyPlace.MACOS_KEYCHAIN);
    }

    @Test
    void aKeyTheKeychainDoesNotGiveLeavesItsConnectionWithoutOneSayingWhyAndTheEntryIsKept() throws IOException {
        ConnectionsFile file = withKeychain();
        file.save(List.of(BRANCH, DEPOT));
        keychain.refusing = new IOException("User interaction is not allowed.");

        List<RememberedConnection> loaded = file.load();
        assertThat(loaded).containsExactly(BRANCH.keyNotGiven("User interaction is not allowed."), DEPOT);
        assertThat(loaded.get(0).key()).isEmpty();

        // Saved again (another host was added, say), the marker and the keychain's entry stay.
        file.save(loaded);
        assertThat(keychain.entries).containsExactly(Map.entry("branch", "the-key"));
        keychain.refusing = null;
        assertThat(file.load()).containsExactly(BRANCH, DEPOT);
    }

    @Test
    void forgettingAConnectionOrItsKeyDeletesTheKeychainEntry() throws IOException {
        ConnectionsFile file = withKeychain();
        RememberedConnection depotWithKey = DEPOT.withKey(Optional.of("depot-key"));
        file.save(List.of(BRANCH, depotWithKey));
        assertThat(keychain.entries).containsOnlyKeys("branch", "depot");

        file.save(List.of(depotWithKey));
        assertThat(keychain.entries).containsOnlyKeys("depot");

        // The key entered again without "remember": the connection stays, its key goes.
        file.save(List.of(DEPOT));
        assertThat(keychain.entries).isEmpty();
        assertThat(file.load()).containsExactly(DEPOT);
    }

    @Test
    void withoutAKeychainTheKeyIsKeptInTheFileAsBefore() throws IOException {
        ConnectionsFile file = new ConnectionsFile(home.resolve("sluice"), Optional::empty);
        file.save(List.of(BRANCH, DEPOT));
        assertThat(Files.readString(file.file())).contains("\"key\" : \"the-key\"").doesNotContain("keychain:");
        assertThat(file.load()).containsExactly(BRANCH, DEPOT);
        assertThat(file.keyPlace()).isEqualTo(org.sluice.console.viewmodel.KeyPlace.FILE);
    }

    @Test
    void aMarkerReadWhereNoKeychainAnswersLeavesTheConnectionWithoutItsKeyAndTheMarkerStays() throws IOException {
        withKeychain().save(List.of(BRANCH));
        ConnectionsFile file = new ConnectionsFile(home.resolve("sluice"), Optional::empty);

        List<RememberedConnection> loaded = file.load();
        assertThat(loaded).singleElement().satisfies(branch -> {
            assertThat(branch.key()).isEmpty();
            assertThat(branch.keyNotGiven()).hasValueSatisfying(why -> assertThat(why).contains("no keychain"));
        });
        file.save(loaded);
        assertThat(Files.readString(file.file())).contains("\"key\" : \"keychain:\"");
        assertThat(withKeychain().load()).containsExactly(BRANCH);
    }

    @Test
    void aKeyAnOlderConsoleKeptInTheFileMovesToTheKeychainAtTheNextSave() throws IOException {
        new ConnectionsFile(home.resolve("sluice")).save(List.of(BRANCH));
        ConnectionsFile file = withKeychain();
        assertThat(file.load()).containsExactly(BRANCH);

        file.save(file.load());
        assertThat(keychain.entries).containsExactly(Map.entry("branch", "the-key"));
        assertThat(Files.readString(file.file())).doesNotContain("the-key");
    }

    @Test
    void aKeyTheKeychainDoesNotTakeIsLeftOutOfTheFileAndSaid() throws IOException {
        SecretStore refusing = new MemorySecrets() {
            @Override
            public void put(String connection, String key) {
                throw new IllegalStateException("The user name or passphrase you entered is not correct.");
            }
        };
        ConnectionsFile file = new ConnectionsFile(home.resolve("sluice"), () -> Optional.of(refusing));
        assertThatThrownBy(() -> file.save(List.of(BRANCH, DEPOT))).isInstanceOf(IOException.class)
                .hasMessage("the keychain did not take the key of branch (The user name or passphrase you entered is not correct.)");
        // The connections are kept; the key is in neither place, so the host asks for it at the next start.
        assertThat(Files.readString(file.file())).doesNotContain("the-key").doesNotContain("\"key\"");
        assertThat(file.load()).containsExactly(BRANCH.withKey(Optional.empty()), DEPOT);
    }
}
