package org.sluice.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.instance.ProtocolEvent;
import org.sluice.runtime.instance.OwnerOnly;
import org.sluice.runtime.definition.DefinitionJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each role instance as its own child JVM, from the same class path as the host, with the
 * instance's memory budget as its maximum heap and its cores as its processor count, so that
 * memory and cores are really the instance's own (docs/runtime.md).
 */
public final class ProcessInstanceLauncher implements InstanceLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessInstanceLauncher.class);
    private static final String MAIN = "org.sluice.cli.SluiceMain";

    /**
     * The system property that names the role instances' ahead-of-time cache. The installed
     * launcher sets it to the cache made by the package build's training run.
     */
    public static final String AOT_CACHE_PROPERTY = "sluice.instance.aotCache";

    /**
     * The JVM's own messages go to standard error (the instance's log), never to standard output,
     * which carries only the protocol; an ahead-of-time cache that cannot be used is passed over
     * without a word, as a normal start.
     */
    static final List<String> QUIET_JVM = List.of("-Xlog:disable", "-Xlog:all=warning,aot*=off,cds*=off:stderr");

    private final Path java;
    private final String classPath;
    private final Path workRoot;
    private final List<String> jvmOptions;

    /**
     * @param java       the {@code java} executable to start instances with
     * @param classPath  the class path that holds Sluice and its libraries
     * @param workRoot   the folder under which each instance gets its own
     * @param jvmOptions options given to every instance JVM besides its heap and processors
     */
    public ProcessInstanceLauncher(Path java, String classPath, Path workRoot, List<String> jvmOptions) {
        this.java = java;
        this.classPath = classPath;
        this.workRoot = workRoot;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * A launcher that starts instances with this JVM's own {@code java} and class path, and with
     * the ahead-of-time cache named by {@value #AOT_CACHE_PROPERTY} when that file exists.
     */
    public static ProcessInstanceLauncher sameJvm(Path workRoot) {
        return sameJvm(workRoot, List.of());
    }

    /** As {@link #sameJvm(Path)}, with {@code extraOptions} after the usual ones. */
    public static ProcessInstanceLauncher sameJvm(Path workRoot, List<String> extraOptions) {
        Path java = thisJava();
        List<String> options = new ArrayList<>(jvmOptions(Optional.ofNullable(System.getProperty(AOT_CACHE_PROPERTY)).map(Path::of)));
        options.addAll(extraOptions);
        return new ProcessInstanceLauncher(java, System.getProperty("java.class.path"), workRoot, options);
    }

    /** The {@code java} executable of the running JVM: the one instances and training runs start with. */
    public static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The options every instance JVM gets: quiet JVM logging, and the cache when it exists. */
    public static List<String> jvmOptions(Optional<Path> aotCache) {
        List<String> options = new ArrayList<>(QUIET_JVM);
        options.add("--enable-native-access=ALL-UNNAMED");
        aotCache.filter(Files::isRegularFile).ifPresent(cache -> options.add("-XX:AOTCache=" + cache));
        return options;
    }

    @Override
    public InstanceLog log(String service, int index, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        return InstanceLogFiles.read(instanceFolder(service, index), run, offset, maxBytes);
    }

    /** Where instance {@code index} of {@code service} keeps its definition and its logs. */
    private Path instanceFolder(String service, int index) {
        Path work = workRoot.resolve(service).resolve(Integer.toString(index)).normalize();
        // The name is a known service's, which has no separators; this guards against a future caller that forgets.
        if (!work.getParent().getParent().equals(workRoot.normalize())) {
            throw new IllegalArgumentException("No instance folder for '" + service + "'");
        }
        return work;
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener)
            throws IOException {
        Path work = instanceFolder(definition.name(), index);
        OwnerOnly.createDirectories(work);
        Path definitionFile = work.resolve("definition.json");
        OwnerOnly.write(definitionFile, DefinitionJson.write(definition).getBytes(StandardCharsets.UTF_8));
        Path log = InstanceLogFiles.startNewRun(work);

        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Xmx" + definition.memoryMb() + "m",
                "-XX:ActiveProcessorCount=" + definition.coresPerInstance()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dsluice.role=instance",
                "-cp", classPath, MAIN, "instance",
                "--definition", definitionFile.toString(),
                "--index", Integer.toString(index),
                "--work", work.toString()));
        if (suspended) {
            command.add("--suspended");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(log.toFile());
        return attach(definition.name(), index, builder.start(), listener);
    }

    /**
     * Speaks the protocol with {@code process}, which runs instance {@code index} of {@code service}
     * and has just started: its events go to {@code listener}. Tests attach an instance run inside
     * their own JVM.
     */
    static RoleInstance attach(String service, int index, Process process, InstanceListener listener) {
        ChildInstance child = new ChildInstance(service, index, process, listener);
        child.startReading();
        return child;
    }

    /** One child JVM and the thread that reads its events. */
    private static final class ChildInstance implements RoleInstance {
        private static final AtomicInteger READERS = new AtomicInteger();

        private final String service;
        private final int index;
        private final Process process;
        private final InstanceListener listener;
        private final InstanceEventDecoder decoder;
        private final Writer control;
        private final CompletableFuture<Integer> ready = new CompletableFuture<>();
        private final CompletableFuture<Void> exited = new CompletableFuture<>();
        private volatile int port = -1;
        private volatile boolean stopRequested;
        private volatile String lastProblem;
        /** Suspends and resumes said and not yet confirmed, oldest first: the instance confirms each in turn. */
        private final Queue<CompletableFuture<Void>> gateChanges = new ConcurrentLinkedQueue<>();

        ChildInstance(String service, int index, Process process, InstanceListener listener) {
            this.service = service;
            this.index = index;
            this.process = process;
            this.listener = listener;
            this.decoder = new InstanceEventDecoder(service, index,
                    p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            this.control = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        void startReading() {
            Thread.ofPlatform().name("sluice-instance-" + service + "-" + index + "-" + READERS.incrementAndGet())
                    .daemon().start(this::read);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    handle(line);
                }
            } catch (IOException e) {
                LOG.debug("{} instance {}: output closed: {}", service, index, e.toString());
            }
            int status;
            try {
                status = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = -1;
            }
            if (!ready.isDone()) {
                String reason = lastProblem != null ? lastProblem : "exited with status " + status + " before it was ready";
                ready.completeExceptionally(new IOException(reason));
            }
            for (CompletableFuture<Void> change; (change = gateChanges.poll()) != null; ) {
                change.completeExceptionally(new IOException("exited with status " + status));
            }
            deliver(new InstanceEvent.Exited(status, stopRequested));
            exited.complete(null);
        }

        private void handle(String line) {
            Optional<ProtocolEvent> parsed = decoder.parse(line);
            if (parsed.isEmpty()) {
                return;
            }
            ProtocolEvent wire = parsed.get();
            if (wire instanceof ProtocolEvent.Ready r) {
                port = r.port();
            } else if (wire instanceof ProtocolEvent.Problem p) {
                lastProblem = p.message();
            } else if (wire instanceof ProtocolEvent.Gate) {
                CompletableFuture<Void> change = gateChanges.poll();
                if (change != null) {
                    change.complete(null);
                }
            }
            // Stopped needs no event of its own: the exit that follows carries it.
            decoder.decode(wire).ifPresent(this::deliver);
            if (wire instanceof ProtocolEvent.Ready r) {
                ready.complete(r.port());
            }
        }

        private void deliver(InstanceEvent event) {
            decoder.deliver(listener, event);
        }

        private synchronized void say(String word) {
            try {
                control.write(word);
                control.write('\n');
                control.flush();
            } catch (IOException e) {
                LOG.warn("{} instance {} did not take '{}': {}", service, index, word, e.toString());
            }
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public CompletableFuture<Integer> ready() {
            return ready;
        }

        @Override
        public OptionalInt port() {
            return port > 0 ? OptionalInt.of(port) : OptionalInt.empty();
        }

        @Override
        public CompletableFuture<Void> suspend() {
            return changeGate("suspend");
        }

        @Override
        public CompletableFuture<Void> resume() {
            return changeGate("resume");
        }

        private synchronized CompletableFuture<Void> changeGate(String word) {
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            if (!process.isAlive()) {
                confirmed.completeExceptionally(new IOException("not running"));
                return confirmed;
            }
            gateChanges.add(confirmed);
            say(word);
            return confirmed;
        }

        @Override
        public CompletableFuture<Void> stop() {
            stopRequested = true;
            say("stop");
            return exited;
        }

        @Override
        public void kill() {
            stopRequested = true;
            process.destroyForcibly();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }
    }
}
