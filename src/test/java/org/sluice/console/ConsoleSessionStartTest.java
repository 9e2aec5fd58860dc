package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.fleet.OpeningFleet;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console puts its window content up only once the grid holds the services (ConsoleApp waits
 * for {@link ConsoleSession#start(Runnable)}'s signal), so the first frame of the console is one
 * with the services in it; a host that could not be read must not leave it waiting.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleSessionStartTest {
    private Stage stage;
    private final OpeningFleet opening = new OpeningFleet();
    private final FleetGroup group = new FleetGroup(opening);
    private final FxExecutor executor = new FxExecutor();
    private Path configFolder;
    private ConsoleSession session;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        configFolder = Files.createTempDirectory("sluice-console-start-test");
    }

    @AfterEach
    void close() throws Exception {
        if (session != null) {
            WaitForAsyncUtils.asyncFx(session::close).get(10, TimeUnit.SECONDS);
        }
        group.close();
        executor.close();
        try (var files = Files.walk(configFolder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Starts a new session over the still opening host; the future completes with the rows when it says it is loaded. */
    private CompletableFuture<List<String>> startSession() throws Exception {
        CompletableFuture<List<String>> loaded = new CompletableFuture<>();
        WaitForAsyncUtils.asyncFx(() -> {
            session = ConsoleFixture.session(group, stage, Locale.ENGLISH, executor, configFolder);
            session.start(() -> {
                if (!Platform.isFxApplicationThread()) {
                    loaded.completeExceptionally(new AssertionError("loaded was not run on the JavaFX thread"));
                }
                loaded.complete(session.services().rows().stream().map(ServiceRowViewModel::name).toList());
            });
        }).get(30, TimeUnit.SECONDS);
        return loaded;
    }

    @Test
    void saysItIsLoadedOnlyOnceTheGridsRowsHoldTheHostsServices() throws Exception {
        CompletableFuture<List<String>> loaded = startSession();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(loaded).as("loaded while the host is still opening").isNotDone();

        Host host = new Host(new FakeLauncher(), new InMemoryJournal(), InstantSource.system(),
                new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        FrontDoor door = FrontDoor.open(host, 0);
        LocalFleet fleet = new LocalFleet(host, door, "console:test", () -> {
            door.close();
            host.close();
        });
        for (String name : List.of("orders", "billing")) {
            fleet.create(new ServiceDefinition(name, 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/" + name))
                    .completion().get(10, TimeUnit.SECONDS);
        }
        opening.opened(fleet);

        assertThat(loaded.get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder("orders", "billing");
    }

    @Test
    void saysItIsLoadedWhenTheHostCouldNotBeReadAndTheGridSaysWhy() throws Exception {
        CompletableFuture<List<String>> loaded = startSession();

        opening.failed(new IOException("the data folder is on a disk that has gone"));

        assertThat(loaded.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(ConsoleFixture.onFx(() -> session.services().loadingProperty().get())).isFalse();
    }
}
