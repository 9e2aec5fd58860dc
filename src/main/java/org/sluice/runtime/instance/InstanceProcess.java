package org.sluice.runtime.instance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.xml.transform.TransformerConfigurationException;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.definition.DefinitionJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One role instance of an integration service, run as its own process by the host
 * ({@code sluice instance --definition FILE --index N --work DIR}). It receives messages on
 * {@code POST /messages} at an ephemeral port on 127.0.0.1, pulls them from its source if it has
 * one, samples itself and throttles, and talks to the host in the protocol of docs/runtime.md:
 * events on standard output, control words on standard input. A networked instance
 * ({@link Network}) takes messages and its host's words on one address instead, the words and its
 * event stream under {@code /protocol/} and only with the service's token.
 */
public final class InstanceProcess {
    /** Exit status when the instance could not start; it then printed a problem and no ready. */
    public static final int START_FAILED = 1;
    /** How often the instance samples itself. */
    public static final long SAMPLE_PERIOD_MS = 200;
    /** How often a pull source is polled. */
    public static final long POLL_PERIOD_MS = 200;
    /** How long a stop waits for the messages in process. */
    public static final long STOP_WAIT_MS = 10_000;

    /** The environment variable a networked instance reads the service's token from. */
    public static final String TOKEN_VARIABLE = "SLUICE_INSTANCE_TOKEN";
    /** How long a networked instance that could not start waits for its host to read why. */
    public static final Duration START_PROBLEM_LINGER = Duration.ofSeconds(30);
    /** How long a stopped networked instance waits for its answer to stop and the ends of its streams to go out. */
    private static final int STOP_ANSWER_SECONDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceProcess.class);

    /**
     * How an instance runs besides its definition.
     *
     * @param suspended start refusing messages and without pulling, until resumed
     * @param network   empty to speak the protocol on standard input and output; else where to serve it
     * @param memory    the memory reading; empty for the heap's (tests give a reading of their own)
     */
    public record Options(boolean suspended, Optional<Network> network, Optional<MemoryGauge> memory) {
        public Options {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(memory, "memory");
        }

        /** The protocol on standard input and output, and the heap as the memory reading. */
        public static Options stdio(boolean suspended) {
            return new Options(suspended, Optional.empty(), Optional.empty());
        }

        public Options networked(Network where) {
            return new Options(suspended, Optional.of(where), memory);
        }

        public Options withMemory(MemoryGauge gauge) {
            return new Options(suspended, network, Optional.of(gauge));
        }
    }

    /**
     * Where a networked instance serves its protocol and messages.
     *
     * @param bind   the address to listen on
     * @param port   the port, 0 for any free one
     * @param token  the service's token, which every protocol request must carry; blank refuses to start
     * @param linger how long an instance that could not start keeps its port open for its host to read why
     * @param bound  told where the instance listens, once it does
     */
    public record Network(InetAddress bind, int port, String token, Duration linger, Consumer<InetSocketAddress> bound) {
        public Network {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(linger, "linger");
            Objects.requireNonNull(bound, "bound");
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Network[" + bind.getHostAddress() + ":" + port + "]";
        }
    }

    private final int index;
    private final ProtocolWriter out;
    private final InstanceGate gate = new InstanceGate();
    private final InstanceMonitor monitor;
    private final MessagePipeline pipeline;
    private final Optional<PullSource> source;
    private final InstantSource clock;

    private MessageEndpoint endpoint;
    /** Whether the endpoint is the caller's to close (a networked instance's, which outlives its stop). */
    private boolean endpointKept;
    private ScheduledExecutorService sampler;
    private ScheduledExecutorService poller;

    InstanceProcess(int index, ProtocolWriter out, InstanceMonitor monitor, MessagePipeline pipeline,
                 Optional<PullSource> source, InstantSource clock) {
        this.index = index;
        this.out = out;
        this.monitor = monitor;
        this.pipeline = pipeline;
        this.source = source;
        this.clock = clock;
    }

    /**
     * Runs an instance until the host says {@code stop} or closes {@code control}.
     *
     * @param definitionFile one service definition as JSON ({@link DefinitionJson})
     * @param index          which of the service's instances this is, from 0
     * @param workDir        the instance's own folder, created if missing
     * @param control        the host's control words (standard input)
     * @param stdout         where events go (standard output)
     * @param suspended      start suspended (a restored service), taking no message until {@code resume}
     * @return 0 after a clean stop, {@link #START_FAILED} when the instance could not start
     */
    public static int run(Path definitionFile, int index, Path workDir, InputStream control, PrintWriter stdout,
                          boolean suspended) {
        return run(definitionFile, index, workDir, control, stdout, Options.stdio(suspended));
    }

    /**
     * Runs an instance as {@code options} say: over standard input and output as
     * {@link #run(Path, int, Path, InputStream, PrintWriter, boolean)} does, or, networked, until the
     * host posts {@code stop} (standard input is not read then, and standard output carries only a
     * problem that keeps the instance from serving at all).
     */
    public static int run(Path definitionFile, int index, Path workDir, InputStream control, PrintWriter stdout,
                          Options options) {
        if (options.network().isPresent()) {
            return runNetworked(definitionFile, index, workDir, stdout, options, options.network().get());
        }
        ProtocolWriter out = new ProtocolWriter(stdout);
        InstanceProcess instance;
        try {
            instance = create(definitionFile, index, workDir, out, InstantSource.system(), options.memory());
            if (options.suspended()) {
                instance.gate.suspend();
            }
            instance.start();
        } catch (StartException e) {
            LOG.error("cannot start instance {}: {}", index, e.getMessage());
            out.emit(new ProtocolEvent.Problem(e.getMessage()));
            return START_FAILED;
        }
        try {
            instance.awaitStopWord(control);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while running; stopping");
        }
        instance.stop();
        return 0;
    }

    /** Why an instance could not start, in words for the operator. */
    static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static int runNetworked(Path definitionFile, int index, Path workDir, PrintWriter stdout, Options options,
                                    Network network) {
        if (network.token() == null || network.token().isBlank()) {
            String reason = "an instance reached over the network needs its service's token: set " + TOKEN_VARIABLE
                    + " in its environment (from the service's secret)";
            LOG.error("cannot start instance {}: {}", index, reason);
            new ProtocolWriter(stdout).emit(new ProtocolEvent.Problem(reason));
            return START_FAILED;
        }
        EventFeed feed = new EventFeed();
        ProtocolWriter out = new ProtocolWriter(feed);
        MessageEndpoint endpoint;
        InetSocketAddress address = new InetSocketAddress(network.bind(), network.port());
        try {
            endpoint = MessageEndpoint.open(address, Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            String reason = "cannot open port " + network.port() + " on " + network.bind().getHostAddress() + ": " + e
                    + "; choose another with --port, or 0 for any free one";
            LOG.error("cannot start instance {}: {}", index, reason);
            new ProtocolWriter(stdout).emit(new ProtocolEvent.Problem(reason));
            return START_FAILED;
        }
        ProtocolHandler protocol = new ProtocolHandler(network.token(), feed);
        endpoint.serveProtocol(protocol);
        LOG.info("instance {} takes its host's words and messages on {}", index, endpoint.address());
        network.bound().accept(endpoint.address());

        InstanceProcess instance;
        try {
            instance = create(definitionFile, index, workDir, out, InstantSource.system(), options.memory());
            instance.endpoint = endpoint;
            instance.endpointKept = true;
            if (options.suspended()) {
                instance.gate.suspend();
            }
            instance.start();
        } catch (StartException e) {
            LOG.error("cannot start instance {}: {}", index, e.getMessage());
            out.emit(new ProtocolEvent.Problem(e.getMessage()));
            feed.end();
            lingerForHost(protocol, network.linger());
            endpoint.close(1);
            return START_FAILED;
        }
        // A follower learns the gate from the start, not only once it changes.
        out.emit(new ProtocolEvent.Gate(!options.suspended()));
        NetworkCommands commands = instance.new NetworkCommands();
        protocol.ready(commands);
        // A pod is ended with SIGTERM, not with the host's stop: the signal stops it the same way,
        // letting the messages in process finish, before the JVM goes.
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = Thread.ofPlatform().name("sluice-instance-signal").unstarted(() -> {
            if (commands.stopAsked.getCount() > 0) {
                LOG.info("instance {} told to end by a signal; stopping as the host's stop does", index);
                commands.stopAsked.countDown();
            }
            try {
                if (!finished.await(STOP_WAIT_MS + STOP_ANSWER_SECONDS * 1000L + 2_000, TimeUnit.MILLISECONDS)) {
                    LOG.warn("instance {} did not finish stopping in time; ending anyway", index);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            commands.stopAsked.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while running; stopping");
        }
        instance.stop();
        feed.end();
        commands.stopped.countDown();
        endpoint.close(STOP_ANSWER_SECONDS);
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException e) {
            // The JVM is already ending: the signal is what stopped the instance.
        }
        return 0;
    }

    private static void lingerForHost(ProtocolHandler protocol, Duration linger) {
        try {
            if (!protocol.awaitEndDelivered(linger.toMillis())) {
                LOG.warn("no host read why the instance could not start within {} s", linger.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The host's words to a networked instance, each acted on before it is answered. */
    private final class NetworkCommands implements ProtocolHandler.Commands {
        final CountDownLatch stopAsked = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public synchronized Optional<String> suspend() {
            return setGate(false);
        }

        @Override
        public synchronized Optional<String> resume() {
            return setGate(true);
        }

        /** Opens or closes the gate and says so, unless the instance is stopping. */
        private Optional<String> setGate(boolean open) {
            Optional<String> refused = refusedWhileStopping();
            if (refused.isEmpty()) {
                LOG.info(open ? "resumed" : "suspended");
                if (open) {
                    gate.resume();
                } else {
                    gate.suspend();
                }
                out.emit(new ProtocolEvent.Gate(open));
            }
            return refused;
        }

        @Override
        public Optional<String> stop() throws InterruptedException {
            synchronized (this) {
                stopAsked.countDown();
            }
            if (!stopped.await(STOP_WAIT_MS + 5_000, TimeUnit.MILLISECONDS)) {
                return Optional.of("the instance is still stopping; follow its events for the stopped event");
            }
            return Optional.empty();
        }

        private Optional<String> refusedWhileStopping() {
            return stopAsked.getCount() == 0 ? Optional.of("the instance is stopping") : Optional.empty();
        }
    }

    static InstanceProcess create(Path definitionFile, int index, Path workDir, ProtocolWriter out, InstantSource clock)
            throws StartException {
        return create(definitionFile, index, workDir, out, clock, Optional.empty());
    }

    static InstanceProcess create(Path definitionFile, int index, Path workDir, ProtocolWriter out, InstantSource clock,
                                  Optional<MemoryGauge> memory) throws StartException {
        ServiceDefinition definition;
        try {
            definition = DefinitionJson.readDefinition(definitionFile);
        } catch (NoSuchFileException e) {
            throw new StartException("the definition file " + definitionFile + " does not exist", e);
        } catch (IOException e) {
            throw new StartException("cannot read the definition " + definitionFile + ": " + e.getMessage(), e);
        }
        List<ServiceDefinition.Problem> problems = definition.problems();
        if (!problems.isEmpty()) {
            throw new StartException("the definition is not valid: "
                    + problems.stream().map(Object::toString).collect(Collectors.joining("; ")), null);
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new StartException("cannot create the work folder " + workDir + ": " + why(e)
                    + "; the host's data folder must be the host's user's to write", e);
        }
        Destination destination = destination(definition.destination());
        MessagePipeline pipeline;
        try {
            pipeline = MessagePipeline.create(definition.validate(), definition.transformFile().map(Path::of), destination);
        } catch (TransformerConfigurationException | InvalidPathException e) {
            throw new StartException("the transform " + definition.transform() + " does not compile: "
                    + e.getMessage(), e);
        }
        Optional<PullSource> source = Optional.empty();
        if (definition.sourceSpec().isPresent()) {
            source = Optional.of(source(definition.sourceSpec().get(), definition.name(), index));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        InstanceMonitor monitor = new InstanceMonitor(clock, memory.orElseGet(HeapMemoryGauge::new), () -> cores, out);
        return new InstanceProcess(index, out, monitor, pipeline, source, clock);
    }

    private static Destination destination(String spec) throws StartException {
        if (spec.startsWith("dir:")) {
            Path folder = Path.of(spec.substring("dir:".length()));
            try {
                return new DirectoryDestination(folder);
            } catch (IOException e) {
                throw new StartException("cannot create the destination folder " + folder + ": " + why(e)
                        + "; give the service a destination folder the host's user can write to", e);
            } catch (InvalidPathException e) {
                throw new StartException("the destination folder " + folder + " is not a path here: " + e.getMessage(), e);
            }
        }
        return new HttpDestination(URI.create(spec));
    }

    private static PullSource source(String spec, String service, int index) throws StartException {
        String scheme = spec.substring(0, spec.indexOf(':')).toLowerCase(Locale.ROOT);
        if (!"dir".equals(scheme)) {
            throw new StartException("the source scheme " + scheme + " is not supported", null);
        }
        Path inbox = Path.of(spec.substring("dir:".length()));
        try {
            DirectoryPullSource folder = new DirectoryPullSource(inbox, DirectoryPullSource.claimFolder(inbox, service, index));
            folder.returnLeftovers();
            return folder;
        } catch (IOException e) {
            throw new StartException("cannot use the source folder " + inbox + ": " + why(e)
                    + "; give the service a source folder the host's user can read and write", e);
        } catch (InvalidPathException e) {
            throw new StartException("the source folder " + inbox + " is not a path here: " + e.getMessage(), e);
        }
    }

    /** Why a folder could not be made or used, in words: the JDK's exceptions of files name only the path. */
    static String why(IOException e) {
        return switch (e) {
            case java.nio.file.FileAlreadyExistsException taken -> "a file is there, not a folder";
            case java.nio.file.AccessDeniedException denied -> "permission denied";
            case NoSuchFileException missing -> "no such folder on its path, and none can be made there";
            case java.nio.file.FileSystemException system when system.getReason() != null -> system.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /** Opens the port, prints {@code ready}, and starts sampling and polling. */
    void start() throws StartException {
        int cores = Runtime.getRuntime().availableProcessors();
        MessageHandler messages = new MessageHandler(index, gate, monitor, pipeline, new DeliveryProblems(clock, out));
        if (endpoint != null) {
            endpoint.serve(messages);
        } else {
            try {
                endpoint = MessageEndpoint.open(messages, cores);
            } catch (IOException e) {
                throw new StartException("cannot open a port on 127.0.0.1: " + e, e);
            }
        }
        out.emit(new ProtocolEvent.Ready(endpoint.port(), ProcessHandle.current().pid()));
        LOG.info("instance {} ready on port {}", index, endpoint.port());

        sampler = Executors.newSingleThreadScheduledExecutor(named("instance-sampler"));
        sampler.scheduleAtFixedRate(this::sampleSafely, 0, SAMPLE_PERIOD_MS, TimeUnit.MILLISECONDS);
        source.ifPresent(s -> {
            PullLoop loop = new PullLoop(s, gate, monitor, pipeline, out);
            poller = Executors.newSingleThreadScheduledExecutor(named("instance-poller"));
            poller.scheduleWithFixedDelay(loop::pollOnce, POLL_PERIOD_MS, POLL_PERIOD_MS, TimeUnit.MILLISECONDS);
        });
    }

    private void sampleSafely() {
        try {
            monitor.sample();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log it and sample next time.
            LOG.error("sampling failed", e);
        }
    }

    /** The port messages are posted to; valid after start. */
    int port() {
        return endpoint.port();
    }

    InstanceGate gate() {
        return gate;
    }

    /** Reads control words until {@code stop} or the end of input. */
    void awaitStopWord(InputStream control) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService reader = Executors.newSingleThreadExecutor(named("instance-control"));
        reader.execute(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(control, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String word = line.strip();
                    if (word.equals("stop")) {
                        break;
                    } else if (word.equals("suspend")) {
                        LOG.info("suspended");
                        gate.suspend();
                        out.emit(new ProtocolEvent.Gate(false));
                    } else if (word.equals("resume")) {
                        LOG.info("resumed");
                        gate.resume();
                        out.emit(new ProtocolEvent.Gate(true));
                    } else if (!word.isEmpty()) {
                        LOG.warn("ignoring the unknown control word '{}'", word);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot read control words; stopping: {}", e.toString());
            } finally {
                stop.countDown();
            }
        });
        stop.await();
        reader.shutdownNow();
    }

    /** Stops taking messages, finishes those in process (for up to 10 s), prints {@code stopped}. */
    void stop() {
        gate.stop();
        LOG.info("instance {} stopping", index);
        try {
            if (poller != null) {
                poller.shutdown();
                if (!poller.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    LOG.warn("the pull source did not finish within {} ms", STOP_WAIT_MS);
                }
            }
            if (!monitor.awaitIdle(STOP_WAIT_MS)) {
                LOG.warn("{} messages still in process after {} ms; stopping anyway", monitor.inProcess(), STOP_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while waiting for messages in process");
        }
        if (!endpointKept) {
            endpoint.close();
        }
        sampler.shutdownNow();
        if (poller != null) {
            poller.shutdownNow();
        }
        out.emit(new ProtocolEvent.Stopped());
    }

    private static ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).daemon().factory();
    }
}
