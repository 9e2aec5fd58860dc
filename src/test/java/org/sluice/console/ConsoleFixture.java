package org.sluice.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.sluice.console.view.FxDialogService;
import org.sluice.console.view.MainView;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.RemoteHosts;
import org.sluice.console.viewmodel.TrafficViewModel;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.fleet.traffic.TrafficCounts;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;

/**
 * The real console session over a real host whose role instances are light fakes: everything
 * from the button to the host's lifecycle is the production code; only the processes are not.
 */
final class ConsoleFixture implements AutoCloseable {

    /** Waits, at most 15 s, until {@code condition} holds, then for the FX thread to catch up. */
    static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        org.testfx.util.WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    /** What {@code query} answers on the FX thread. */
    static <T> T onFx(java.util.concurrent.Callable<T> query) throws Exception {
        return org.testfx.util.WaitForAsyncUtils.asyncFx(query).get(10, TimeUnit.SECONDS);
    }

    /** The grid's row showing {@code service} now, or null. */
    static javafx.scene.control.TableRow<?> tableRow(org.testfx.api.FxRobot robot, String service) {
        return robot.lookup(".table-row-cell").queryAll().stream().map(n -> (javafx.scene.control.TableRow<?>) n)
                .filter(r -> r.getItem() instanceof org.sluice.console.viewmodel.ServiceRowViewModel m && m.name().equals(service))
                .findFirst().orElse(null);
    }
    final FakeLauncher launcher = new FakeLauncher();
    final Host host = new Host(launcher, new InMemoryJournal(), InstantSource.system(),
            new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    final FrontDoor door;
    final LocalFleet fleet;
    /** The console's fleet: its own host, and the remote hosts a test adds. */
    final FleetGroup group;
    /** Where the console keeps its connections in this test. */
    final Path configFolder;
    final FxExecutor executor = new FxExecutor();
    /** When the console's notices come and fade: still until a test moves it. */
    final HeldClock noticeClock = new HeldClock();
    final ConsoleSession session;

    /**
     * A clock that stands still until moved, so that a notice a test reads does not fade from the
     * status line however slow the machine.
     */
    static final class HeldClock implements java.util.function.LongSupplier {
        private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

        @Override
        public long getAsLong() {
            return now.get();
        }

        void advance(Duration by) {
            now.addAndGet(by.toMillis());
        }
    }

    /** Quick retries: a test waits for a host to come back, not for the console's patience. */
    static final RemoteFleet.Settings QUICK = new RemoteFleet.Settings(Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofSeconds(45), System::currentTimeMillis);

    ConsoleFixture(Stage stage, Locale locale, String... services) throws Exception {
        door = FrontDoor.open(host, 0);
        fleet = new LocalFleet(host, door, "console:test", () -> {
            door.close();
            host.close();
        });
        group = new FleetGroup(fleet);
        configFolder = Files.createTempDirectory("sluice-console-test");
        for (String name : services) {
            fleet.create(new ServiceDefinition(name, 1, 1, 256, ServiceDefinition.Validation.NONE, null, null, "dir:/tmp/" + name))
                    .completion().get(10, TimeUnit.SECONDS);
        }
        session = session(group, stage, locale, executor, configFolder, noticeClock);
        javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(session.view(), 1400, 820);
        scene.getStylesheets().add(ConsoleApp.STYLESHEET);
        stage.setScene(scene);
        // The stage is shared by every test; one that resized it must not leave the next a narrow window.
        stage.sizeToScene();
        stage.show();
        session.start();
    }

    /**
     * A console session over {@code group} as the console makes one, with a shell that remembers
     * nothing, test traffic that sends nothing and connections kept in {@code configFolder}; not
     * started.
     */
    static ConsoleSession session(FleetGroup group, Stage stage, Locale locale, FxExecutor executor, Path configFolder) {
        return session(group, stage, locale, executor, configFolder, new HeldClock());
    }

    /** {@link #session(FleetGroup, Stage, Locale, FxExecutor, Path)} whose notices come and fade by {@code noticeClock}. */
    static ConsoleSession session(FleetGroup group, Stage stage, Locale locale, FxExecutor executor, Path configFolder,
                                  HeldClock noticeClock) {
        I18n i18n = new I18n(locale);
        return new ConsoleSession(group, Lifecycle.standard(), i18n, executor, new FxDialogService(i18n, stage),
                new MainView.Shell() {
                    @Override
                    public boolean isDark() {
                        return false;
                    }

                    @Override
                    public void dark(boolean dark) {
                    }

                    @Override
                    public Optional<Locale> language() {
                        return Optional.of(locale);
                    }

                    @Override
                    public void language(Optional<Locale> next) {
                    }

                    @Override
                    public void quit() {
                    }
                }, System::currentTimeMillis, noticeClock, (endpoint, rate, size) -> new TrafficViewModel.Traffic() {
                    @Override
                    public TrafficCounts counts() {
                        return new TrafficCounts(0, 0, 0, 0, 0, 0);
                    }

                    @Override
                    public void stop() {
                    }
                }, RemoteHosts.overHttps(QUICK), new ConnectionsFile(configFolder));
    }

    List<FakeLauncher.Fake> instances(String service) {
        return launcher.alive(service);
    }

    @Override
    public void close() throws IOException {
        session.close();
        group.close();
        executor.close();
        try (var files = Files.walk(configFolder)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** True once {@code service} is listed and Active in the console's grid. */
    boolean isActive(String service) {
        return session.services().row(service).map(r -> r.getState() == org.sluice.lifecycle.ServiceState.ACTIVE).orElse(false);
    }
}
