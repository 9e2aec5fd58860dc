package org.sluice.fleet.traffic;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a load run did. Every message sent ends as exactly one of ok, busy or error, so
 * {@code ok + busy + errors == sent}.
 *
 * @param sent       messages sent (first attempts; retries are counted apart)
 * @param ok         messages answered 2xx, on the first attempt or a retry
 * @param busy       messages whose last answer was 503
 * @param errors     messages answered with another status, or not answered at all
 * @param retries    resubmissions of refused messages
 * @param p50Nanos   median latency of the answered requests; empty when none was answered
 * @param p99Nanos   99th percentile of the same
 * @param firstError the first error seen, as text
 */
public record LoadSummary(long sent, long ok, long busy, long errors, long retries,
                   OptionalLong p50Nanos, OptionalLong p99Nanos, Optional<String> firstError) {
}
