package org.sluice.console.viewmodel;

import java.util.List;

import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleEpisode;

/**
 * The throttle charts' data of samples the host kept, as an incident bundle holds them: every
 * sample (no coarser history, whatever the span), the episodes as the throttled periods, and the
 * concurrency thresholds of the cores of the newest sample.
 */
public final class RecordedChartData implements ThrottleChartData {
    private final SampleHistory samples;
    private final long[] periodStarts;
    private final long[] periodEnds;
    private final int cores;

    /**
     * @param samples  oldest first; one older than the one before it is left out, as a live history does
     * @param episodes the instance's throttle episodes, oldest first
     */
    public RecordedChartData(List<Sample> samples, List<ThrottleEpisode> episodes) {
        this.samples = new SampleHistory(Math.max(1, samples.size()));
        for (Sample s : samples) {
            this.samples.add(s.timeMs(), s.memoryPercent(), s.concurrentMessages());
        }
        cores = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).cores());
        periodStarts = episodes.stream().mapToLong(ThrottleEpisode::startMs).toArray();
        periodEnds = episodes.stream().mapToLong(e -> e.endMs().orElse(InstanceTileViewModel.OPEN)).toArray();
    }

    @Override
    public int cores() {
        return cores;
    }

    /** Every sample, whatever the window. */
    @Override
    public SampleHistory samplesFor(long windowMillis) {
        return samples;
    }

    @Override
    public int throttledPeriodCount() {
        return periodStarts.length;
    }

    @Override
    public long throttledPeriodStartMs(int position) {
        return periodStarts[position];
    }

    @Override
    public long throttledPeriodEndMs(int position) {
        return periodEnds[position];
    }
}
