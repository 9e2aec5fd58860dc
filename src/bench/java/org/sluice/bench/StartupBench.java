package org.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JVM start to first rendered frame, for the minimal app, the minimal table app and Sluice's
 * console, run in turn. Each run is a fresh JVM; the clock starts just before the process is started and
 * stops when the pulse logger reports the pulse whose layout first passed the probe's test (the
 * logger prints a pulse's line when its rendering has finished).
 *
 * <p>Arguments: {@code rounds dataDir}. The data folder is made warm first by one run that is not
 * counted (the very first run creates the demonstration services).
 *
 * <p>With {@code -Dbench.image=DIR} (an app image made by {@code mvn -Ppackage package}) every run
 * uses that image's runtime and class path (with this bench's classes after it, for the probes),
 * and the apps are the minimal app started the plain way, the console with the image's launcher
 * options but no ahead-of-time cache ({@code sluice}), and the console as the installed launcher
 * starts it, with its cache ({@code sluice-aot}).
 *
 * <p>With {@code -Dbench.baseline=DIR} as well (another app image on the same runtime, for example
 * one made from an earlier commit), that image's console with its cache ({@code baseline-aot})
 * takes the place of the console without a cache, so that a change is timed against what it
 * changes in the same rounds.
 *
 * <p>With an image, the console is started as its launcher starts it: through {@code SluiceMain},
 * whose command line is parsed first. With {@code -Dbench.direct=true} as well, the console with its
 * cache started at {@code ConsoleApp} itself, as the runs without an image start it
 * ({@code direct-aot}), takes the third place in the rounds, to show what the front of the launch adds.
 */
public final class StartupBench {
    private static final Pattern CPU = Pattern.compile("fxCpuMs=(\\d+) processCpuMs=(\\d+)");
    private static final Pattern FOOTPRINT = Pattern.compile("hwmKiB=(-?\\d+) rssKiB=(-?\\d+) liveHeapKiB=(-?\\d+)");

    record Run(String app, long firstFrameMs, long markerMs, long firstLayoutMs, long fxCpuMs, long processCpuMs,
               long hwmKiB, long liveHeapKiB) {
    }

    private StartupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path data = Path.of(args.length > 1 ? args[1] : Files.createTempDirectory("sluice-bench-data").toString());
        Path prefs = Files.createTempDirectory("sluice-bench-prefs");
        boolean firstRun = !Files.exists(data.resolve("sluice.db"));
        Run warmUp = run("sluice", data, prefs);
        System.out.println((firstRun ? "first run (creates the demo services, not counted): " : "warm-up (not counted): ") + warmUp);
        // Three apps per round, in an order that rotates, so a drift in the machine's load falls
        // on all alike: the minimal app, the minimal table app, and the console.
        List<String> apps = IMAGE == null ? List.of("minimal", "table", "sluice")
                : DIRECT ? List.of("minimal", "direct-aot", "sluice-aot")
                : BASELINE == null ? List.of("minimal", "sluice", "sluice-aot") : List.of("minimal", "baseline-aot", "sluice-aot");
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        apps.forEach(app -> runs.put(app, new ArrayList<>()));
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < apps.size(); k++) {
                String app = apps.get((i + k) % apps.size());
                runs.get(app).add(print(run(app, data, prefs)));
            }
        }
        runs.forEach(StartupBench::report);
        if (runs.containsKey("sluice")) {
            ratio("sluice", "minimal", runs, Run::firstFrameMs, "ratio");
        }
        if (IMAGE == null) {
            ratio("table", "minimal", runs, Run::firstFrameMs, "ratio");
            ratio("sluice", "table", runs, Run::firstFrameMs, "ratio");
            ratio("sluice", "minimal", runs, Run::fxCpuMs, "JavaFX-thread CPU ratio");
            ratio("table", "minimal", runs, Run::fxCpuMs, "JavaFX-thread CPU ratio");
        } else if (DIRECT) {
            ratio("sluice-aot", "minimal", runs, Run::firstFrameMs, "ratio");
            ratio("direct-aot", "minimal", runs, Run::firstFrameMs, "ratio");
            ratio("sluice-aot", "direct-aot", runs, Run::firstFrameMs, "ratio");
            ratio("sluice-aot", "direct-aot", runs, Run::fxCpuMs, "JavaFX-thread CPU ratio");
            ratio("sluice-aot", "direct-aot", runs, Run::processCpuMs, "process CPU ratio");
        } else if (BASELINE != null) {
            ratio("sluice-aot", "minimal", runs, Run::firstFrameMs, "ratio");
            ratio("baseline-aot", "minimal", runs, Run::firstFrameMs, "ratio");
            ratio("sluice-aot", "baseline-aot", runs, Run::firstFrameMs, "ratio");
            ratio("sluice-aot", "baseline-aot", runs, Run::fxCpuMs, "JavaFX-thread CPU ratio");
            ratio("sluice-aot", "baseline-aot", runs, Run::processCpuMs, "process CPU ratio");
        } else {
            ratio("sluice-aot", "minimal", runs, Run::firstFrameMs, "ratio");
            ratio("sluice-aot", "sluice", runs, Run::firstFrameMs, "ratio");
            ratio("sluice-aot", "sluice", runs, Run::processCpuMs, "process CPU ratio");
        }
    }

    /** The app image whose runtime, class path and launcher options the runs use, or null. */
    private static final Path IMAGE = System.getProperty("bench.image") == null ? null : Path.of(System.getProperty("bench.image"));
    /** An app image whose console the runs compare with IMAGE's, or null. */
    private static final Path BASELINE = System.getProperty("bench.baseline") == null ? null : Path.of(System.getProperty("bench.baseline"));
    /** Whether the rounds also start the image's console at ConsoleApp itself, leaving out SluiceMain. */
    private static final boolean DIRECT = Boolean.getBoolean("bench.direct");

    /** The image's class path, as its launcher sets it, then this bench's own. */
    private static String imageClassPath(Path image) throws IOException {
        Path app = image.resolve("lib/app");
        List<String> entries = new ArrayList<>();
        for (String line : Files.readAllLines(app.resolve("sluice.cfg"))) {
            if (line.startsWith("app.classpath=")) {
                entries.add(line.substring("app.classpath=".length()).replace("$APPDIR", app.toString()));
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The image launcher's Java options; without the ahead-of-time cache unless {@code withCache}. */
    private static List<String> imageOptions(Path image, boolean withCache) throws IOException {
        Path app = image.resolve("lib/app");
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(app.resolve("sluice.cfg"))) {
            if (line.startsWith("java-options=")) {
                String option = line.substring("java-options=".length()).replace("$APPDIR", app.toString());
                if (withCache || !option.startsWith("-XX:AOTCache")) {
                    options.add(option);
                }
            }
        }
        return options;
    }

    private static void ratio(String app, String against, Map<String, List<Run>> runs, ToLongFunction<Run> figure, String what) {
        double ratio = Stats.median(runs.get(app).stream().map(r -> figure.applyAsLong(r)).toList())
                / Stats.median(runs.get(against).stream().map(r -> figure.applyAsLong(r)).toList());
        System.out.printf(Locale.ROOT, "RESULT startup %s %s/%s (medians) = %.2f%n", what, app, against, ratio);
    }

    private static Run print(Run run) {
        System.out.println(run);
        return run;
    }

    private static void report(String app, List<Run> runs) {
        System.out.println("RESULT startup " + app + " firstFrameMs " + Stats.summary(runs.stream().map(Run::firstFrameMs).toList()));
        System.out.println("RESULT startup " + app + " firstLayoutMs " + Stats.summary(runs.stream().map(Run::firstLayoutMs).toList()));
        System.out.println("RESULT startup " + app + " fxThreadCpuMs " + Stats.summary(runs.stream().map(Run::fxCpuMs).toList()));
        System.out.println("RESULT startup " + app + " processCpuMs " + Stats.summary(runs.stream().map(Run::processCpuMs).toList()));
        System.out.println("RESULT startup " + app + " hwmMiB " + Stats.summary(runs.stream().map(r -> r.hwmKiB() / 1024.0).toList()));
        System.out.println("RESULT startup " + app + " liveHeapMiB " + Stats.summary(runs.stream().map(r -> r.liveHeapKiB() / 1024.0).toList()));
    }

    static Run run(String app, Path data, Path prefs) throws IOException, InterruptedException {
        Path image = app.startsWith("baseline") ? BASELINE : IMAGE;
        String java = image == null ? ProcessHandle.current().info().command().orElse("java")
                : image.resolve("lib/runtime/bin/java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "-cp", image == null ? System.getProperty("java.class.path") : imageClassPath(image)));
        boolean console = app.startsWith("sluice") || app.startsWith("baseline") || app.startsWith("direct");
        if (image != null && console) {
            command.addAll(imageOptions(image, app.endsWith("-aot")));
        } else if (app.startsWith("sluice")) {
            // The console's own JVM options, as the dev launcher gives them (src/bench/run.sh's CONSOLE_JVM).
            command.addAll(Arrays.stream(System.getProperty("bench.consoleJvm", "").split(" ")).filter(o -> !o.isBlank()).toList());
        }
        command.addAll(List.of("-Dprism.order=sw", "-Djavafx.pulseLogger=true", "-Djavafx.pulseLogger.threshold=0",
                "-Djava.util.prefs.userRoot=" + prefs, "-Duser.language=en", "-Duser.country=US"));
        if (console) {
            command.addAll(List.of("-Dsluice.data=" + data, "-Dsluice.theme=light", "org.sluice.console.ConsoleStartupProbe"));
            if (image != null && !app.startsWith("direct")) {
                command.add("--through-main");
            }
        } else if (app.equals("table")) {
            command.add("org.sluice.bench.MinimalTableApp");
        } else {
            command.add("org.sluice.bench.MinimalApp");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        long start = System.currentTimeMillis();
        Process process = builder.start();
        long marker = -1;
        long firstLayout = -1;
        long frame = -1;
        long fxCpu = -1;
        long processCpu = -1;
        long hwm = -1;
        long heap = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                long now = System.currentTimeMillis();
                if (firstLayout < 0 && line.contains(FirstFrameProbe.FIRST_LAYOUT)) {
                    firstLayout = now - start;
                }
                if (line.contains(FirstFrameProbe.READY)) {
                    marker = now - start;
                    Matcher m = CPU.matcher(line);
                    if (m.find()) {
                        fxCpu = Long.parseLong(m.group(1));
                        processCpu = Long.parseLong(m.group(2));
                    }
                } else if (marker >= 0 && frame < 0 && line.startsWith("PULSE:")) {
                    frame = now - start;
                } else if (line.contains("BENCH-FOOTPRINT")) {
                    Matcher m = FOOTPRINT.matcher(line);
                    if (m.find()) {
                        hwm = Long.parseLong(m.group(1));
                        heap = Long.parseLong(m.group(3));
                    }
                } else if (line.contains("Exception") || line.contains("ERROR")) {
                    System.out.println("  [" + app + "] " + line);
                }
            }
        }
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        return new Run(app, frame, marker, firstLayout, fxCpu, processCpu, hwm, heap);
    }
}
