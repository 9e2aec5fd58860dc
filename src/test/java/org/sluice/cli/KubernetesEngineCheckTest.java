package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

class KubernetesEngineCheckTest {

    @Test
    void whereTheClientIsOnTheClassPathTheEngineCanRun() {
        // The test class path has the provided dependencies, as the host's container image has.
        assertThat(KubernetesEngineCheck.problem(getClass().getClassLoader())).isEmpty();
    }

    @Test
    void whereTheClientIsMissingTheProblemSaysWhereTheEngineIs() throws IOException {
        // What a desktop installation's class loader sees: the JDK and Sluice, no io.fabric8.
        URL sluice = KubernetesEngineCheck.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader desktop = new URLClassLoader(new URL[] {sluice}, ClassLoader.getPlatformClassLoader())) {
            assertThat(KubernetesEngineCheck.problem(desktop)).hasValueSatisfying(problem -> assertThat(problem)
                    .contains("--engine kubernetes")
                    .contains("container image")
                    .contains("desktop installers"));
        }
    }
}
