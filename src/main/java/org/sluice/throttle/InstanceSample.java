package org.sluice.throttle;

/**
 * One measurement of a role instance, as the dashboard charts it.
 *
 * @param timeMs         when it was taken
 * @param memoryPercent  live memory as a percentage of the instance's budget
 * @param concurrent     messages in process
 * @param cores          processors the instance has
 * @param received       messages received so far
 * @param processed      messages delivered so far
 * @param failed         messages that failed so far
 * @param refusedBusy    messages refused as busy so far
 * @param latencyP50Ms   median latency over the recent window
 * @param latencyP99Ms   99th percentile latency over the recent window
 */
public record InstanceSample(long timeMs, double memoryPercent, long concurrent, int cores,
                             long received, long processed, long failed, long refusedBusy,
                             double latencyP50Ms, double latencyP99Ms) {
}
