package org.sluice.console;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import atlantafx.base.theme.PrimerLight;
import org.sluice.bench.Footprint;
import org.sluice.console.view.FxDialogService;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.RemoteHosts;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.fleet.traffic.TrafficCounts;
import org.sluice.lifecycle.Lifecycle;

/**
 * The console's heap while its test traffic runs: the real console session over its own embedded
 * host with the demonstration services, in a real window on the dashboard, sending test traffic
 * through the dashboard's view model as the bar would, for a number of minutes. Once a minute it
 * prints the live heap after a full GC and the traffic's counts. Arguments:
 * {@code dataFolder minutes rate size service}, by default {@code - 10 5000 "1 KiB" slow-partner}.
 */
public final class TrafficHeapBench {
    private static ConsoleSession session;
    private static LocalFleet local;

    private TrafficHeapBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String rate = args.length > 2 ? args[2] : "5000";
        String size = args.length > 3 ? args[3] : "1 KiB";
        String service = args.length > 4 ? args[4] : "slow-partner";
        local = LocalFleet.openOnThisMachine(data, 0, "bench", true);
        Platform.startup(TrafficHeapBench::show);
        waitFor(() -> session.services().row(service).map(r -> r.instancesProperty().get() > 0).orElse(false), 180);
        LiveLoadBench.onFx(() -> {
            session.traffic().serviceProperty().set(service);
            session.traffic().rateTextProperty().set(rate);
            session.traffic().sizeTextProperty().set(size);
            session.traffic().toggleCommand().execute();
            return session.traffic().runningProperty().get();
        });
        log("test traffic to " + service + ": " + rate + " a second of " + size + ", for " + minutes + " min");
        List<Long> heaps = new ArrayList<>();
        long startNs = System.nanoTime();
        for (int minute = 1; minute <= minutes; minute++) {
            long nextNs = startNs + TimeUnit.MINUTES.toNanos(minute);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextNs - System.nanoTime())));
            long heap = LiveLoadBench.onFx(Footprint::liveHeapBytes);
            heaps.add(heap);
            TrafficCounts counts = LiveLoadBench.onFx(() -> session.traffic().countsProperty().get());
            System.out.printf(Locale.ROOT, "bench: minute %d live heap after GC %.1f MiB, %s%n", minute, heap / 1048576.0, counts);
        }
        TrafficCounts last = LiveLoadBench.onFx(() -> {
            session.traffic().toggleCommand().execute();
            return session.traffic().countsProperty().get();
        });
        long min = heaps.stream().mapToLong(Long::longValue).min().orElse(0);
        long max = heaps.stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.printf(Locale.ROOT, "RESULT traffic heap live after GC over %d min at %s/s of %s to %s: first %.1f MiB, last %.1f MiB, "
                        + "min %.1f MiB, max %.1f MiB; %d messages, %.0f a second: ok %d, busy %d, other %d, dropped %d%n",
                minutes, rate, size, service, heaps.get(0) / 1048576.0, heaps.get(heaps.size() - 1) / 1048576.0, min / 1048576.0,
                max / 1048576.0, last.due(), last.due() / (minutes * 60.0), last.ok(), last.busy(), last.other(), last.dropped());
        System.out.println("RESULT footprint " + Footprint.line());
        System.out.flush();
        LiveLoadBench.onFx(() -> {
            session.close();
            return null;
        });
        local.close();
        Platform.exit();
        System.exit(0);
    }

    private static void show() {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Stage stage = new Stage();
        I18n i18n = new I18n(Locale.ENGLISH);
        FxExecutor executor = new FxExecutor();
        session = new ConsoleSession(new FleetGroup(local), Lifecycle.standard(), i18n, executor, new FxDialogService(i18n, stage),
                LiveLoadBench.shell(), System::currentTimeMillis, HttpTraffic::start, RemoteHosts.overHttps(RemoteFleet.Settings.defaults()),
                LiveLoadBench.rememberNothing());
        Scene scene = new Scene(session.view(), 1400, 860);
        scene.getStylesheets().add(ConsoleApp.STYLESHEET);
        stage.setScene(scene);
        stage.show();
        session.start();
        session.mainView().tabs().getSelectionModel().select(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!LiveLoadBench.onFx(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demonstration services did not start within " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }

    private static void log(String text) {
        System.out.println("bench: " + text);
    }
}
