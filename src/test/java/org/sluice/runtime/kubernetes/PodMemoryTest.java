package org.sluice.runtime.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PodMemoryTest {

    @Test
    void oneCoreAndTheDefaultBudgetAddsEveryAreaOutsideTheHeap() {
        PodMemory memory = new PodMemory(256, 1);
        // 276 threads of 512 KiB = 138 MiB; GC 35 + 2 + 8 + 1 = 46 MiB.
        assertEquals(276, memory.threads());
        assertEquals(138, memory.stacksMb());
        assertEquals(46, memory.gcMb());
        assertEquals(256 + 128 + 64 + 64 + 138 + 46 + 16 + 32, memory.limitMb());
    }

    @Test
    void coresAddThreadsAndGcWorkersAndHeapAddsGcStructures() {
        PodMemory memory = new PodMemory(4096, 4);
        assertEquals(200 * 4 + 50 + 8 + 24, memory.threads());
        assertEquals(35 + 8 + 128 + 16, memory.gcMb());
        assertEquals(4096 + 128 + 64 + 64 + 441 + 187 + 16 + 32, memory.limitMb());
    }

    @Test
    void theLimitGrowsWithTheHeapByTheHeapAndItsGcShareOnly() {
        int small = new PodMemory(1024, 2).limitMb();
        int big = new PodMemory(2048, 2).limitMb();
        assertEquals(1024 + 32 + 4, big - small);
    }

    @Test
    void theJvmIsHeldToEveryCapTheLimitCounts() {
        assertEquals(java.util.List.of("-Xmx300m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m",
                "-XX:MaxDirectMemorySize=64m", "-Xss512k", "-XX:ActiveProcessorCount=2"), new PodMemory(300, 2).jvmOptions());
    }

    @Test
    void noMultiplierOfTheHeap() {
        // A 64 MiB heap still needs the JVM's fixed areas; a multiplier would starve it.
        assertTrue(new PodMemory(64, 1).limitMb() > 64 * 5);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new PodMemory(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PodMemory(256, 0));
    }
}
