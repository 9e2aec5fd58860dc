package org.sluice.runtime.instance;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Live heap as a share of the maximum heap (-Xmx), the instance's budget.
 *
 * <p>Live heap is, per heap pool, its occupancy right after the last collection that covered it
 * ({@link MemoryPoolMXBean#getCollectionUsage()}; a pool without one counts at its current
 * usage), plus the bytes of messages in process, which are live but may have been allocated since
 * that collection. Garbage waiting in the young generation therefore never counts.
 * docs/decisions/0005-instance-memory-measure.md explains the choice.
 */
public final class HeapMemoryGauge implements MemoryGauge {
    private final List<MemoryPoolMXBean> heapPools;
    private final long budgetBytes;

    public HeapMemoryGauge() {
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        this.budgetBytes = Runtime.getRuntime().maxMemory();
    }

    @Override
    public double percentInUse(long inProcessBytes) {
        long live = inProcessBytes;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage afterCollection = pool.getCollectionUsage();
            MemoryUsage usage = afterCollection != null ? afterCollection : pool.getUsage();
            if (usage != null) {
                live += usage.getUsed();
            }
        }
        double percent = 100.0 * live / budgetBytes;
        return Math.max(0, Math.min(100, percent));
    }

    /**
     * Runs a full collection, so that every pool's after-collection figure, the old generation's
     * among them, is current. docs/decisions/0005-instance-memory-measure.md says when.
     */
    @Override
    public void refresh() {
        System.gc();
    }

    /** The budget: the maximum heap. */
    public long budgetBytes() {
        return budgetBytes;
    }
}
