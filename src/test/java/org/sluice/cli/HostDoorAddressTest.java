package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice host --door-address}: the front door beyond loopback only when that is said twice. */
class HostDoorAddressTest {
    private static Locale before;

    @TempDir
    Path data;

    @BeforeAll
    static void english() {
        before = Locale.getDefault();
        Locale.setDefault(Locale.ENGLISH);
    }

    @AfterAll
    static void back() {
        Locale.setDefault(before);
    }

    private CommandLineRun host(String... options) {
        return CommandLineRun.host(data, options);
    }

    @Test
    void aDoorOnEveryAddressIsRefusedUnlessExposedIsSaid() {
        CommandLineRun run = host("--door-address", "0.0.0.0");

        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("0.0.0.0").contains("--door-exposed");
        assertThat(data.resolve("sluice.db")).as("nothing was opened").doesNotExist();
    }

    @Test
    void anAddressThatIsNoAddressIsRefused() {
        CommandLineRun run = host("--door-address", "not an address");

        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("'not an address'").contains("--door-address");
    }
}
