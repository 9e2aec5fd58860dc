package org.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The systemd unit the Linux package installs for {@code sluice host}
 * ({@code packaging/linux/sluice-host.service}), read as text from the source tree, and the package
 * scripts beside it: the unit keeps what running the host as a service needs, and nothing in the
 * package enables or starts it.
 */
class HostServiceUnitTest {
    private static final Path LINUX = Path.of("packaging/linux");
    private static final Path UNIT = LINUX.resolve("sluice-host.service");
    private static final String DATA = "/var/lib/sluice";
    private static final String LAUNCHER = "/opt/sluice/bin/sluice-host";

    /** The unit's settings by section; a setting given more than once keeps every value, in order. */
    private static Map<String, Map<String, List<String>>> unit() {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String raw : read(UNIT).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            assertThat(current).as("a setting before any section: " + line).isNotNull();
            assertThat(equals).as("not a setting: " + line).isPositive();
            current.computeIfAbsent(line.substring(0, equals).strip(), k -> new ArrayList<>())
                    .add(line.substring(equals + 1).strip());
        }
        return sections;
    }

    private static String service(String key) {
        List<String> values = unit().getOrDefault("Service", Map.of()).getOrDefault(key, List.of());
        assertThat(values).as("[Service] " + key).hasSize(1);
        return values.get(0);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void runsTheInstalledLauncherAsItsOwnUserOnItsOwnDataFolder() {
        assertThat(service("User")).isEqualTo("sluice");
        assertThat(service("Group")).isEqualTo("sluice");
        assertThat(service("ExecStart")).startsWith(LAUNCHER + " host ").contains("--data " + DATA);
        assertThat(service("StateDirectory")).isEqualTo("sluice");
        assertThat(service("StateDirectoryMode")).isEqualTo("0700");
        assertThat(service("UMask")).isEqualTo("0077");
    }

    @Test
    void takesTheOperatorsOptionsFromEtcDefault() {
        assertThat(service("EnvironmentFile")).isEqualTo("-/etc/default/sluice-host");
        assertThat(service("ExecStart")).contains("$SLUICE_HOST_OPTS");
    }

    @Test
    void stopsTheHostWithSigtermAndGivesItTimeToDrain() {
        assertThat(service("KillSignal")).isEqualTo("SIGTERM");
        // The host stops its role instances itself: the signal goes to it alone.
        assertThat(service("KillMode")).isEqualTo("mixed");
        assertThat(service("SuccessExitStatus").split("\\s+")).contains("143");
        Matcher seconds = Pattern.compile("(\\d+)s?").matcher(service("TimeoutStopSec"));
        assertThat(seconds.matches()).as("TimeoutStopSec in seconds").isTrue();
        // 10 s of front-door drain, then up to 10 s for the instances to finish.
        assertThat(Integer.parseInt(seconds.group(1))).isGreaterThan(20);
    }

    @Test
    void restartsAHostThatFailed() {
        assertThat(service("Restart")).isEqualTo("on-failure");
        assertThat(service("RestartSec")).matches("[1-9]\\d*s?");
    }

    @Test
    void isHardenedWithoutBreakingTheJvm() {
        assertThat(service("NoNewPrivileges")).isEqualTo("yes");
        assertThat(service("ProtectSystem")).isEqualTo("strict");
        assertThat(service("ProtectHome")).isEqualTo("yes");
        assertThat(service("PrivateTmp")).isEqualTo("yes");
        // The JVM writes the code it compiles; this would stop it.
        assertThat(unit().get("Service")).doesNotContainKey("MemoryDenyWriteExecute");
    }

    /**
     * systemd's own rating of the unit's exposure, worked out from the file alone: 0 is fully
     * sandboxed, 10 is no sandbox at all. The threshold is in tenths. Where systemd-analyze is not
     * installed there is nothing to ask.
     */
    @Test
    void systemdRatesItsExposureAtThreeOrBelow() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Process run = new ProcessBuilder(analyze.toString(), "security", "--offline=yes", "--no-pager", "--threshold=30",
                UNIT.toString()).redirectErrorStream(true).start();
        String report = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor()).as(report).isZero();
        assertThat(report).contains("Overall exposure level for sluice-host.service");
    }

    @Test
    void canBeEnabledForBoot() {
        assertThat(unit().get("Install")).containsEntry("WantedBy", List.of("multi-user.target"));
    }

    /** Installing the package leaves the service off: only the operator enables or starts it. */
    @ParameterizedTest
    @ValueSource(strings = {"preinst", "postinst", "prerm", "postrm"})
    void noPackageScriptEnablesOrStartsTheService(String script) {
        Path file = LINUX.resolve(script);
        if (!Files.exists(file)) {
            return;
        }
        Pattern turnsOn = Pattern.compile(
                "(systemctl|deb-systemd-helper|deb-systemd-invoke)(\\s+-\\S+)*\\s+(enable|reenable|preset|start|restart)\\b");
        for (String line : read(file).split("\n")) {
            if (!line.strip().startsWith("#")) {
                assertThat(turnsOn.matcher(line).find()).as(script + ": " + line.strip()).isFalse();
            }
        }
    }

    @Test
    void postinstMakesTheUserAndInstallsTheUnit() {
        String postinst = read(LINUX.resolve("postinst"));
        assertThat(postinst).contains("useradd --system", "--home-dir " + DATA, "--shell /usr/sbin/nologin")
                .contains("/lib/systemd/system").contains("unit=sluice-host.service")
                // The existing step the ahead-of-time caches need stays.
                .contains("touch -m -t 200001010000.00 /opt/sluice/lib/app/*.jar");
    }

    @Test
    void purgeKeepsTheUserAndItsData() {
        for (String line : read(LINUX.resolve("postrm")).split("\n")) {
            String command = line.strip();
            assertThat(command).doesNotStartWith("userdel").doesNotStartWith("deluser");
            assertThat(command.matches("rm\\s+-\\w*r\\w*\\s+.*" + Pattern.quote(DATA) + ".*")).as(command).isFalse();
        }
    }

    @Test
    void theAppImageCarriesTheUnit() {
        // The package profile copies the unit into the app image, where postinst finds it.
        assertThat(read(Path.of("pom.xml"))).contains("<include>*.service</include>");
    }
}
