package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;
import org.sluice.FreshClasses;

class ConsoleLauncherTest {

    @Test
    void logbackIsSetUpByWorkHandedOffBeforeTheWindowsToolkitStarts() throws Exception {
        // Logback reading its configuration cost the JavaFX thread about 7 % of its CPU to the first
        // frame when ConsoleApp's class initialisation set it up there.
        try (FreshClasses loader = new FreshClasses()) {
            Class<?> launcher = loader.loadClass("org.sluice.console.ConsoleLauncher");
            Method setUp = launcher.getDeclaredMethod("setUpLogging", Executor.class);
            setUp.setAccessible(true);
            List<Runnable> handedOff = new ArrayList<>();
            setUp.invoke(null, (Executor) handedOff::add);
            assertThat(loader.loaded("ch.qos.logback.classic.LoggerContext")).as("Logback, set up on the launching thread").isFalse();
            assertThat(handedOff).hasSize(1);

            handedOff.getFirst().run();
            assertThat(loader.loaded("ch.qos.logback.classic.LoggerContext")).as("Logback, set up by the work handed off").isTrue();
        }
    }
}
