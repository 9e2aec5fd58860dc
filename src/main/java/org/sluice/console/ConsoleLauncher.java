package org.sluice.console;

import javafx.application.Application;

/** Opens the console from the command line; returns when its window is closed. */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    public static void launch(String[] args) {
        Application.launch(ConsoleApp.class, args);
    }
}
