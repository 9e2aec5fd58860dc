package org.sluice.runtime.kubernetes;

import java.util.List;

import org.sluice.lifecycle.ServiceDefinition;

/**
 * The memory a role instance's container is given: its heap (the definition's memory budget)
 * plus everything a JVM holds outside the heap, each part capped by an option the instance's JVM
 * is started with, so that the sum is a bound and not a guess (decision 0023). A container over
 * its limit is killed by the kernel without a word; a JVM that reaches one of these caps throws
 * an OutOfMemoryError that names the area instead.
 *
 * <p>The figures, and where each comes from:
 * <ul>
 * <li>heap: {@code memoryMb}, as {@code -Xmx}, the same as a child JVM on the host gets;</li>
 * <li>metaspace (class metadata, compressed class space included): capped at
 *     {@value #METASPACE_MB} MiB by {@code -XX:MaxMetaspaceSize};</li>
 * <li>code cache (compiled code): capped at {@value #CODE_CACHE_MB} MiB by
 *     {@code -XX:ReservedCodeCacheSize}; the JDK's own default of 240 MiB is sized for far bigger
 *     programs;</li>
 * <li>direct buffers (NIO, socket I/O): capped at {@value #DIRECT_MB} MiB by
 *     {@code -XX:MaxDirectMemorySize}, whose default would be as big as the heap;</li>
 * <li>thread stacks: {@code -Xss}{@value #STACK_KB}k for every thread an instance can have: the
 *     message threads its endpoint keeps (200 per core + 50, see {@code MessageEndpoint}), one GC
 *     and one compiler thread per core, and {@value #FIXED_THREADS} of the JVM's and Sluice's
 *     own (VM, reference handler, finalizer, signal, service, sampler, poller, control...);</li>
 * <li>GC structures: G1's mark bitmap (one bit per 8-byte word, heap/64), card table and block
 *     offset table (heap/512 each), plus a fixed part and a part per core, measured with native
 *     memory tracking ({@code -XX:NativeMemoryTracking=summary}) on JDK 25 for heaps of 64 MiB to
 *     4 GiB: {@value #GC_FIXED_MB} MiB and {@value #GC_PER_CORE_MB} MiB per core; on top of that,
 *     heap/64 for remembered sets, which grow with the old objects that point at young ones and
 *     are an allowance, not a measurement;</li>
 * <li>class data sharing archive, mapped from the JDK: {@value #SHARED_ARCHIVE_MB} MiB (measured:
 *     14 MiB);</li>
 * <li>the rest of the VM (symbols, compiler arenas while a method compiles, internal tables,
 *     the C library's allocation arenas): {@value #VM_OTHER_MB} MiB; measured idle at under 2 MiB,
 *     the rest is room for the compiler's arenas, which take tens of MiB while the JIT works.</li>
 * </ul>
 *
 * @param heapMb      the definition's memory budget, the JVM's maximum heap
 * @param cores       the definition's cores per instance
 */
public record PodMemory(int heapMb, int cores) {
    static final int METASPACE_MB = 128;
    static final int CODE_CACHE_MB = 64;
    static final int DIRECT_MB = 64;
    static final int STACK_KB = 512;
    static final int FIXED_THREADS = 24;
    static final int MESSAGE_THREADS_PER_CORE = 200;
    static final int MESSAGE_THREADS_BASE = 50;
    static final int GC_FIXED_MB = 35;
    static final int GC_PER_CORE_MB = 2;
    static final int SHARED_ARCHIVE_MB = 16;
    static final int VM_OTHER_MB = 32;

    public PodMemory {
        if (heapMb < 1 || cores < 1) {
            throw new IllegalArgumentException("Heap and cores must be positive, were " + heapMb + " MiB and " + cores);
        }
    }

    /** For one instance of {@code definition}. */
    public static PodMemory of(ServiceDefinition definition) {
        return new PodMemory(definition.memoryMb(), definition.coresPerInstance());
    }

    /** How many threads an instance can have. */
    int threads() {
        return MESSAGE_THREADS_PER_CORE * cores + MESSAGE_THREADS_BASE + 2 * cores + FIXED_THREADS;
    }

    int stacksMb() {
        return ceilDiv(threads() * STACK_KB, 1024);
    }

    int gcMb() {
        // Mark bitmap and remembered sets heap/64 each, card table and block offset table heap/512 each.
        return GC_FIXED_MB + GC_PER_CORE_MB * cores + ceilDiv(heapMb * 2, 64) + ceilDiv(heapMb * 2, 512);
    }

    /** The container's {@code resources.limits.memory}, in MiB. */
    public int limitMb() {
        return heapMb + METASPACE_MB + CODE_CACHE_MB + DIRECT_MB + stacksMb() + gcMb() + SHARED_ARCHIVE_MB + VM_OTHER_MB;
    }

    /** The options that hold the instance's JVM to the figures {@link #limitMb()} adds up. */
    public List<String> jvmOptions() {
        return List.of("-Xmx" + heapMb + "m",
                "-XX:MaxMetaspaceSize=" + METASPACE_MB + "m",
                "-XX:ReservedCodeCacheSize=" + CODE_CACHE_MB + "m",
                "-XX:MaxDirectMemorySize=" + DIRECT_MB + "m",
                "-Xss" + STACK_KB + "k",
                "-XX:ActiveProcessorCount=" + cores);
    }

    private static int ceilDiv(int dividend, int divisor) {
        return Math.ceilDiv(dividend, divisor);
    }
}
