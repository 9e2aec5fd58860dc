package org.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The front door's native epoll libraries (decision 0056-front-door-epoll-transport.md): in the
 * runtime jars, so in the container image and the Linux installers, and left out of the Windows and
 * macOS installers, where they cannot load and the door runs on NIO.
 */
class NativeTransportPackagingTest {
    private static final Set<String> LINUX_NATIVE = Set.of("linux-x86_64", "linux-aarch_64");
    private static final Pom POM = Pom.read();

    @Test
    void theNativeEpollLibrariesAreRuntimeJars() {
        assertThat(POM.dependencies()).filteredOn(d -> d.artifactId().equals("netty-transport-native-epoll"))
                .hasSize(2).allSatisfy(d -> assertThat(d.scope()).isEqualTo("runtime"));
        assertThat(POM.dependencies()).anySatisfy(d -> assertThat(d.artifactId()).isEqualTo("netty-transport-classes-epoll"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"package-windows", "package-macos"})
    void theWindowsAndMacInstallersLeaveTheLinuxLibrariesOut(String profile) {
        assertThat(excludedClassifiers(profile)).containsAll(LINUX_NATIVE);
    }

    @Test
    void theLinuxInstallersCarryThem() {
        assertThat(excludedClassifiers("package-linux")).doesNotContainAnyElementsOf(LINUX_NATIVE);
    }

    /** The classifiers the installers' input leaves out when the package build runs with {@code osProfile}. */
    private static Set<String> excludedClassifiers(String osProfile) {
        List<Pom.Execution> libs = POM.executions("package", "maven-dependency-plugin").stream()
                .filter(e -> e.id().equals("jpackage-input-libs")).toList();
        assertThat(libs).hasSize(1);
        String parameter = libs.getFirst().parameter("excludeClassifiers").orElse("");
        String resolved = POM.resolve(osProfile, parameter);
        if (resolved.contains("${")) {
            // Not set by the OS profile: the package profile's own default.
            resolved = POM.resolve("package", parameter);
        }
        Set<String> classifiers = new TreeSet<>(Arrays.asList(resolved.split("\\s*,\\s*")));
        classifiers.remove("");
        return classifiers;
    }
}
