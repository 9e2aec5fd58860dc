package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

class EventFeedTest {
    private final EventFeed feed = new EventFeed();

    private void publish(ProtocolEvent event) {
        feed.publish(event, ProtocolEvents.toLine(event));
    }

    private static List<String> drain(EventFeed.Subscriber subscriber) throws Exception {
        List<String> lines = new ArrayList<>();
        try {
            while (true) {
                subscriber.next(0).ifPresentOrElse(lines::add, () -> {
                    throw new IllegalStateException("no end after " + lines);
                });
            }
        } catch (EventFeed.EndOfFeed end) {
            assertThat(end.clean()).isTrue();
            return lines;
        }
    }

    @Test
    void aLateSubscriberGetsTheStateSoFarButNoOldEpisodeOrProblem() throws Exception {
        ProtocolEvent.Ready ready = new ProtocolEvent.Ready(8080, 1);
        ProtocolEvent.Gate closed = new ProtocolEvent.Gate(false);
        ProtocolEvent.Throttle throttled = new ProtocolEvent.Throttle(5, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY));
        ProtocolEvent.Sampled sample = new ProtocolEvent.Sampled(6, 75, 0, 1, 0, 0, 0, 0, 0, 0, ThrottleState.THROTTLED,
                Set.of(Cause.MEMORY));
        publish(ready);
        publish(new ProtocolEvent.Gate(true));
        publish(new ProtocolEvent.Episode(1, 2, Set.of(Cause.CONCURRENCY)));
        publish(new ProtocolEvent.Problem("a destination failed"));
        publish(closed);
        publish(throttled);
        publish(sample);
        publish(new ProtocolEvent.Stopped());
        feed.end();

        assertThat(drain(feed.subscribe())).containsExactly(ProtocolEvents.toLine(ready), ProtocolEvents.toLine(closed),
                ProtocolEvents.toLine(throttled), ProtocolEvents.toLine(sample), "{\"event\":\"stopped\"}");
    }

    @Test
    void aProblemBeforeReadyIsKeptForALateSubscriber() throws Exception {
        publish(new ProtocolEvent.Problem("the definition is not valid"));
        feed.end();

        assertThat(drain(feed.subscribe())).containsExactly("{\"event\":\"problem\",\"message\":\"the definition is not valid\"}");
    }

    @Test
    void aSubscriberThatFallsTooFarBehindIsDroppedNotKeptGrowing() throws Exception {
        EventFeed.Subscriber slow = feed.subscribe();
        EventFeed.Subscriber keeping = feed.subscribe();
        for (int i = 0; i <= EventFeed.BACKLOG; i++) {
            publish(new ProtocolEvent.Problem("event " + i));
            if (i % 100 == 0) {
                while (keeping.next(0).isPresent()) {
                    // keeps up
                }
            }
        }

        assertThatThrownBy(() -> slow.next(0)).isInstanceOfSatisfying(EventFeed.EndOfFeed.class,
                end -> assertThat(end.clean()).isFalse());
        assertThat(keeping.next(0)).isPresent();
    }
}
