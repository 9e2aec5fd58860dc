package org.sluice.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OpeningFleetTest {

    /** A fleet that records who subscribed, and whether they had when a snapshot was taken. */
    private static final class Recorded {
        final List<FleetListener> listeners = new CopyOnWriteArrayList<>();
        final List<Integer> listenersAtSnapshot = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final FleetSnapshot snapshot = new FleetSnapshot(42, List.of());
        final Fleet fleet = (Fleet) Proxy.newProxyInstance(Fleet.class.getClassLoader(), new Class<?>[] {Fleet.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    return switch (method.getName()) {
                        case "subscribe" -> {
                            FleetListener listener = (FleetListener) args[0];
                            listeners.add(listener);
                            yield (Subscription) () -> listeners.remove(listener);
                        }
                        case "snapshot" -> {
                            listenersAtSnapshot.add(listeners.size());
                            yield snapshot;
                        }
                        case "endpoint" -> "http://127.0.0.1:7070/services/" + args[0] + "/messages";
                        default -> null;
                    };
                });
    }

    private final OpeningFleet opening = new OpeningFleet();
    private final Recorded real = new Recorded();

    @Test
    void aCallMadeWhileOpeningWaitsAndThenGoesToTheOpenedFleet() throws Exception {
        CompletableFuture<FleetSnapshot> snapshot = CompletableFuture.supplyAsync(opening::snapshot);
        CompletableFuture<String> endpoint = CompletableFuture.supplyAsync(() -> opening.endpoint("orders"));

        opening.opened(real.fleet);

        assertThat(snapshot.get(5, TimeUnit.SECONDS)).isSameAs(real.snapshot);
        assertThat(endpoint.get(5, TimeUnit.SECONDS)).isEqualTo("http://127.0.0.1:7070/services/orders/messages");
        assertThat(opening.isOpen()).isTrue();
    }

    @Test
    void aSubscriptionTakenBeforeItOpensIsAttachedBeforeAnyWaitingSnapshotIsTaken() throws Exception {
        FleetListener listener = event -> { };
        opening.subscribe(listener);
        CompletableFuture<FleetSnapshot> snapshot = CompletableFuture.supplyAsync(opening::snapshot);

        opening.opened(real.fleet);
        snapshot.get(5, TimeUnit.SECONDS);

        assertThat(real.listeners).containsExactly(listener);
        assertThat(real.listenersAtSnapshot).containsExactly(1);
    }

    @Test
    void aSubscriptionClosedBeforeItOpensIsNeverAttached() {
        Subscription early = opening.subscribe(event -> { });
        early.close();

        opening.opened(real.fleet);

        assertThat(real.listeners).isEmpty();
    }

    @Test
    void aSubscriptionClosedAfterItOpensIsDetachedFromTheOpenedFleet() {
        Subscription early = opening.subscribe(event -> { });
        opening.opened(real.fleet);
        assertThat(real.listeners).hasSize(1);

        early.close();

        assertThat(real.listeners).isEmpty();
    }

    @Test
    void whenOpeningFailsWaitingAndLaterCallsSayWhy() {
        CompletableFuture<FleetSnapshot> waiting = CompletableFuture.supplyAsync(opening::snapshot);

        opening.failed(new java.io.IOException("database is locked"));

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(FleetUnavailableException.class)
                .hasMessageContaining("database is locked");
        assertThatThrownBy(() -> opening.perform("orders", org.sluice.lifecycle.Operation.STOP))
                .isInstanceOf(FleetUnavailableException.class)
                .hasMessageContaining("database is locked");
        assertThat(opening.isOpen()).isFalse();
    }

    @Test
    void closedBeforeItOpensTheFleetIsClosedAsSoonAsItOpensAndGetsNoSubscriber() {
        opening.subscribe(event -> { });
        opening.close();

        opening.opened(real.fleet);

        assertThat(real.calls).containsExactly("close");
    }

    @Test
    void closedOnceOpenItClosesTheOpenedFleet() {
        opening.opened(real.fleet);

        opening.close();

        assertThat(real.calls).containsExactly("close");
    }

    @Test
    void itIsSettledOnlyOnce() {
        opening.opened(real.fleet);

        assertThatThrownBy(() -> opening.opened(new Recorded().fleet)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> opening.failed(new RuntimeException("late"))).isInstanceOf(IllegalStateException.class);
    }
}
