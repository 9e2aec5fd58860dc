package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** How long a failed sign-in waits for its answer, by source. */
class FailedAttemptsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailedAttempts attempts = new FailedAttempts(Duration.ofMillis(250), Duration.ofSeconds(5), now::get);

    @Test
    void theWaitDoublesWithEachFailureInARowUpToTheCeilingAndASuccessClearsIt() {
        assertThat(attempts.failed("10.0.0.1")).isZero();
        assertThat(attempts.failed("10.0.0.1")).isEqualTo(250);
        assertThat(attempts.failed("10.0.0.1")).isEqualTo(500);
        for (int i = 0; i < 10; i++) {
            attempts.failed("10.0.0.1");
        }
        assertThat(attempts.failed("10.0.0.1")).isEqualTo(5_000);
        assertThat(attempts.failed("10.0.0.2")).as("another address is not slowed").isZero();

        attempts.succeeded("10.0.0.1");
        assertThat(attempts.failed("10.0.0.1")).isZero();
    }

    @Test
    void aQuarterOfAnHourWithoutFailuresForgetsThem() {
        attempts.failed("10.0.0.1");
        attempts.failed("10.0.0.1");
        now.addAndGet(Duration.ofMinutes(16).toMillis());
        assertThat(attempts.failed("10.0.0.1")).isZero();
    }

    @Test
    void addressesOfOneIpv6NetworkCountAsOneSource() {
        assertThat(FailedAttempts.sourceOf("2001:db8:1:2:0:0:0:1")).isEqualTo("2001:0db8:0001:0002::/64");
        assertThat(FailedAttempts.sourceOf("2001:db8:1:2::99")).isEqualTo(FailedAttempts.sourceOf("2001:db8:1:2:ffff:0:0:7"));
        assertThat(FailedAttempts.sourceOf("127.0.0.1")).isEqualTo("127.0.0.1");

        attempts.failed("2001:db8:1:2:0:0:0:1");
        assertThat(attempts.failed("2001:db8:1:2:0:0:0:2")).as("a second address of the same /64").isEqualTo(250);
        assertThat(attempts.failed("2001:db8:1:3:0:0:0:1")).as("another /64").isZero();
    }

    @Test
    void theTableStaysBoundedWhenManySourcesFailAtOnce() {
        for (int i = 0; i < FailedAttempts.MAX_ADDRESSES + 50; i++) {
            now.incrementAndGet();
            attempts.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        // The newest guesser is still counted; the one quiet longest was forgotten.
        now.incrementAndGet();
        int last = FailedAttempts.MAX_ADDRESSES + 49;
        assertThat(attempts.failed("10." + (last >> 16 & 255) + "." + (last >> 8 & 255) + "." + (last & 255))).isEqualTo(250);
        assertThat(attempts.failed("10.0.0.0")).isZero();
        assertThat(attempts.size()).isLessThanOrEqualTo(FailedAttempts.MAX_ADDRESSES);
    }
}
