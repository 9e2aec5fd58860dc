package org.sluice.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * Role instances without processes: each becomes ready at once unless a test says otherwise, and
 * records what the host asked of it.
 */
public final class FakeLauncher implements InstanceLauncher {

    /** How the next launch of an instance behaves. */
    public enum Behaviour { NORMAL, FAILS_TO_START, NEVER_STOPS, CANNOT_LAUNCH }

    final List<Fake> launched = new CopyOnWriteArrayList<>();
    private final Map<String, Behaviour> next = new ConcurrentHashMap<>();
    private final AtomicInteger ports = new AtomicInteger(40000);
    /** When set, every instance claims this port (a stub server a test runs). */
    volatile int fixedPort;
    /** When set, every instance says it takes messages at this address, as one that runs elsewhere does. */
    volatile java.net.InetSocketAddress fixedAddress;

    private volatile org.sluice.lifecycle.EngineStatus engine = org.sluice.lifecycle.EngineStatus.LOCAL;
    private final List<java.util.function.Consumer<org.sluice.lifecycle.EngineStatus>> engineWatchers = new CopyOnWriteArrayList<>();

    /** The engine is so from now on, and its watchers hear it, as a Kubernetes launcher's would. */
    public void engine(org.sluice.lifecycle.EngineStatus status) {
        engine = status;
        engineWatchers.forEach(w -> w.accept(status));
    }

    @Override
    public org.sluice.lifecycle.EngineStatus engineStatus() {
        return engine;
    }

    @Override
    public void watchEngine(java.util.function.Consumer<org.sluice.lifecycle.EngineStatus> watcher) {
        engineWatchers.add(watcher);
    }

    /** The next launch of {@code service}'s instance {@code index} behaves so, once. */
    public void nextLaunch(String service, int index, Behaviour behaviour) {
        next.put(service + "#" + index, behaviour);
    }

    private final Map<String, Behaviour> always = new ConcurrentHashMap<>();

    /** Every launch of {@code service}'s instance {@code index} behaves so until {@link #recovers} is called. */
    public void keepsLaunching(String service, int index, Behaviour behaviour) {
        always.put(service + "#" + index, behaviour);
    }

    /** While set, a launch says it has begun (counts this down) and then waits for {@link #releaseLaunches}. */
    private volatile java.util.concurrent.CountDownLatch launching;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    /** From now on a launch waits until {@link #releaseLaunches}; the answer is counted down when one has begun. */
    public java.util.concurrent.CountDownLatch holdLaunches() {
        launching = new java.util.concurrent.CountDownLatch(1);
        return launching;
    }

    /** Lets every held launch, and every later one, go on. */
    public void releaseLaunches() {
        released.countDown();
    }

    /** Launches of {@code service}'s instance {@code index} behave normally again. */
    public void recovers(String service, int index) {
        always.remove(service + "#" + index);
    }

    /** Where the fakes' logs are kept, when a test writes one. */
    private volatile java.nio.file.Path logs;

    /** Appends {@code text} to the log of {@code service}'s instance {@code index}, as its process would. */
    public synchronized void writeLog(String service, int index, String text) throws IOException {
        if (logs == null) {
            logs = java.nio.file.Files.createTempDirectory("sluice-fake-logs");
        }
        java.nio.file.Path work = logs.resolve(service).resolve(Integer.toString(index));
        java.nio.file.Files.createDirectories(work);
        java.nio.file.Files.writeString(work.resolve(InstanceLogFiles.CURRENT), text, java.nio.charset.StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** A new run of the instance, as a launch would make: its log so far becomes the previous one. */
    public synchronized void newRun(String service, int index) throws IOException {
        writeLog(service, index, "");
        InstanceLogFiles.startNewRun(logs.resolve(service).resolve(Integer.toString(index)));
    }

    @Override
    public InstanceLog log(String service, int index, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        java.nio.file.Path folder = logs;
        if (folder == null) {
            return InstanceLog.none(run, false, false);
        }
        return InstanceLogFiles.read(folder.resolve(service).resolve(Integer.toString(index)), run, offset, maxBytes);
    }

    /** How many times an instance of {@code service} has been launched. */
    public int launchedCount(String service) {
        return (int) launched.stream().filter(f -> f.definition.name().equals(service)).count();
    }

    public List<Fake> alive(String service) {
        return launched.stream().filter(f -> f.definition.name().equals(service) && f.isAlive()).toList();
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener)
            throws IOException {
        Behaviour behaviour = next.getOrDefault(definition.name() + "#" + index,
                always.getOrDefault(definition.name() + "#" + index, Behaviour.NORMAL));
        next.remove(definition.name() + "#" + index);
        if (behaviour == Behaviour.CANNOT_LAUNCH) {
            throw new IOException("no java here");
        }
        java.util.concurrent.CountDownLatch held = launching;
        if (held != null) {
            held.countDown();
            try {
                if (!released.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IOException("the test never let the launch go on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            }
        }
        java.net.InetSocketAddress at = fixedAddress;
        Fake fake = new Fake(definition, index, suspended, listener, behaviour,
                at != null ? at.getPort() : fixedPort > 0 ? fixedPort : ports.incrementAndGet(), at);
        launched.add(fake);
        fake.begin();
        return fake;
    }

    public static final class Fake implements RoleInstance {
        final ServiceDefinition definition;
        final int index;
        volatile boolean suspended;
        final InstanceListener listener;
        final Behaviour behaviour;
        final int port;
        final java.net.InetSocketAddress address;
        final CompletableFuture<Integer> ready = new CompletableFuture<>();
        final CompletableFuture<Void> exited = new CompletableFuture<>();
        final List<String> commands = new CopyOnWriteArrayList<>();
        private volatile boolean holdStop;
        private volatile boolean silent;

        Fake(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener, Behaviour behaviour, int port,
             java.net.InetSocketAddress address) {
            this.definition = definition;
            this.index = index;
            this.suspended = suspended;
            this.listener = listener;
            this.behaviour = behaviour;
            this.port = port;
            this.address = address;
        }

        void begin() {
            if (behaviour == Behaviour.FAILS_TO_START) {
                exit(1, false);
                ready.completeExceptionally(new IOException("exited with status 1 before it was ready"));
                return;
            }
            listener.onEvent(address != null ? new InstanceEvent.Ready(port, 1000 + index, address)
                    : new InstanceEvent.Ready(port, 1000 + index));
            ready.complete(port);
        }

        /** From now on a stop waits until the instance exits some other way ({@link #crash}). */
        public void holdStop() {
            holdStop = true;
        }

        /** The instance reports {@code event}, as its process would. */
        public void emit(InstanceEvent event) {
            listener.onEvent(event);
        }

        /** The process dies on its own. */
        public void crash(int status) {
            exit(status, false);
        }

        private void exit(int status, boolean requested) {
            if (!exited.isDone()) {
                listener.onEvent(new InstanceEvent.Exited(status, requested));
                exited.complete(null);
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
            return ready.isDone() && !ready.isCompletedExceptionally() ? OptionalInt.of(port) : OptionalInt.empty();
        }

        @Override
        public CompletableFuture<Void> suspend() {
            commands.add("suspend");
            suspended = true;
            return confirmation();
        }

        @Override
        public CompletableFuture<Void> resume() {
            commands.add("resume");
            suspended = false;
            return confirmation();
        }

        /** From now on the instance acts on suspend and resume but never says so. */
        public void neverConfirm() {
            silent = true;
        }

        private CompletableFuture<Void> confirmation() {
            return silent ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stop() {
            commands.add("stop");
            if (behaviour != Behaviour.NEVER_STOPS && !holdStop) {
                exit(0, true);
            }
            return exited;
        }

        @Override
        public void kill() {
            commands.add("kill");
            exit(137, false);
        }

        @Override
        public boolean isAlive() {
            return !exited.isDone();
        }
    }
}
