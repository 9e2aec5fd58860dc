package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.FleetEvent;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.InstanceSample;

/**
 * What a client that falls behind the host's events gets: at 300 instances the host sends 1,500
 * samples a second, and a console that stops reading for a moment must not lose its stream for it.
 */
class EventStreamsTest {
    private static final long STALL_MS = 20_000;
    private final AtomicLong clock = new AtomicLong(1_000_000);

    private EventStreams streams(int queue) {
        return new EventStreams(4, 4, queue, STALL_MS, clock::get);
    }

    private static FleetEvent sample(int index, long time) {
        return new FleetEvent.InstanceSampled("orders", index, new InstanceSample(time, 10, 1, 1, 0, 0, 0, 0, 1, 2));
    }

    private static List<String> drain(EventStreams.Stream stream) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (byte[] next = stream.next(0); next != null; next = stream.next(0)) {
            texts.add(new String(next, StandardCharsets.UTF_8));
        }
        return texts;
    }

    private static String line(FleetEvent event) {
        return new String(EventStreams.format(ApiJson.eventName(event), ApiJson.event(event)), StandardCharsets.UTF_8);
    }

    @Test
    void aClientThatFallsBehindGetsEachInstancesNewestSampleInsteadOfLosingItsStream() throws Exception {
        EventStreams streams = streams(8);
        EventStreams.Stream stream = (EventStreams.Stream) streams.open("127.0.0.1", "owner");

        for (long t = 0; t < 1_000; t++) {
            streams.onEvent(sample(0, t));
            streams.onEvent(sample(1, t));
        }

        assertThat(stream.dropped()).as("a queue of 8 took 2,000 samples of two instances").isFalse();
        List<String> got = drain(stream);
        assertThat(got).as("every sample until the queue was half full, then the newest of each instance in place of its last")
                .containsExactly(line(sample(0, 0)), line(sample(1, 0)), line(sample(0, 999)), line(sample(1, 999)));
    }

    @Test
    void noSamplePassesAnEventThatCameBeforeIt() throws Exception {
        EventStreams streams = streams(8);
        EventStreams.Stream stream = (EventStreams.Stream) streams.open("127.0.0.1", "owner");
        FleetEvent state = new FleetEvent.ServiceStateChanged("orders", ServiceState.SUSPENDED, Optional.empty());

        for (long t = 0; t < 3; t++) {
            streams.onEvent(sample(0, t));
        }
        streams.onEvent(sample(0, 3));
        streams.onEvent(state);
        streams.onEvent(sample(0, 4));
        streams.onEvent(sample(0, 5));

        assertThat(drain(stream)).containsExactly(line(sample(0, 0)), line(sample(0, 1)), line(sample(0, 2)),
                line(sample(0, 3)), line(state), line(sample(0, 5)));
    }

    @Test
    void aClientThatKeepsUpGetsEverySample() throws Exception {
        EventStreams streams = streams(8);
        EventStreams.Stream stream = (EventStreams.Stream) streams.open("127.0.0.1", "owner");
        List<String> got = new ArrayList<>();

        for (long t = 0; t < 100; t++) {
            streams.onEvent(sample(0, t));
            streams.onEvent(sample(1, t));
            got.addAll(drain(stream));
        }

        assertThat(got).hasSize(200);
    }

    @Test
    void aClientThatTakesNothingWhileEventsWaitIsDroppedAfterTheStallLimit() throws Exception {
        EventStreams streams = streams(8);
        EventStreams.Stream stream = (EventStreams.Stream) streams.open("127.0.0.1", "owner");

        streams.onEvent(sample(0, 0));
        clock.addAndGet(STALL_MS);
        streams.onEvent(sample(0, 1));
        assertThat(stream.dropped()).as("at the limit, not past it").isFalse();

        clock.addAndGet(1);
        streams.onEvent(sample(0, 2));
        assertThat(stream.dropped()).isTrue();
        assertThat(stream.why()).contains("did not keep up");
    }

    @Test
    void anIdleClientIsNotDroppedWhenEventsComeAfterAQuietSpell() throws Exception {
        EventStreams streams = streams(8);
        EventStreams.Stream stream = (EventStreams.Stream) streams.open("127.0.0.1", "owner");

        clock.addAndGet(10 * STALL_MS);
        streams.onEvent(sample(0, 0));

        assertThat(stream.dropped()).as("nothing waited, so nothing was left untaken").isFalse();
    }

    @Test
    void otherEventsThanSamplesStillFillTheQueueOfAClientThatDoesNotRead() throws Exception {
        EventStreams streams = streams(8);
        EventStreams.Stream stream = (EventStreams.Stream) streams.open("127.0.0.1", "owner");

        for (int i = 0; i < 9; i++) {
            streams.onEvent(new FleetEvent.ServiceStateChanged("orders", i % 2 == 0 ? ServiceState.SUSPENDED : ServiceState.ACTIVE,
                    Optional.empty()));
        }

        assertThat(stream.dropped()).isTrue();
    }
}
