package org.sluice.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.access.HostKeys.Keys;
import org.sluice.runtime.access.HostKeys.Slot;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredKeyHash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

@Timeout(60)
class HostKeysTest {
    @TempDir
    Path data;

    /** The host's clock for the age of the hashes it holds; the tests move it. */
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Store> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(Store::close);
    }

    private Store store() {
        Store store = Store.open(data);
        stores.add(store);
        return store;
    }

    private HostKeys host() {
        return HostKeys.openOrCreate(data, store(), clock::get);
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theFirstStartWritesTwoRandomKeysOwnerOnlyAndKeepsOnlyTheirHashes() throws Exception {
        HostKeys keys = host();

        Path file = data.resolve(HostKeys.FILE_NAME);
        assertThat(permissions(file)).isEqualTo("rw-------");
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("issuer", "primary", "secondary");
        assertThat(json.get("issuer").asText()).isEqualTo("owner");
        String primary = json.get("primary").asText();
        String secondary = json.get("secondary").asText();
        assertThat(primary).isNotEqualTo(secondary).doesNotContain("=");
        assertThat(Base64.getUrlDecoder().decode(primary)).hasSize(32);
        assertThat(Base64.getUrlDecoder().decode(secondary)).hasSize(32);
        assertThat(HostKeys.show(data)).isEqualTo(new Keys("owner", primary, secondary));

        assertThat(keys.accepts("owner", primary)).isTrue();
        assertThat(keys.accepts("owner", secondary)).isTrue();
        assertThat(keys.accepts("owner", primary + "x")).isFalse();
        assertThat(keys.accepts("owner", "")).isFalse();
        assertThat(keys.accepts("owner", null)).isFalse();
        assertThat(keys.accepts("Owner", primary)).isFalse();
        assertThat(keys.accepts("console", secondary)).isFalse();
        assertThat(keys.accepts(null, primary)).isFalse();

        assertThat(stores.getFirst().keyHashes()).extracting(StoredKeyHash::issuer, StoredKeyHash::slot, StoredKeyHash::hash)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("owner", "primary", HostKeys.hex(primary)),
                        org.assertj.core.groups.Tuple.tuple("owner", "secondary", HostKeys.hex(secondary)));
        closeStores();
        stores.clear();
        byte[] database = Files.readAllBytes(data.resolve(Store.FILE_NAME));
        assertThat(Files.exists(data.resolve(Store.FILE_NAME + "-wal"))).isFalse();
        for (String key : List.of(primary, secondary)) {
            assertThat(contains(database, key.getBytes(StandardCharsets.US_ASCII))).as("the key in the database file").isFalse();
            assertThat(contains(database, Base64.getUrlDecoder().decode(key))).as("the key's bytes in the database file").isFalse();
        }
        assertThat(contains(database, HostKeys.hex(primary).getBytes(StandardCharsets.US_ASCII))).isTrue();
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void laterStartsReadTheHashesAndNeedNoKeysFile() throws Exception {
        host();
        Keys made = HostKeys.show(data);
        closeStores();
        stores.clear();
        Files.delete(data.resolve(HostKeys.FILE_NAME));

        HostKeys again = host();
        assertThat(again.accepts("owner", made.primary())).isTrue();
        assertThat(again.accepts("owner", made.secondary())).isTrue();
        assertThat(data.resolve(HostKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void aLaterStartMakesAKeysFileOthersCouldReadTheOwnersAlone() throws Exception {
        host();
        closeStores();
        stores.clear();
        Path file = data.resolve(HostKeys.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        host();
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    @Test
    void aKeyRolledByAnotherConnectionStopsWorkingOnceTheHashesAreASecondOldAndTheOtherKeepsWorking() throws Exception {
        HostKeys keys = host();
        Keys before = HostKeys.show(data);

        // Through a connection of its own, while the host's store stays open.
        Keys after = HostKeys.regenerate(data, Slot.PRIMARY);

        assertThat(after.issuer()).isEqualTo("owner");
        assertThat(after.primary()).isNotEqualTo(before.primary());
        assertThat(Base64.getUrlDecoder().decode(after.primary())).hasSize(32);
        assertThat(after.secondary()).isEqualTo(before.secondary());
        assertThat(HostKeys.show(data)).isEqualTo(after);
        assertThat(permissions(data.resolve(HostKeys.FILE_NAME))).isEqualTo("rw-------");

        // The hashes in memory are still those read at start.
        clock.addAndGet(HostKeys.REFRESH_MS - 1);
        assertThat(keys.accepts("owner", before.primary())).isTrue();
        assertThat(keys.accepts("owner", after.primary())).isFalse();

        clock.addAndGet(1);
        assertThat(keys.accepts("owner", before.primary())).isFalse();
        assertThat(keys.accepts("owner", after.primary())).isTrue();
        assertThat(keys.accepts("owner", before.secondary())).isTrue();

        Keys rolledAgain = HostKeys.regenerate(data, Slot.SECONDARY);
        assertThat(rolledAgain.primary()).isEqualTo(after.primary());
        clock.addAndGet(HostKeys.REFRESH_MS);
        assertThat(keys.accepts("owner", before.secondary())).isFalse();
        assertThat(keys.accepts("owner", rolledAgain.secondary())).isTrue();
        assertThat(keys.accepts("owner", after.primary())).isTrue();
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void keysAreCheckedFromManyThreadsWhileOneIsRolled() throws Exception {
        HostKeys keys = host();
        Keys before = HostKeys.show(data);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Boolean> check = () -> {
                    boolean always = true;
                    for (int n = 0; n < 500; n++) {
                        clock.incrementAndGet();
                        always &= keys.accepts("owner", before.secondary());
                    }
                    return always;
                };
                checks.add(threads.submit(check));
            }
            HostKeys.regenerate(data, Slot.PRIMARY);
            for (Future<Boolean> check : checks) {
                assertThat(check.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        clock.addAndGet(HostKeys.REFRESH_MS);
        assertThat(keys.accepts("owner", before.primary())).isFalse();
        assertThat(keys.accepts("owner", HostKeys.show(data).primary())).isTrue();
    }

    @Test
    void whenTheDatabaseCannotBeReadNoKeyIsAccepted() {
        HostKeys keys = host();
        Keys made = HostKeys.show(data);
        stores.getFirst().close();

        assertThat(keys.accepts("owner", made.primary())).as("within a second of the last read").isTrue();
        clock.addAndGet(HostKeys.REFRESH_MS);
        assertThat(keys.accepts("owner", made.primary())).isFalse();
        assertThat(keys.accepts("owner", made.secondary())).isFalse();
    }

    @Test
    void showingOrRollingBeforeAnyHostRanSaysToStartOne() {
        Path none = data.resolve("never-used");
        assertThatThrownBy(() -> HostKeys.show(none)).isInstanceOfSatisfying(NoKeysException.class,
                        e -> assertThat(e.data()).isEqualTo(none))
                .hasMessageContaining(none.resolve("keys.json").toString())
                .hasMessageContaining("start `sluice host --data " + none + "` once");
        assertThatThrownBy(() -> HostKeys.regenerate(none, Slot.PRIMARY)).isInstanceOf(NoKeysException.class)
                .hasMessageContaining(none.resolve("sluice.db").toString());
        assertThat(none).doesNotExist();

        // A database from before the keys, or one a host has not reached the keys with yet.
        store();
        assertThatThrownBy(() -> HostKeys.regenerate(data, Slot.SECONDARY)).isInstanceOf(NoKeysException.class)
                .hasMessageContaining("holds none");
        assertThat(data.resolve(HostKeys.FILE_NAME)).doesNotExist();
    }

    @Test
    void rollingAKeyWhenTheKeysFileIsLostWritesItWithTheNewKeyAndTheOtherUnknown() throws Exception {
        HostKeys keys = host();
        Keys made = HostKeys.show(data);
        Files.delete(data.resolve(HostKeys.FILE_NAME));

        Keys after = HostKeys.regenerate(data, Slot.PRIMARY);

        assertThat(after.primary()).isNotNull().isNotEqualTo(made.primary());
        assertThat(after.secondary()).isNull();
        assertThat(HostKeys.show(data)).isEqualTo(after);
        clock.addAndGet(HostKeys.REFRESH_MS);
        assertThat(keys.accepts("owner", after.primary())).isTrue();
        assertThat(keys.accepts("owner", made.secondary())).as("rolled or not, the database decides").isTrue();
    }

    @Test
    void aDamagedKeysFileIsReportedWithoutQuotingItAndRollingWritesItAgain() throws Exception {
        host();
        Path file = data.resolve(HostKeys.FILE_NAME);
        Files.writeString(file, "{\"issuer\":\"owner\",\"primary\":\"s3cr3t-part\" \"secondary\"");

        assertThatThrownBy(() -> HostKeys.show(data)).isInstanceOf(HostAccessException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("s3cr3t");

        Keys after = HostKeys.regenerate(data, Slot.SECONDARY);
        assertThat(after.primary()).isNull();
        assertThat(HostKeys.show(data)).isEqualTo(after);
    }

    @Test
    void keysStayOutOfToString() {
        Keys keys = new Keys("owner", "first-key", "second-key");
        assertThat(keys.toString()).contains("owner").doesNotContain("first-key", "second-key");
    }
    @Test
    void keysGivenInAFileReplaceTheHostsOwnAndLeaveNoStaleCopyInTheDataFolder(@TempDir Path secret) throws IOException {
        host();
        String oldPrimary = HostKeys.show(data).primary();
        Path file = secret.resolve("keys.json");
        String primary = "p".repeat(43);
        String secondary = "s".repeat(43);
        Files.writeString(file, "{\"issuer\":\"owner\",\"primary\":\"" + primary + "\",\"secondary\":\"" + secondary + "\"}");

        HostKeys keys = HostKeys.fromFile(file, data, store(), clock::get);

        assertThat(keys.accepts("owner", primary)).isTrue();
        assertThat(keys.accepts("owner", secondary)).isTrue();
        assertThat(keys.accepts("owner", oldPrimary)).isFalse();
        assertThat(data.resolve(HostKeys.FILE_NAME)).doesNotExist();
        assertThat(file).hasContent("{\"issuer\":\"owner\",\"primary\":\"" + primary + "\",\"secondary\":\"" + secondary + "\"}");
    }

    @Test
    void aKeysFileWithAMissingOrShortKeyIsRefusedNamingTheFileAndTheWayOut(@TempDir Path secret) throws IOException {
        Path file = secret.resolve("keys.json");
        Files.writeString(file, "{\"issuer\":\"owner\",\"primary\":\"" + "p".repeat(43) + "\",\"secondary\":\"short\"}");

        assertThatThrownBy(() -> HostKeys.fromFile(file, data, store(), clock::get))
                .isInstanceOf(HostAccessException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("secondary")
                .hasMessageContaining("43");
        Files.writeString(file, "{\"issuer\":\"someone\",\"primary\":\"" + "p".repeat(43) + "\",\"secondary\":\"" + "s".repeat(43) + "\"}");
        assertThatThrownBy(() -> HostKeys.fromFile(file, data, store(), clock::get))
                .isInstanceOf(HostAccessException.class)
                .hasMessageContaining("owner");
    }
}
