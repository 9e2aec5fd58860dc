package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice host --engine} and {@code --door-address}: the options that choose where role
 * instances run and where the front door listens, and what is refused.
 */
class HostEngineOptionsTest {
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
    void anUnknownEngineIsRefused() {
        CommandLineRun run = host("--engine", "docker");
        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("--engine docker is neither local nor kubernetes.");
    }

    @Test
    void kubernetesWithoutAnImageSaysWhichOptionItNeeds() {
        CommandLineRun run = host("--engine", "kubernetes");
        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("--engine kubernetes needs --instance-image IMAGE");
    }

    @Test
    void anUnreadableKubeconfigIsNamedWithTheWayOut() {
        Path missing = data.resolve("no-such-kubeconfig");
        CommandLineRun run = host("--engine", "kubernetes", "--instance-image", "sluice-instance:1", "--kubeconfig", missing.toString());
        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("Cannot use the kubeconfig " + missing).contains("--kubeconfig");
    }

    @Test
    void kubernetesOptionsWithoutTheEngineAreRefusedRatherThanIgnored() {
        CommandLineRun run = host("--instance-image", "sluice-instance:1");
        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("are for --engine kubernetes");
    }

    @Test
    void theDoorsAddressForPodsIsAKubernetesOption() {
        CommandLineRun run = host("--door-url", "http://sluice-door.sluice.svc:7070");
        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("--door-url").contains("are for --engine kubernetes");
    }

    @Test
    void aDoorUrlThatIsNotAnHttpAddressIsRefusedBeforeAnythingOpens() {
        for (String wrong : new String[] {"sluice-door:7070", "ftp://sluice-door:7070", "http://sluice-door:7070/services", "http://",
                "http://sluice-door:99999", "http://sluice-door:0", "http://sluice-door:", "http://user@sluice-door:7070"}) {
            CommandLineRun run = host("--engine", "kubernetes", "--instance-image", "sluice-instance:1", "--door-url", wrong);
            assertThat(run.status()).as(wrong).isEqualTo(HostCommand.CANNOT_START);
            assertThat(run.err()).as(wrong).contains("--door-url '" + wrong + "'").contains("http://sluice-door.NAMESPACE.svc:7070");
        }
        assertThat(data.resolve("sluice.db")).as("nothing was opened").doesNotExist();
    }

    @Test
    void aDoorUrlIsTakenWithAnyCaseOfSchemeAndAClusterNameWithUnderscores() {
        assertThat(HostCommand.isDoorUrl("HTTP://sluice-door.sluice.svc:7070")).isTrue();
        assertThat(HostCommand.isDoorUrl("http://sluice_door:7070/")).isTrue();
        assertThat(HostCommand.isDoorUrl("https://[fd00::7]:7070")).isTrue();
        assertThat(HostCommand.isDoorUrl(" http://10.0.0.7 ")).isTrue();
    }

    @Test
    void aDoorUrlWithTheDoorOnLoopbackIsRefusedSincePodsCouldNeverReachIt() {
        CommandLineRun run = host("--engine", "kubernetes", "--instance-image", "sluice-instance:1",
                "--door-url", "http://sluice-door.sluice.svc:7070");
        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("127.0.0.1").contains("--door-address 0.0.0.0 --door-exposed");
        assertThat(data.resolve("sluice.db")).as("nothing was opened").doesNotExist();
    }

    @Test
    void aDoorOnEveryAddressIsRefusedUnlessExposedIsSaid() {
        CommandLineRun run = host("--door-address", "0.0.0.0");

        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("0.0.0.0").contains("--door-exposed");
        assertThat(data.resolve("sluice.db")).as("nothing was opened").doesNotExist();
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeAnythingOpens() {
        CommandLineRun run = CommandLineRun.run("host", "--data", data.toString(), "--port", "70000", "--manage=off");

        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).isEqualTo("--port 70000 is not a port: give one from 1 to 65535, or 0 for any free port."
                + System.lineSeparator());
        assertThat(data.resolve("sluice.db")).as("nothing was opened").doesNotExist();
    }

    @Test
    void aPortAnotherProgramHoldsIsSaidToBeInUseWithTheWayOut() throws Exception {
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CommandLineRun run = CommandLineRun.run("host", "--data", data.toString(), "--port", String.valueOf(other.getLocalPort()),
                    "--manage=off");

            assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
            assertThat(run.err()).endsWith("The front door cannot listen on 127.0.0.1:" + other.getLocalPort()
                    + ": another program uses that port. Give another with --port, or --port 0 for any free one."
                    + System.lineSeparator());
        }
    }

    @Test
    void aDataFolderThatIsAFileSaysSo() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(data.resolve("a-file"), "x");
        CommandLineRun run = CommandLineRun.host(file);

        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).endsWith("Cannot start the host with data folder " + file + ": it is a file, not a folder."
                + System.lineSeparator());
    }

    @Test
    void anAddressThatIsNoAddressIsRefused() {
        CommandLineRun run = host("--door-address", "not an address");

        assertThat(run.status()).isEqualTo(HostCommand.CANNOT_START);
        assertThat(run.err()).contains("'not an address'").contains("--door-address");
    }
}
