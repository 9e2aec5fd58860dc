package org.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.ProcessInstanceLauncher;
import org.sluice.runtime.RoleInstance;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice train [--instance-cache FILE] [--console-cache FILE]}: the training runs behind
 * the installers' ahead-of-time caches (docs/decisions/0012-ahead-of-time-cache.md). Each trains a
 * child JVM started with this JVM's own {@code java} and class path, so that the cache fits the
 * runtime and class path it will be used with: a role instance taking a burst of messages, and
 * the console opening on a throwaway data folder. Hidden from the help: the package build runs it.
 */
@Command(name = "train", hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class TrainCommand implements Callable<Integer> {
    /** Messages the training instance takes: enough for the message path to be compiled. */
    static final int MESSAGES = 3000;
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @Spec
    private CommandSpec spec;

    @Option(names = "--instance-cache", paramLabel = "FILE", descriptionKey = "train.option.instance")
    private Path instanceCache;

    @Option(names = "--console-cache", paramLabel = "FILE", descriptionKey = "train.option.console")
    private Path consoleCache;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path scratch = Files.createTempDirectory("sluice-training");
        try {
            if (instanceCache != null) {
                trainInstance(instanceCache.toAbsolutePath(), scratch.resolve("instance"));
                out.println(Messages.get("train.done", instanceCache, Files.size(instanceCache)));
            }
            if (consoleCache != null) {
                trainConsole(consoleCache.toAbsolutePath(), scratch.resolve("console"));
                out.println(Messages.get("train.done", consoleCache, Files.size(consoleCache)));
            }
            return 0;
        } catch (TrainingFailed e) {
            spec.commandLine().getErr().println(Messages.get("train.failed", e.getMessage()));
            return 1;
        } finally {
            deleteTree(scratch);
        }
    }

    private static void trainInstance(Path cache, Path work) throws Exception {
        Files.createDirectories(work);
        Files.deleteIfExists(cache);
        List<String> options = new ArrayList<>(ProcessInstanceLauncher.jvmOptions(Optional.empty()));
        options.add("-XX:AOTCacheOutput=" + cache);
        ProcessInstanceLauncher launcher = new ProcessInstanceLauncher(ProcessInstanceLauncher.thisJava(),
                System.getProperty("java.class.path"), work.resolve("instances"), options);
        ServiceDefinition definition = new ServiceDefinition("training", 1, ServiceDefinition.DEFAULT_CORES,
                ServiceDefinition.DEFAULT_MEMORY_MB, ServiceDefinition.Validation.JSON, null, null, "dir:" + work.resolve("outbox"));
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        RoleInstance instance = launcher.launch(definition, 0, false, event -> {
            if (event instanceof InstanceEvent.Exited gone) {
                exited.complete(gone.status());
            }
        });
        int port = instance.ready().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/messages");
        for (int i = 0; i < MESSAGES; i++) {
            String body = "{\"order\":" + i + ",\"lines\":[{\"sku\":\"A-" + i + "\",\"qty\":" + (i % 7 + 1) + "}]}";
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 && answer.statusCode() != 503) {
                instance.kill();
                throw new TrainingFailed("the training instance answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        instance.stop();
        // The JVM writes the cache as it exits, which takes a few seconds more.
        int status = exited.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (status != 0 || !Files.isRegularFile(cache)) {
            throw new TrainingFailed("the training instance exited with status " + status + " and left no cache at " + cache
                    + "; its log: " + work.resolve("instances/training/0/instance.log"));
        }
    }

    private static void trainConsole(Path cache, Path data) throws Exception {
        Files.deleteIfExists(cache);
        List<String> command = new ArrayList<>(List.of(ProcessInstanceLauncher.thisJava().toString(),
                "-XX:AOTCacheOutput=" + cache,
                "--enable-native-access=ALL-UNNAMED",
                "-Dsluice.data=" + data,
                "-Dsluice.training=true",
                "-Djava.util.prefs.userRoot=" + data.resolve("prefs"),
                "-cp", System.getProperty("java.class.path"),
                SluiceMain.class.getName()));
        Process console = new ProcessBuilder(command).inheritIO().start();
        if (!console.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            console.destroyForcibly();
            throw new TrainingFailed("the training console did not close within " + LIMIT.toMinutes() + " minutes");
        }
        if (console.exitValue() != 0 || !Files.isRegularFile(cache)) {
            throw new TrainingFailed("the training console exited with status " + console.exitValue() + " and left no cache at " + cache
                    + " (it needs a display: run it under Xvfb where there is none)");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** A training run that did not leave a cache, with what to look at. */
    private static final class TrainingFailed extends Exception {
        TrainingFailed(String message) {
            super(message);
        }
    }
}
