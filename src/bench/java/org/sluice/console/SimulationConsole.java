package org.sluice.console;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import atlantafx.base.theme.PrimerLight;
import org.sluice.bench.Footprint;
import org.sluice.bench.PulsePhaseRecorder;
import org.sluice.bench.Stats;
import org.sluice.bench.SyntheticFleet;
import org.sluice.console.view.FxDialogService;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.RemoteHosts;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Lifecycle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The console of the 300-instance simulation (docs/perf.md): the real console session in a real
 * window, in its own JVM, connected to the simulation's host over the management API as an operator
 * connects to a remote host (a {@link RemoteFleet} added to the console's {@link FleetGroup} beside
 * an empty own host), with the dashboard of live tiles shown.
 *
 * <p>{@code SimulationConsole DATA SERVICES WARMUP_S WINDOW_S}: reads the host's connection file and
 * keys in DATA, waits until the grid holds SERVICES services, lets the load run WARMUP_S, then tells
 * the host it measures (the file {@code DATA/console-measuring}) and measures WINDOW_S seconds: the FX
 * thread's and the process's CPU, pulses from the flight recorder, and the latency of samples from the
 * instance (the time in the sample) to this remote fleet's listener.
 */
public final class SimulationConsole {
    private static ConsoleSession session;
    private static FleetGroup group;
    private static volatile boolean measuring;
    private static final List<Long> SAMPLE_MS = Collections.synchronizedList(new ArrayList<>());

    private SimulationConsole() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int services = Integer.parseInt(args[1]);
        int warmupS = Integer.parseInt(args[2]);
        int windowS = Integer.parseInt(args[3]);
        JsonNode connection = ApiJson.MAPPER.readTree(data.resolve("manage.json").toFile());
        String key = ApiJson.MAPPER.readTree(Path.of(connection.path("keys").asText()).toFile()).path("primary").asText();
        PulsePhaseRecorder pulses = PulsePhaseRecorder.start();

        RemoteFleet remote = RemoteFleet.connect("sim", new ManagementClient(URI.create(connection.path("url").asText()),
                connection.path("issuer").asText(), key, connection.path("fingerprint").asText()), RemoteFleet.Settings.defaults());
        remote.subscribe(event -> {
            if (measuring && event instanceof FleetEvent.InstanceSampled sampled) {
                SAMPLE_MS.add(System.currentTimeMillis() - sampled.sample().timeMs());
            }
        });
        // A stream the host drops (its queue of events for this console filled) shows as a reconnection.
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        remote.onConnection(c -> {
            if (measuring && c.state() != RemoteFleet.State.CONNECTED) {
                lost.incrementAndGet();
                System.out.println("simulation console: connection " + c.state() + " " + c.problem().orElse(""));
            }
        });
        group = new FleetGroup(new SyntheticFleet(0, 0, 0, 0));

        CompletableFuture<Long> fxThread = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Platform.startup(() -> {
            fxThread.complete(Thread.currentThread().getId());
            show();
        });
        long fx = fxThread.get();
        group.add("sim", remote);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (LiveLoadBench.onFx(() -> session.services().rows().size()) < services) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the console did not list the host's " + services + " services within 180 s");
            }
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "RESULT simulation console: %d services listed %.1f s after the console started, %d tiles%n",
                services, (System.nanoTime() - t0) / 1e9, LiveLoadBench.onFx(() -> session.dashboard().tiles().size()));
        Thread.sleep(warmupS * 1000L);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long renderer = LiveLoadBench.rendererThread(threads);
        Files.createFile(data.resolve("console-measuring"));
        measuring = true;
        Instant from = Instant.now();
        long wall0 = System.nanoTime();
        long fx0 = threads.getThreadCpuTime(fx);
        long r0 = renderer < 0 ? 0 : threads.getThreadCpuTime(renderer);
        long p0 = os.getProcessCpuTime();
        Thread.sleep(windowS * 1000L);
        long wall = System.nanoTime() - wall0;
        long fxCpu = threads.getThreadCpuTime(fx) - fx0;
        long r = renderer < 0 ? 0 : threads.getThreadCpuTime(renderer) - r0;
        long p = os.getProcessCpuTime() - p0;
        measuring = false;
        Instant to = Instant.now();
        PulsePhaseRecorder.Window window = pulses.window(from, to);
        System.out.printf(Locale.ROOT, "RESULT simulation console window %d s (dashboard shown): FX thread busy %.1f %% of wall, "
                        + "renderer thread %.1f %%, process CPU %.1f %% of one core%n",
                windowS, 100.0 * fxCpu / wall, 100.0 * r / wall, 100.0 * p / wall);
        System.out.printf(Locale.ROOT, "RESULT simulation console pulses: p99 %.1f ms; %s%n", Stats.percentile(window.pulses(), 99),
                window.summary());
        System.out.printf(Locale.ROOT, "RESULT simulation event latency instance -> remote fleet listener (over the management API), ms: "
                + "samples %s, %.0f/s; the event stream lost %d times%n", Stats.summary(SAMPLE_MS), SAMPLE_MS.size() * 1e9 / wall, lost.get());
        System.out.println("RESULT simulation console footprint " + LiveLoadBench.onFx(Footprint::line));
        System.out.flush();
        pulses.close();
        // No Platform.exit first: closing the window while its last pulse renders failed at exit
        // ("The view has already been closed") and aborted the JVM after the figures were out.
        System.exit(0);
    }

    private static void show() {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Stage stage = new Stage();
        I18n i18n = new I18n(Locale.ENGLISH);
        session = new ConsoleSession(group, Lifecycle.standard(), i18n, new FxExecutor(), new FxDialogService(i18n, stage),
                LiveLoadBench.shell(), System::currentTimeMillis, (endpoint, rate, size) -> {
                    throw new UnsupportedOperationException("no test traffic in the simulation");
                }, RemoteHosts.overHttps(RemoteFleet.Settings.defaults()), LiveLoadBench.rememberNothing());
        Scene scene = new Scene(session.view(), 1400, 860);
        scene.getStylesheets().add(ConsoleApp.STYLESHEET);
        stage.setScene(scene);
        stage.show();
        session.start();
        session.mainView().tabs().getSelectionModel().select(1);
    }
}
