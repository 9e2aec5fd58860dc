package org.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.sluice.packaging.Pom.Execution;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The installed app's launchers, read from their inputs (the package build takes 15 minutes or
 * more): {@code bin/sluice}, which the desktop entry, the Windows and macOS shortcuts and a terminal
 * start, gives the console the heap ceiling that packaging/dev/sluice gives it
 * (docs/decisions/0029-console-heap-ceiling.md); {@code bin/sluice-host}, which the systemd unit
 * starts, gives the host an explicit heap of its own. jpackage gives an added launcher the java
 * options of its properties file instead of the main launcher's, not besides them (tried with the
 * JDK 25 jpackage): the file repeats every other option.
 */
class InstalledLaunchersTest {
    private static final Pom POM = Pom.read();
    private static final Path HOST_LAUNCHER = Path.of("packaging/launchers/sluice-host.properties");
    private static final Pattern CEILING = Pattern.compile("-Xmx\\d+[mg]");
    /** The console's compiler: C1 alone (docs/decisions/0052-the-console-compiles-with-c1-alone.md). */
    private static final String C1_ALONE = "-XX:TieredStopAtLevel=1";

    private static Execution appImage() {
        return POM.executions("package", "jpackage-maven-plugin").stream()
                .filter(e -> e.id().equals("app-image")).findFirst().orElseThrow();
    }

    /** The main launcher's java options, as the pom gives them to jpackage. */
    private static List<String> mainOptions() {
        List<String> options = new ArrayList<>();
        Element javaOptions = (Element) appImage().configuration().getElementsByTagName("javaOptions").item(0);
        NodeList all = javaOptions.getElementsByTagName("option");
        for (int i = 0; i < all.getLength(); i++) {
            options.add(all.item(i).getTextContent().strip());
        }
        return options;
    }

    private static Properties hostLauncher() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(HOST_LAUNCHER)) {
            properties.load(in);
        }
        return properties;
    }

    private static List<String> hostOptions() throws IOException {
        return Arrays.asList(hostLauncher().getProperty("java-options", "").strip().split("\\s+"));
    }

    private static String devCeiling() throws IOException {
        Matcher matcher = CEILING.matcher(Files.readString(DevLauncherTest.SCRIPT));
        assertThat(matcher.find()).as("packaging/dev/sluice gives the console a ceiling").isTrue();
        return matcher.group();
    }

    @Test
    void theMainLauncherGivesTheConsoleTheCeilingOfTheDevLauncher() throws IOException {
        assertThat(mainOptions()).filteredOn(o -> CEILING.matcher(o).matches()).containsExactly(devCeiling());
    }

    @Test
    void theConsolesLaunchersCompileWithC1AloneAndTheHostsDoesNot() throws IOException {
        assertThat(mainOptions()).contains(C1_ALONE);
        assertThat(Files.readString(DevLauncherTest.SCRIPT)).contains(C1_ALONE);
        assertThat(hostOptions()).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
    }

    @Test
    void theHostHasALauncherOfItsOwn() {
        Element launchers = (Element) appImage().configuration().getElementsByTagName("launchers").item(0);
        assertThat(launchers).as("the app image's added launchers").isNotNull();
        List<String> named = new ArrayList<>();
        NodeList all = launchers.getElementsByTagName("launcher");
        for (int i = 0; i < all.getLength(); i++) {
            Element launcher = (Element) all.item(i);
            named.add(text(launcher, "name") + "=" + POM.resolve("package", text(launcher, "file")));
        }
        assertThat(named).containsExactly("sluice-host=./" + HOST_LAUNCHER);
    }

    @Test
    void theHostLauncherHasAnExplicitHeapAndOtherwiseTheMainLaunchersOptions() throws IOException {
        List<String> host = hostOptions();
        List<String> expected = new ArrayList<>(mainOptions());
        expected.removeIf(o -> CEILING.matcher(o).matches() || o.equals(C1_ALONE));

        assertThat(host).noneMatch(o -> CEILING.matcher(o).matches());
        assertThat(host).filteredOn(o -> o.startsWith("-XX:MaxRAMPercentage=")).containsExactly("-XX:MaxRAMPercentage=25");
        assertThat(host).filteredOn(o -> !o.startsWith("-XX:MaxRAMPercentage=")).containsExactlyElementsOf(expected);
    }

    @Test
    void theHostLauncherIsACommandWithoutShortcuts() throws IOException {
        Properties host = hostLauncher();
        assertThat(host.getProperty("win-console")).isEqualTo("true");
        assertThat(host.getProperty("win-shortcut")).isEqualTo("false");
        assertThat(host.getProperty("win-menu")).isEqualTo("false");
        assertThat(host.getProperty("linux-shortcut")).isEqualTo("false");
    }

    @Test
    void theSystemdUnitStartsTheHostWithItsOwnLauncher() throws IOException {
        String unit = Files.readString(Path.of("packaging/linux/sluice-host.service"));
        assertThat(unit).containsPattern("(?m)^ExecStart=/opt/sluice/bin/sluice-host host ");
    }

    private static String text(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        return null;
    }
}
