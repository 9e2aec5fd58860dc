package org.sluice.console;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import javafx.application.Application;

import org.slf4j.LoggerFactory;

/** Opens the console from the command line; returns when its window is closed. */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    public static void launch(String[] args) {
        setUpLogging(ForkJoinPool.commonPool());
        Application.launch(ConsoleApp.class, args);
    }

    /**
     * Has Logback read its configuration on {@code executor} while the toolkit starts, instead of on
     * the JavaFX thread when the console's first class asks for a logger. A logger asked for while
     * it is still at it is a stand-in that keeps what it is given and passes it on once Logback is
     * ready (SLF4J's own way), so no early line is lost. A set-up that fails fails again, and is
     * reported, where the console first asks for a logger.
     */
    static void setUpLogging(Executor executor) {
        executor.execute(LoggerFactory::getILoggerFactory);
    }
}
