package org.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.sluice.runtime.ProcessInstanceLauncher;

/**
 * A role instance's launch → ready time, with and without the app image's ahead-of-time cache, in
 * alternated runs: each run starts the instance JVM as the installed host does (the image's runtime
 * and class path, the instances' JVM options, 256 MiB and one processor), and the clock stops when
 * it prints its {@code ready} event. The instance is then told to stop.
 *
 * <p>Arguments: {@code imageDir runs}.
 */
public final class InstanceReadyBench {
    private InstanceReadyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path app = image.resolve("lib/app");
        Path cache = app.resolve("instance.aot");
        List<String> classPath = new ArrayList<>();
        for (String line : Files.readAllLines(app.resolve("sluice.cfg"))) {
            if (line.startsWith("app.classpath=")) {
                classPath.add(line.substring("app.classpath=".length()).replace("$APPDIR", app.toString()));
            }
        }
        Path work = Files.createTempDirectory("sluice-bench-ready");
        Path definition = work.resolve("definition.json");
        Files.writeString(definition, "{\"name\":\"bench\",\"units\":1,\"validate\":\"json\",\"destination\":\"dir:"
                + work.resolve("outbox").toString().replace("\\", "\\\\") + "\"}");
        List<Long> plain = new ArrayList<>();
        List<Long> cached = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            // Alternated, and which goes first alternates too, so that drift falls on both alike.
            boolean cacheFirst = i % 2 == 1;
            for (boolean withCache : cacheFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                long ms = run(image.resolve("lib/runtime/bin/java"), String.join(java.io.File.pathSeparator, classPath),
                        ProcessInstanceLauncher.jvmOptions(withCache ? Optional.of(cache) : Optional.empty()), definition, work);
                (withCache ? cached : plain).add(ms);
                System.out.printf(Locale.ROOT, "run %d %s: %d ms%n", i, withCache ? "cache" : "plain", ms);
            }
        }
        System.out.println("RESULT ready plain launchToReadyMs " + Stats.summary(plain.stream().map(Long::doubleValue).toList()));
        System.out.println("RESULT ready cache launchToReadyMs " + Stats.summary(cached.stream().map(Long::doubleValue).toList()));
        System.out.printf(Locale.ROOT, "RESULT ready ratio cache/plain (medians) = %.2f%n",
                Stats.median(cached.stream().map(Long::doubleValue).toList()) / Stats.median(plain.stream().map(Long::doubleValue).toList()));
    }

    private static long run(Path java, String classPath, List<String> options, Path definition, Path work)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:ActiveProcessorCount=1"));
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, "org.sluice.cli.SluiceMain", "instance",
                "--definition", definition.toString(), "--index", "0", "--work", work.resolve("instance").toString()));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long ready = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer control = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.contains("\"ready\"")) {
                    ready = (System.nanoTime() - start) / 1_000_000;
                    control.write("stop\n");
                    control.flush();
                    break;
                }
            }
            lines.transferTo(Writer.nullWriter());
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (ready < 0) {
            throw new IllegalStateException("the instance never said it was ready: " + command);
        }
        return ready;
    }
}
