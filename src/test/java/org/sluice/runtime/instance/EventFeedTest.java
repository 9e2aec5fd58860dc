package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

class EventFeedTest {
    private final EventFeed feed = new EventFeed();

    private void publish(ProtocolEvent event) {
        feed.publish(event);
    }

    /** The events a subscriber of a feed that ended gets, their numbers left out. */
    private static List<ProtocolEvent> drain(EventFeed.Subscriber subscriber) throws Exception {
        List<ProtocolEvent> events = new ArrayList<>();
        try {
            while (true) {
                Optional<String> line = subscriber.next(0);
                if (line.isEmpty()) {
                    throw new IllegalStateException("no end after " + events);
                }
                events.add(ProtocolEvents.parse(line.get()));
            }
        } catch (EventFeed.EndOfFeed end) {
            assertThat(end.clean()).isTrue();
            return events;
        }
    }

    /** The numbered lines waiting for a subscriber of a feed that goes on. */
    private static List<ProtocolEvents.Numbered> waiting(EventFeed.Subscriber subscriber) throws Exception {
        List<ProtocolEvents.Numbered> lines = new ArrayList<>();
        for (Optional<String> line; (line = subscriber.next(0)).isPresent(); ) {
            lines.add(ProtocolEvents.parseNumbered(line.get()));
        }
        return lines;
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

        assertThat(drain(feed.subscribe())).containsExactly(ready, closed, throttled, sample, new ProtocolEvent.Stopped());
    }

    @Test
    void aProblemBeforeReadyIsKeptForALateSubscriber() throws Exception {
        publish(new ProtocolEvent.Problem("the definition is not valid"));
        feed.end();

        assertThat(drain(feed.subscribe())).containsExactly(new ProtocolEvent.Problem("the definition is not valid"));
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

    @Test
    void linesAreNumberedAndAFollowerThatResumesGetsEveryLineAfterItsNumberThenTheLiveOnes() throws Exception {
        ProtocolEvent.Throttle normal = new ProtocolEvent.Throttle(9, ThrottleState.THROTTLED, ThrottleState.NORMAL, Set.of());
        ProtocolEvent.Episode episode = new ProtocolEvent.Episode(5, 9, Set.of(Cause.MEMORY));
        publish(new ProtocolEvent.Ready(8080, 1));
        publish(new ProtocolEvent.Throttle(5, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY)));
        EventFeed.Subscriber first = feed.subscribe();
        assertThat(waiting(first)).extracting(ProtocolEvents.Numbered::number)
                .containsExactly(OptionalLong.of(1), OptionalLong.of(2));
        assertThat(first.before()).isEqualTo(2);
        publish(normal);
        publish(episode);

        EventFeed.Subscriber again = feed.resume(feed.run(), 2);
        assertThat(again.start()).isEqualTo(EventFeed.Start.RESUMED);
        assertThat(waiting(again)).containsExactly(new ProtocolEvents.Numbered(normal, OptionalLong.of(3)),
                new ProtocolEvents.Numbered(episode, OptionalLong.of(4)));
        publish(new ProtocolEvent.Gate(false));
        assertThat(waiting(again)).containsExactly(new ProtocolEvents.Numbered(new ProtocolEvent.Gate(false), OptionalLong.of(5)));
    }

    @Test
    void aFollowerWhoseLinesAreNoLongerKeptGetsTheStateAndIsToldSo() throws Exception {
        EventFeed small = new EventFeed(4, 1 << 20);
        ProtocolEvent.Ready ready = new ProtocolEvent.Ready(8080, 1);
        small.publish(ready);
        for (int i = 1; i <= 5; i++) {
            small.publish(new ProtocolEvent.Problem("event " + i));
        }

        EventFeed.Subscriber late = small.resume(small.run(), 1);
        EventFeed.Subscriber inTime = small.resume(small.run(), 2);

        assertThat(late.start()).isEqualTo(EventFeed.Start.TOO_OLD);
        assertThat(waiting(late)).extracting(ProtocolEvents.Numbered::event).containsExactly(ready);
        assertThat(late.before()).isEqualTo(6);
        assertThat(inTime.start()).isEqualTo(EventFeed.Start.RESUMED);
        assertThat(waiting(inTime)).extracting(ProtocolEvents.Numbered::number).containsExactly(OptionalLong.of(3),
                OptionalLong.of(4), OptionalLong.of(5), OptionalLong.of(6));
    }

    @Test
    void theKeptLinesAreBoundedByTheirTextToo() throws Exception {
        EventFeed small = new EventFeed(100, 200);
        for (int i = 1; i <= 10; i++) {
            small.publish(new ProtocolEvent.Problem("a problem of some forty characters, " + i));
        }

        assertThat(small.resume(small.run(), 5).start()).isEqualTo(EventFeed.Start.TOO_OLD);
        assertThat(waiting(small.resume(small.run(), 8))).hasSize(2);
    }

    @Test
    void oneVeryLongProblemDoesNotEmptyTheKeptLines() throws Exception {
        publish(new ProtocolEvent.Ready(8080, 1));
        for (int i = 1; i <= 20; i++) {
            publish(new ProtocolEvent.Problem("problem " + i));
        }
        // A destination that answers with a whole page, say: longer than every kept line together.
        String page = "x".repeat(EventFeed.RING_CHARS * 2);
        publish(new ProtocolEvent.Problem("the destination failed: " + page));
        publish(new ProtocolEvent.Problem("after the long one"));

        EventFeed.Subscriber back = feed.resume(feed.run(), 5);

        assertThat(back.start()).isEqualTo(EventFeed.Start.RESUMED);
        List<ProtocolEvents.Numbered> lines = waiting(back);
        assertThat(lines).extracting(n -> n.number().getAsLong()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(6, 23).boxed().toList());
        assertThat(lines.get(16).event()).isInstanceOfSatisfying(ProtocolEvent.Problem.class, p -> assertThat(p.message())
                .startsWith("the destination failed: xxx").hasSizeLessThan(ProtocolEvent.Problem.MAX_MESSAGE_CHARS + 100));
    }

    @Test
    void aFollowerOfAnotherRunGetsTheStateAndIsToldSo() throws Exception {
        publish(new ProtocolEvent.Ready(8080, 1));

        EventFeed.Subscriber other = feed.resume("an-earlier-run", 1);

        assertThat(other.start()).isEqualTo(EventFeed.Start.OTHER_RUN);
        assertThat(waiting(other)).extracting(ProtocolEvents.Numbered::event).containsExactly(new ProtocolEvent.Ready(8080, 1));
    }

    @Test
    void aFollowerThatResumesAfterTheEndGetsTheLinesItMissedAndTheEnd() throws Exception {
        publish(new ProtocolEvent.Ready(8080, 1));
        publish(new ProtocolEvent.Stopped());
        feed.end();

        assertThat(drain(feed.resume(feed.run(), 1))).containsExactly(new ProtocolEvent.Stopped());
    }
}
