package org.sluice.console;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.stage.Stage;

import atlantafx.base.theme.PrimerLight;
import org.sluice.bench.Footprint;
import org.sluice.bench.PulsePhaseRecorder;
import org.sluice.bench.Stats;
import org.sluice.bench.SyntheticFleet;
import org.sluice.console.controls.ThrottleTile;
import org.sluice.console.view.FxDialogService;
import org.sluice.console.view.MainView;
import org.sluice.console.viewmodel.ConnectionStore;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.RememberedConnection;
import org.sluice.console.viewmodel.RemoteHosts;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Lifecycle;

/**
 * The real console session (grid, details, dashboard, event pump) over a {@link SyntheticFleet},
 * in a real window. Measures, over a window of time with the dashboard tab shown and then with the
 * services tab shown: FX thread CPU share, the renderer thread's, the process's, and, with the
 * dashboard shown, crossing-to-flash latency. Pulse times come from the JavaFX pulse logger, which
 * run.sh turns on and {@code PulseLogStats} reads between the {@code BENCH-WINDOW} markers this
 * prints to the same stream, and, in every window, from the flight recorder's pulse phase events
 * ({@link PulsePhaseRecorder}).
 *
 * <p>Three windows: the dashboard under the steady load alone, the dashboard with a threshold
 * crossing every {@code crossingEveryMs} (each one also raises a notification, as in use), and the
 * services tab under the steady load. Arguments:
 * {@code services instances stateChangesPerSecond crossingEveryMs warmupS dashboardS flashS gridS [flapS]}.
 * With {@code flapS} above 0, a window of that length follows the dashboard's, in which one
 * instance flaps ({@link SyntheticFleet#flapping(boolean)}), after 15 s in which it has become
 * Flapping; the instance is the dashboard's selected one. The throttle notification is on unless
 * {@code -Dbench.notifications=false}.
 */
public final class LiveLoadBench {
    private static final PseudoClass FLASHING = PseudoClass.getPseudoClass("flashing");

    private static ConsoleSession session;
    private static SyntheticFleet fleet;
    private static PulsePhaseRecorder pulses;
    private static volatile boolean measuringFlashes;
    private static final List<Double> FLASH_MS = Collections.synchronizedList(new ArrayList<>());
    /** Crossings of instances whose tiles were out of view, so not drawn: not timed (decision 0032). */
    private static final java.util.concurrent.atomic.AtomicLong OUT_OF_VIEW = new java.util.concurrent.atomic.AtomicLong();
    /** The flapping instance's changes of state that arrived since the last pulse began, from the fleet's thread. */
    private static final java.util.concurrent.atomic.AtomicInteger FLIPS_ARRIVED = new java.util.concurrent.atomic.AtomicInteger();
    /** Set while a window is measured: the JavaFX thread's CPU per pulse goes to one of the two lists. */
    private static volatile boolean measuringPulseCpu;
    private static final List<Double> FLIP_PULSE_CPU_MS = Collections.synchronizedList(new ArrayList<>());
    private static final List<Double> OTHER_PULSE_CPU_MS = Collections.synchronizedList(new ArrayList<>());
    private static final List<Double> FLIP_PULSE_ANIMATION_MS = Collections.synchronizedList(new ArrayList<>());
    private static long pulseCpuStart = -1;
    private static long pulseCpuBeforeLayout = -1;
    private static boolean pulseHasFlip;

    private LiveLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int services = arg(args, 0, 5_000);
        int instances = arg(args, 1, 100);
        int changes = arg(args, 2, 200);
        int crossingEveryMs = arg(args, 3, 1_000);
        int warmupS = arg(args, 4, 20);
        int dashboardS = arg(args, 5, 60);
        int flashS = arg(args, 6, 120);
        int gridS = arg(args, 7, 60);
        int flapS = arg(args, 8, 0);
        fleet = new SyntheticFleet(services, instances, changes, crossingEveryMs);
        fleet.subscribe(event -> {
            if (event instanceof org.sluice.fleet.FleetEvent.ThrottleChanged changed && changed.service().equals("svc-00000")
                    && changed.index() == 0) {
                FLIPS_ARRIVED.incrementAndGet();
            }
        });
        // Before the toolkit starts, or JavaFX does not write its pulse events.
        pulses = PulsePhaseRecorder.start();

        CompletableFuture<Long> fxThread = new CompletableFuture<>();
        Platform.startup(() -> {
            fxThread.complete(Thread.currentThread().getId());
            show();
        });
        long fx = fxThread.get();
        waitFor(() -> session.services().rows().size() == services, 60);
        log("loaded " + services + " services, " + session.dashboard().tiles().size() + " tiles");
        if (Boolean.getBoolean("bench.gridFirst")) {
            sleepS(2);
            onFx(() -> {
                session.mainView().tabs().getSelectionModel().select(1);
                return null;
            });
        }
        fleet.start();

        sleepS(warmupS);
        long heapBefore = onFx(Footprint::liveHeapBytes);
        log("live heap after GC at start of load: " + heapBefore / 1024 / 1024 + " MiB");
        sleepS(3);

        window("dashboard", fx, dashboardS);
        if (flapS > 0) {
            // One instance flaps, shown in the detail chart as an operator watching it would; its
            // alert stays on screen and counts on.
            // -Dbench.flapSelected=false leaves the detail chart empty, to tell its cost from the rest.
            if (Boolean.parseBoolean(System.getProperty("bench.flapSelected", "true"))) {
                onFx(() -> {
                    session.dashboard().selectedProperty().set(session.dashboard().tile("svc-00000#0"));
                    return null;
                });
            }
            fleet.flapping(true);
            sleepS(15);
            window("flap", fx, flapS);
            fleet.flapping(false);
            System.out.println("RESULT flap: entries emitted " + fleet.flapsEmitted() + ", instances flapping at the end "
                    + onFx(() -> session.dashboard().flappingInstances().size()) + ", notification "
                    + (onFx(() -> session.dashboard().notice().enabledProperty().get()) ? "on" : "off") + ", shown at the end "
                    + onFx(() -> session.dashboard().notice().shownProperty().get()));
        }
        int switches = Integer.getInteger("bench.tabSwitches", 0);
        if (switches > 0) {
            tabSwitches(switches);
        }
        fleet.crossings(true);
        measuringFlashes = true;
        window("flash", fx, flashS);
        measuringFlashes = false;
        fleet.crossings(false);
        System.out.println("RESULT flash latency ms (emit -> first laid-out pulse with the tile :flashing) "
                + Stats.summary(FLASH_MS) + " crossings emitted " + fleet.crossingsEmitted() + ", of which "
                + OUT_OF_VIEW.get() + " to tiles out of view, not timed");

        onFx(() -> {
            session.mainView().tabs().getSelectionModel().select(0);
            return null;
        });
        sleepS(5);
        window("grid", fx, gridS);

        long heapAfter = onFx(Footprint::liveHeapBytes);
        System.out.printf(Locale.ROOT, "RESULT heap live after GC: start of load %d MiB, end %d MiB, growth %+.1f MiB over %d s%n",
                heapBefore / 1024 / 1024, heapAfter / 1024 / 1024, (heapAfter - heapBefore) / 1024.0 / 1024.0,
                dashboardS + flashS + gridS + 8);
        System.out.println("RESULT footprint services=" + services + " " + Footprint.line() + " events=" + fleet.eventsEmitted());
        System.out.flush();
        fleet.close();
        pulses.close();
        Platform.exit();
        System.exit(0);
    }

    /**
     * With {@code -Dbench.tabSwitches=N}: N times to the services tab and back to the dashboard, a
     * second apart ({@code -Dbench.tabGapS} sets other seconds), under the same load. Each switch is
     * timed on the JavaFX thread from the tab's selection to the end of the next pulse's layout, wall
     * clock and that thread's CPU: the work of bringing the tab's content into the window (its
     * styles, its layout), not the frame's painting.
     */
    private static void tabSwitches(int count) throws Exception {
        List<Double> toServicesMs = new ArrayList<>();
        List<Double> toServicesCpuMs = new ArrayList<>();
        List<Double> toDashboardMs = new ArrayList<>();
        List<Double> toDashboardCpuMs = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2 * count; i++) {
            int tab = i % 2 == 0 ? 0 : 1;
            CompletableFuture<double[]> took = new CompletableFuture<>();
            Platform.runLater(() -> {
                long start = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                javafx.scene.Scene scene = session.mainView().getScene();
                Runnable end = new Runnable() {
                    @Override
                    public void run() {
                        took.complete(new double[] {(System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6});
                        scene.removePostLayoutPulseListener(this);
                    }
                };
                session.mainView().tabs().getSelectionModel().select(tab);
                scene.addPostLayoutPulseListener(end);
            });
            double[] ms = took.get(30, java.util.concurrent.TimeUnit.SECONDS);
            (tab == 0 ? toServicesMs : toDashboardMs).add(ms[0]);
            (tab == 0 ? toServicesCpuMs : toDashboardCpuMs).add(ms[1]);
            sleepS(Integer.getInteger("bench.tabGapS", 1));
        }
        System.out.println("RESULT tab switch to services ms " + Stats.summary(toServicesMs) + "; FX-thread CPU ms " + Stats.summary(toServicesCpuMs));
        System.out.println("RESULT tab switch to dashboard ms " + Stats.summary(toDashboardMs) + "; FX-thread CPU ms " + Stats.summary(toDashboardCpuMs));
    }

    private static void show() {
        Application.setUserAgentStylesheet(Boolean.getBoolean("bench.dark")
                ? new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        Stage stage = new Stage();
        I18n i18n = new I18n(Locale.ENGLISH);
        FxExecutor executor = new FxExecutor();
        // The synthetic fleet is the console's own host; no remote host is connected or remembered.
        session = new ConsoleSession(new FleetGroup(fleet), Lifecycle.standard(), i18n, executor, new FxDialogService(i18n, stage),
                shell(), System::currentTimeMillis, (endpoint, rate, size) -> {
                    throw new UnsupportedOperationException("no test traffic in the benchmark");
                }, RemoteHosts.overHttps(RemoteFleet.Settings.defaults()), rememberNothing());
        Scene scene = new Scene(session.view(), 1400, 860);
        scene.getStylesheets().add(ConsoleApp.STYLESHEET);
        scene.addPostLayoutPulseListener(LiveLoadBench::checkFlashes);
        scene.addPostLayoutPulseListener(LiveLoadBench::endPulseCpu);
        if (Boolean.getBoolean("bench.dirtyProbe")) {
            DirtyProbe probe = new DirtyProbe(scene);
            scene.addPostLayoutPulseListener(probe::check);
        }
        scene.addPreLayoutPulseListener(() -> pulseCpuBeforeLayout = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        // Started before the session's own timer, so that it runs first in each pulse.
        new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                startPulseCpu();
            }
        }.start();
        stage.setScene(scene);
        stage.show();
        // -Dbench.notifications=false runs without the throttle notification, to tell its cost from the rest.
        session.throttleNotifications(Boolean.parseBoolean(System.getProperty("bench.notifications", "true")));
        session.start();
        // -Dbench.gridFirst=true leaves the services grid shown until its rows have loaded, as the
        // console opens, and only then brings the dashboard forward.
        if (!Boolean.getBoolean("bench.gridFirst")) {
            session.mainView().tabs().getSelectionModel().select(1);
        }
    }

    /**
     * The JavaFX thread's CPU time from the start of a pulse's animations (where the console applies
     * the fleet's events) to the end of its layout: the work of the pulse on that thread, less the
     * copy to the render graph, and little moved by other load on the machine, unlike the pulse's
     * wall-clock time. A pulse in which the flapping instance's change of state arrived is a flip pulse.
     */
    private static void startPulseCpu() {
        pulseHasFlip = FLIPS_ARRIVED.getAndSet(0) > 0;
        pulseCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static void endPulseCpu() {
        if (pulseCpuStart < 0) {
            return;
        }
        double ms = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - pulseCpuStart) / 1e6;
        pulseCpuStart = -1;
        if (measuringPulseCpu) {
            (pulseHasFlip ? FLIP_PULSE_CPU_MS : OTHER_PULSE_CPU_MS).add(ms);
            if (pulseHasFlip && pulseCpuBeforeLayout >= 0) {
                FLIP_PULSE_ANIMATION_MS.add(ms - (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - pulseCpuBeforeLayout) / 1e6);
            }
        }
    }

    /** After each pulse's layout: every crossing whose tile now flashes is drawn in this pulse's frame. */
    private static void checkFlashes() {
        Map<String, Long> pending = fleet.crossings();
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        pending.entrySet().removeIf(entry -> {
            ThrottleTile tile = session.dashboardView().tile(entry.getKey());
            if (tile == null && session.dashboard().tile(entry.getKey()) != null) {
                // Only the tiles in view are nodes: a crossing out of view draws nothing to time.
                if (measuringFlashes) {
                    OUT_OF_VIEW.incrementAndGet();
                }
                return true;
            }
            if (tile == null || !tile.getPseudoClassStates().contains(FLASHING)) {
                return false;
            }
            if (measuringFlashes) {
                FLASH_MS.add((now - entry.getValue()) / 1e6);
            }
            return true;
        });
    }

    private static void window(String name, long fxThread, int seconds) throws InterruptedException, java.io.IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long renderer = rendererThread(threads);
        java.time.Instant from = java.time.Instant.now();
        // The times let a flight recording of the run be cut into the windows.
        System.err.println("BENCH-WINDOW " + name + " start " + from);
        long wall0 = System.nanoTime();
        long fx0 = threads.getThreadCpuTime(fxThread);
        long r0 = renderer < 0 ? 0 : threads.getThreadCpuTime(renderer);
        long p0 = os.getProcessCpuTime();
        FLIP_PULSE_CPU_MS.clear();
        FLIP_PULSE_ANIMATION_MS.clear();
        OTHER_PULSE_CPU_MS.clear();
        measuringPulseCpu = true;
        sleepS(seconds);
        measuringPulseCpu = false;
        long wall = System.nanoTime() - wall0;
        long fx = threads.getThreadCpuTime(fxThread) - fx0;
        long r = renderer < 0 ? 0 : threads.getThreadCpuTime(renderer) - r0;
        long p = os.getProcessCpuTime() - p0;
        java.time.Instant to = java.time.Instant.now();
        System.err.println("BENCH-WINDOW " + name + " end " + to);
        System.out.printf(Locale.ROOT, "RESULT %s window %d s: FX thread CPU %.1f %% of wall, renderer thread CPU %.1f %%, "
                        + "process CPU %.1f %% of one core (%.1f %% of %d cores)%n", name, seconds, 100.0 * fx / wall,
                100.0 * r / wall, 100.0 * p / wall, 100.0 * p / wall / os.getAvailableProcessors(), os.getAvailableProcessors());
        if (seconds > 0) {
            System.out.println("RESULT jfr pulse " + name + " " + pulses.window(from, to).summary());
            System.out.println("RESULT FX-thread CPU per pulse, animations to layout, " + name + ": pulses with a flip ms "
                    + Stats.summary(new ArrayList<>(FLIP_PULSE_CPU_MS)) + " (of which before CSS and layout "
                    + Stats.summary(new ArrayList<>(FLIP_PULSE_ANIMATION_MS)) + "); other pulses ms " + Stats.summary(new ArrayList<>(OTHER_PULSE_CPU_MS)));
        }
    }

    /** The id of JavaFX's renderer thread, or -1. */
    static long rendererThread(ThreadMXBean threads) {
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("QuantumRenderer")) {
                return info.getThreadId();
            }
        }
        return -1;
    }

    /** Runs {@code work} on the FX thread and waits for its result. */
    static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!onFx(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the console did not load the fleet within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static void sleepS(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    private static void log(String text) {
        System.out.println("bench: " + text);
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    /** A window shell that stays light and English and ignores requests to change or quit; other benches use it too. */
    /** Connections kept nowhere: a benchmark remembers no host. */
    static ConnectionStore rememberNothing() {
        return new ConnectionStore() {
            @Override
            public List<RememberedConnection> load() {
                return List.of();
            }

            @Override
            public void save(List<RememberedConnection> connections) {
                // Nothing is remembered in a benchmark.
            }
        };
    }

    static MainView.Shell shell() {
        return new MainView.Shell() {
            @Override
            public boolean isDark() {
                return false;
            }

            @Override
            public void dark(boolean dark) {
            }

            @Override
            public Optional<Locale> language() {
                return Optional.of(Locale.ENGLISH);
            }

            @Override
            public void language(Optional<Locale> locale) {
            }

            @Override
            public void quit() {
            }
        };
    }
}
