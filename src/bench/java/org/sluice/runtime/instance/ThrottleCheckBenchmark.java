package org.sluice.runtime.instance;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.sluice.lifecycle.ServiceDefinition.Validation;

/**
 * Messages per second through one role instance's work, in process, with the throttle check and
 * without it. "With" is what {@link MessageHandler} does around the pipeline: count the message,
 * ask the monitor for an admission, hold the body's bytes, finish the admission; the monitor is
 * also sampled every 200 ms, as the instance's sampler does. "Without" runs the same pipeline
 * alone. HTTP is left out on purpose: it costs the same either way and would hide the difference.
 *
 * <p>Besides messages per second, each thread counts its messages and the CPU time it used
 * ({@link Cpu}): on a machine where other work takes turns on the same cores, CPU time per
 * message moves far less than messages per second of wall time. {@link ThrottleCheckPairs} runs
 * the two side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
@Threads(2)
public class ThrottleCheckBenchmark {
    @Param({"JSON", "NONE"})
    public String validation;

    private MessagePipeline pipeline;
    private InstanceMonitor monitor;
    private ScheduledExecutorService sampler;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StringBuilder json = new StringBuilder("{\"order\":42,\"lines\":[");
        while (json.length() < 1000) {
            json.append("{\"sku\":\"A-1\",\"qty\":3},");
        }
        json.setLength(json.length() - 1);
        json.append("]}");
        body = json.toString().getBytes(StandardCharsets.UTF_8);
        pipeline = MessagePipeline.create(Validation.valueOf(validation), Optional.empty(), (id, message) -> {
        });
        int cores = Runtime.getRuntime().availableProcessors();
        monitor = new InstanceMonitor(InstantSource.system(), bytes -> 40.0, () -> cores,
                new ProtocolWriter(new PrintWriter(OutputStream.nullOutputStream())));
        sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(monitor::sample, 0, InstanceProcess.SAMPLE_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sampler.shutdownNow();
    }

    /** The benchmark thread's CPU time and messages during one iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private long startNanos;
        /** CPU time of this thread in the iteration, in nanoseconds. */
        public long cpuNanos;
        /** Messages this thread ran in the iteration. */
        public long messages;

        @Setup(Level.Iteration)
        public void start() {
            cpuNanos = 0;
            messages = 0;
            startNanos = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - startNanos;
        }
    }

    @Benchmark
    public String withoutThrottleCheck(Cpu cpu) throws Exception {
        cpu.messages++;
        String id = UUID.randomUUID().toString();
        pipeline.process(id, body);
        return id;
    }

    /** The check alone, with no pipeline: what it adds to each message. */
    @Benchmark
    public long throttleCheckAlone(Cpu cpu) {
        cpu.messages++;
        monitor.received();
        InstanceMonitor.Admission admission = monitor.tryAdmit().orElseThrow();
        admission.holdBytes(body.length);
        admission.finish(true);
        return cpu.messages;
    }

    @Benchmark
    public String withThrottleCheck(Cpu cpu) throws Exception {
        cpu.messages++;
        monitor.received();
        InstanceMonitor.Admission admission = monitor.tryAdmit().orElseThrow();
        boolean delivered = false;
        try {
            admission.holdBytes(body.length);
            String id = UUID.randomUUID().toString();
            pipeline.process(id, body);
            delivered = true;
            return id;
        } finally {
            admission.finish(delivered);
        }
    }
}
