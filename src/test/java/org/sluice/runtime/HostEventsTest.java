package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HostEventsTest {
    private final HostEvents events = new HostEvents(Executors.newSingleThreadExecutor());

    /** Remembers the names of the services it hears about. */
    private static final class Names extends HostTest.RecordingListener {
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void serviceRemoved(String name) {
            heard.add(name);
        }
    }

    @Test
    void everyListenerHearsEveryEventInOrderEvenWhenAnotherThrows() {
        Names first = new Names();
        Names last = new Names();
        events.add(first);
        events.add(new HostTest.RecordingListener() {
            @Override
            public void serviceRemoved(String name) {
                throw new IllegalStateException("a listener failing on " + name);
            }
        });
        events.add(last);

        events.publish(l -> l.serviceRemoved("a"));
        events.publish(l -> l.serviceRemoved("b"));
        events.publish(l -> l.serviceRemoved("c"));
        events.close();

        assertThat(first.heard).containsExactly("a", "b", "c");
        assertThat(last.heard).containsExactly("a", "b", "c");
    }

    @Test
    void eventsPublishedAfterCloseAreDroppedQuietly() {
        Names names = new Names();
        events.add(names);
        events.publish(l -> l.serviceRemoved("before"));
        events.close();

        events.publish(l -> l.serviceRemoved("after"));

        assertThat(names.heard).containsExactly("before");
    }
}
