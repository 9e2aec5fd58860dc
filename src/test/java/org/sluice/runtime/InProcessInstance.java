package org.sluice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.runtime.instance.InstanceProcess;

/**
 * A role instance run inside the test's JVM, by the same code a child process runs
 * ({@link InstanceProcess#run}), reached over either transport: its standard input and output as
 * pipes a {@link Process} stands for, or the network protocol on loopback. Cheap enough to run many.
 */
public final class InProcessInstance {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    private final Process process;

    private InProcessInstance(Process process) {
        this.process = process;
    }

    /** Runs instance {@code index} of {@code definition} over standard input and output. */
    public static InProcessInstance stdio(Path definition, int index, Path work, InstanceProcess.Options options)
            throws IOException {
        Pipe stdin = Pipe.open();
        Pipe stdout = Pipe.open();
        InProcessInstance[] self = new InProcessInstance[1];
        self[0] = new InProcessInstance(new PipedProcess(stdin, stdout, () -> self[0].exit));
        run(self[0], () -> {
            try (PrintWriter out = new PrintWriter(Channels.newOutputStream(stdout.sink()), false, StandardCharsets.UTF_8);
                 InputStream in = Channels.newInputStream(stdin.source())) {
                return InstanceProcess.run(definition, index, work, in, out, options);
            }
        });
        return self[0];
    }

    /**
     * Runs instance {@code index} of {@code definition} over the network on loopback with
     * {@code token} (blank: none), waiting at most {@code linger} for a host to read why it could not start.
     */
    public static InProcessInstance network(Path definition, int index, Path work, InstanceProcess.Options options,
                                            String token, Duration linger) {
        return network(definition, index, work, options, token, linger, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** As {@link #network(Path, int, Path, InstanceProcess.Options, String, Duration)}, listening at {@code at}, as a pod does at its own address. */
    public static InProcessInstance network(Path definition, int index, Path work, InstanceProcess.Options options,
                                            String token, Duration linger, InetSocketAddress at) {
        InProcessInstance instance = new InProcessInstance(null);
        InstanceProcess.Options networked = options.networked(new InstanceProcess.Network(at.getAddress(), at.getPort(),
                token, linger, instance.bound::complete));
        run(instance, () -> {
            try (PrintWriter out = new PrintWriter(OutputStream.nullOutputStream())) {
                return InstanceProcess.run(definition, index, work, InputStream.nullInputStream(), out, networked);
            }
        });
        return instance;
    }

    private interface Body {
        int run() throws IOException;
    }

    private static void run(InProcessInstance instance, Body body) {
        Thread.ofPlatform().name("in-process-instance-" + THREADS.incrementAndGet()).daemon().start(() -> {
            try {
                instance.exit.complete(body.run());
            } catch (IOException | RuntimeException e) {
                instance.exit.completeExceptionally(e);
            } finally {
                instance.bound.completeExceptionally(new IllegalStateException("the instance ended before it listened"));
            }
        });
    }

    /** Speaks the protocol with it over its standard input and output, as the host does with a child process. */
    public RoleInstance attach(String service, int index, InstanceListener listener) {
        return ProcessInstanceLauncher.attach(service, index, process, listener);
    }

    /** Where a networked instance listens, once it does. */
    public InetSocketAddress address(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return bound.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Its exit status, once {@link InstanceProcess#run} has returned. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Standard input and output as pipes, for code that speaks to a {@link Process}. */
    private static final class PipedProcess extends Process {
        private final Pipe stdin;
        private final Pipe stdout;
        private final java.util.function.Supplier<CompletableFuture<Integer>> exit;
        private final OutputStream control;

        PipedProcess(Pipe stdin, Pipe stdout, java.util.function.Supplier<CompletableFuture<Integer>> exit) {
            this.stdin = stdin;
            this.stdout = stdout;
            this.exit = exit;
            this.control = Channels.newOutputStream(stdin.sink());
        }

        @Override
        public OutputStream getOutputStream() {
            return control;
        }

        @Override
        public InputStream getInputStream() {
            return Channels.newInputStream(stdout.source());
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the instance failed", e.getCause());
            }
        }

        @Override
        public int exitValue() {
            CompletableFuture<Integer> status = exit.get();
            if (!status.isDone()) {
                throw new IllegalThreadStateException("still running");
            }
            return status.join();
        }

        /** The end of its input, on which an instance stops: an in-process instance cannot be ended harder. */
        @Override
        public void destroy() {
            try {
                control.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Process destroyForcibly() {
            destroy();
            return this;
        }

        @Override
        public boolean isAlive() {
            return !exit.get().isDone();
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }
    }
}
