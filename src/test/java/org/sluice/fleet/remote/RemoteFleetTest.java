package org.sluice.fleet.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.Fleet;
import org.sluice.fleet.EventRecorder;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.FleetUnavailableException;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.ServiceExistsException;
import org.sluice.fleet.UnknownBackupException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.fleet.api.ManagedHost;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.access.HostCertificate;

/**
 * The console's view of a host in another process: the same {@link Fleet} contract as the local
 * one, over real HTTPS, and what happens when the connection drops, the host comes back, the key
 * is rolled or the certificate changes.
 */
@Timeout(60)
class RemoteFleetTest {
    @TempDir
    Path data;
    @TempDir
    Path otherData;

    private final EventRecorder events = new EventRecorder();
    private final BlockingQueue<RemoteFleet.Connection> connections = new LinkedBlockingQueue<>();
    private ManagedHost managed;
    private RemoteFleet remote;

    @BeforeEach
    void open() throws Exception {
        managed = new ManagedHost(data);
        remote = RemoteFleet.connect("test host", managed.client(), new RemoteFleet.Settings(Duration.ofMillis(20),
                Duration.ofMillis(200), Duration.ofSeconds(45), System::currentTimeMillis));
        remote.onConnection(connections::add);
        remote.subscribe(events);
    }

    private Fleet local() {
        return managed.fleet("local");
    }

    @AfterEach
    void close() {
        remote.close();
        managed.close();
    }

    private static ServiceDefinition orders() {
        return new ServiceDefinition("orders", 2, 1, 256, Validation.NONE, null, null, "dir:/tmp/orders-out");
    }

    private RemoteFleet.Connection connection(RemoteFleet.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            RemoteFleet.Connection c = connections.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (c != null && c.state() == state) {
                return c;
            }
        }
        throw new AssertionError("the connection never became " + state + "; it is " + remote.connection());
    }

    private static OperationRecord outcome(OperationTicket ticket) throws Exception {
        return ticket.completion().get(10, TimeUnit.SECONDS);
    }

    @Test
    void commandsRunOnTheHostAndTheirEventsAndOutcomesComeBack() throws Exception {
        assertThat(remote.snapshot().services()).isEmpty();

        OperationTicket created = remote.create(orders());
        assertThat(created.operation()).isEqualTo(Operation.CREATE);
        assertThat(events.next(FleetEvent.ServiceAdded.class, e -> true).service()).isEqualTo("orders");
        OperationRecord done = outcome(created);
        assertThat(done.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(done.requester()).isEqualTo("owner");

        assertThat(outcome(remote.perform("orders", Operation.STOP)).outcome()).isEqualTo(Outcome.SUCCEEDED);
        events.next(FleetEvent.ServiceStateChanged.class, e -> e.state() == ServiceState.STOPPED);
        assertThat(remote.snapshot().services()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(ServiceState.STOPPED));
        assertThat(outcome(remote.perform("orders", Operation.START)).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome(remote.scale("orders", 3)).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(managed.launcher.alive("orders")).hasSize(3);
        assertThat(outcome(remote.updateConfiguration("orders", orders().withUnits(3)))).satisfies(r ->
                assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED));
        assertThat(outcome(remote.perform("orders", Operation.BACKUP)).outcome()).isEqualTo(Outcome.SUCCEEDED);
        String backup = remote.backups("orders").get(0).id();
        assertThat(outcome(remote.restore(backup, "orders-copy")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        for (OperationTicket ticket : remote.disableAccount()) {
            assertThat(outcome(ticket).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        for (OperationTicket ticket : remote.enableAccount()) {
            assertThat(outcome(ticket).outcome()).isEqualTo(Outcome.SUCCEEDED);
        }
        assertThat(remote.operations(OperationQuery.all(100).forService("orders").withOperation(Operation.SCALE)))
                .singleElement().satisfies(r -> assertThat(r.requester()).isEqualTo("owner"));
        assertThat(remote.operation(created.requestId())).hasValueSatisfying(r -> assertThat(r.operation()).isEqualTo(Operation.CREATE));
        assertThat(remote.operation("no-such-request")).isEmpty();
        // The console asks for every episode there is: a range to the end of time, whose "+" must survive the query string.
        assertThat(remote.episodes("orders", 0, Long.MAX_VALUE)).isEmpty();
        assertThat(remote.operations(OperationQuery.all(5).withRange(0, Long.MAX_VALUE))).isNotEmpty();
        assertThat(remote.endpoint("orders")).isEqualTo(managed.door().endpoint("orders"));
    }

    @Test
    void aRestartOfTheHostsOwnAndACutShortEpisodeWithItsCauseHistoryComeBackAsTheHostKeptThem() throws Exception {
        assertThat(outcome(remote.create(orders())).outcome()).isEqualTo(Outcome.SUCCEEDED);
        org.sluice.runtime.FakeLauncher.Fake instance = managed.launcher.alive("orders").getFirst();
        long now = System.currentTimeMillis();
        instance.emit(new org.sluice.runtime.InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(now,
                org.sluice.throttle.ThrottleState.NORMAL, org.sluice.throttle.ThrottleState.THROTTLED,
                java.util.Set.of(org.sluice.throttle.Cause.MEMORY), java.util.Optional.empty())));
        instance.emit(new org.sluice.runtime.InstanceEvent.Throttle(new org.sluice.throttle.ThrottleTransition(now + 100,
                org.sluice.throttle.ThrottleState.THROTTLED, org.sluice.throttle.ThrottleState.THROTTLED,
                java.util.Set.of(org.sluice.throttle.Cause.CONCURRENCY), java.util.Optional.empty())));
        instance.crash(139);

        OperationRecord restarted = events.next(FleetEvent.OperationProgress.class,
                e -> e.record().operation() == Operation.INSTANCE_RESTART && e.record().outcome() == Outcome.SUCCEEDED).record();
        assertThat(restarted.requester()).isEqualTo(OperationRecord.HOST);
        assertThat(restarted.crash()).hasValue(new org.sluice.lifecycle.InstanceCrash(instance.index(), 139, 1));
        assertThat(remote.operations(OperationQuery.all(10).forService("orders").withOperation(Operation.INSTANCE_RESTART)))
                .containsExactly(restarted);
        assertThat(remote.episodes("orders", 0, Long.MAX_VALUE)).singleElement().satisfies(e -> {
            assertThat(e.episode().cutShort()).isTrue();
            assertThat(e.episode().history()).extracting(org.sluice.throttle.CauseChange::atMs).containsExactly(now, now + 100);
        });
        assertThatThrownBy(() -> remote.perform("orders", Operation.INSTANCE_RESTART)).isInstanceOf(OperationNotAllowedException.class);
    }

    @Test
    void theTriesOfARestartedHostComeBackAsTriesAfterAHostRestartNotAsCrashes() throws Exception {
        org.sluice.runtime.InMemoryJournal journal = new org.sluice.runtime.InMemoryJournal();
        journal.saveService(org.sluice.runtime.store.StoredService.resting(orders(), ServiceState.ACTIVE, 1_000));
        org.sluice.runtime.FakeLauncher failing = new org.sluice.runtime.FakeLauncher();
        failing.keepsLaunching("orders", 0, org.sluice.runtime.FakeLauncher.Behaviour.FAILS_TO_START);
        EventRecorder heard = new EventRecorder();
        try (ManagedHost restarted = new ManagedHost(otherData, failing, journal, Duration.ofMillis(10));
                RemoteFleet following = RemoteFleet.connect("restarted host", restarted.client(), new RemoteFleet.Settings(
                        Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(45), System::currentTimeMillis))) {
            following.subscribe(heard);
            java.util.concurrent.CountDownLatch eachLeftDown = new java.util.concurrent.CountDownLatch(orders().units());
            following.subscribe(e -> {
                if (e instanceof FleetEvent.InstanceStatusChanged c && c.status() == org.sluice.lifecycle.InstanceStatus.FAILED) {
                    eachLeftDown.countDown();
                }
            });
            BlockingQueue<RemoteFleet.Connection> states = new LinkedBlockingQueue<>();
            following.onConnection(states::add);
            // Following before the host opens, so that no event of its recovery comes before the stream.
            for (RemoteFleet.Connection c = following.connection(); c.state() != RemoteFleet.State.CONNECTED; ) {
                c = states.poll(15, TimeUnit.SECONDS);
                assertThat(c).as("connected within 15 s").isNotNull();
            }
            restarted.host.open();

            FleetEvent.InstanceStatusChanged waiting = heard.next(FleetEvent.InstanceStatusChanged.class,
                    e -> e.status() == org.sluice.lifecycle.InstanceStatus.RESTARTING);
            assertThat(waiting.cause()).isEqualTo(RestartCause.HOST_RESTART);
            heard.next(FleetEvent.InstanceStatusChanged.class, e -> e.status() == org.sluice.lifecycle.InstanceStatus.FAILED
                    && e.cause() == RestartCause.HOST_RESTART);
            OperationRecord leftDown = heard.next(FleetEvent.OperationProgress.class,
                    e -> e.record().operation() == Operation.INSTANCE_LEFT_DOWN).record();
            assertThat(leftDown.crash()).hasValueSatisfying(c -> assertThat(c.cause()).isEqualTo(RestartCause.HOST_RESTART));
            assertThat(following.operations(OperationQuery.all(50).forService("orders")))
                    .filteredOn(r -> r.operation().byHost()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.crash().orElseThrow().cause()).isEqualTo(RestartCause.HOST_RESTART));
            assertThat(eachLeftDown.await(15, TimeUnit.SECONDS)).as("every instance left down within 15 s").isTrue();
            // The instances the host started again are in the followed snapshot too, not only in the events:
            // a console that opens the service's details now sees them left down.
            assertThat(following.snapshot().services()).filteredOn(s -> s.name().equals("orders")).singleElement()
                    .satisfies(s -> assertThat(s.instances()).hasSize(s.definition().units()).allSatisfy(i -> {
                        assertThat(i.status()).isEqualTo(org.sluice.lifecycle.InstanceStatus.FAILED);
                        assertThat(i.restartCause()).isEqualTo(RestartCause.HOST_RESTART);
                    }));
        }
    }

    @Test
    void anInstancesLogIsReadAndFollowedOverTheApiInBoundedPieces() throws Exception {
        outcome(remote.create(orders()));
        managed.launcher.writeLog("orders", 0, "listening on 127.0.0.1\nwarning: destination slow\n");
        InstanceLog tail = remote.instanceLog("orders", 0, InstanceLog.Run.CURRENT, -1, InstanceLog.MAX_BYTES);
        assertThat(tail.text()).isEqualTo("listening on 127.0.0.1\nwarning: destination slow\n");

        managed.launcher.writeLog("orders", 0, "delivered 10 messages\n");
        InstanceLog more = remote.instanceLog("orders", 0, InstanceLog.Run.CURRENT, tail.next(), 16);
        assertThat(more.text()).as("at most 16 bytes, whole lines").isEmpty();
        assertThat(more.skipped()).isTrue();
        more = remote.instanceLog("orders", 0, InstanceLog.Run.CURRENT, tail.next(), 1024);
        assertThat(more.text()).isEqualTo("delivered 10 messages\n");

        managed.launcher.newRun("orders", 0);
        managed.launcher.writeLog("orders", 0, "started again\n");
        InstanceLog after = remote.instanceLog("orders", 0, InstanceLog.Run.CURRENT, more.next(), 1024);
        assertThat(after.restarted()).isTrue();
        assertThat(after.previousKept()).isTrue();
        assertThat(after.text()).isEqualTo("started again\n");
        assertThat(remote.instanceLog("orders", 0, InstanceLog.Run.PREVIOUS, -1, 1024).text()).endsWith("delivered 10 messages\n");

        assertThatThrownBy(() -> remote.instanceLog("nowhere", 0, InstanceLog.Run.CURRENT, -1, 1024))
                .isInstanceOf(UnknownServiceException.class);
        assertThatThrownBy(() -> remote.instanceLog("orders", 0, InstanceLog.Run.CURRENT, -1, InstanceLog.MAX_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void refusalsAndMistakesAreTheSameTypedErrorsAsLocally() throws Exception {
        outcome(remote.create(orders()));

        assertThatThrownBy(() -> remote.perform("orders", Operation.RESUME))
                .isInstanceOfSatisfying(OperationNotAllowedException.class, e -> {
                    assertThat(e).hasMessage("Operation not allowed");
                    assertThat(e.state()).isEqualTo(ServiceState.ACTIVE);
                    assertThat(e.operation()).isEqualTo(Operation.RESUME);
                });
        assertThatThrownBy(() -> remote.perform("nope", Operation.START)).isInstanceOf(UnknownServiceException.class);
        assertThatThrownBy(() -> remote.create(orders())).isInstanceOf(ServiceExistsException.class);
        assertThatThrownBy(() -> remote.restore("nope", "x")).isInstanceOf(UnknownBackupException.class);
        assertThatThrownBy(() -> remote.updateConfiguration("orders", orders().withUnits(12)))
                .isInstanceOfSatisfying(InvalidDefinitionException.class,
                        e -> assertThat(e.problems()).extracting(ServiceDefinition.Problem::field).containsExactly("units"));
        assertThatThrownBy(() -> remote.injectFault("orders", Operation.START)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(local().snapshot().services()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(ServiceState.ACTIVE);
            assertThat(s.definition().units()).isEqualTo(2);
        });
    }

    @Test
    void aHostThatGoesAwayAndComesBackIsFollowedAgainFromAFreshSnapshot() throws Exception {
        outcome(remote.create(orders()));
        connection(RemoteFleet.State.CONNECTED);

        managed.stopListening();
        RemoteFleet.Connection down = connection(RemoteFleet.State.RECONNECTING);
        assertThat(down.retryAtMs()).isPresent();
        assertThat(down.problem()).isPresent();

        // Meanwhile, on the host: one service stops, another is created.
        outcome(local().perform("orders", Operation.STOP));
        outcome(local().create(orders().withName("billing")));
        events.clear();

        managed.listenAgain(managed.certificate());
        connection(RemoteFleet.State.CONNECTED);
        assertThat(events.next(FleetEvent.ServiceAdded.class, e -> e.service().equals("billing")).snapshot().state())
                .isEqualTo(ServiceState.ACTIVE);
        assertThat(remote.snapshot().services()).extracting(s -> s.name() + " " + s.state().chartName())
                .containsExactly("billing Active", "orders Stopped");
    }

    /** A change of the connection and when it was heard, which is when its pause began. */
    private record Timed(long atMs, RemoteFleet.Connection connection) {
        long pauseMs() {
            return connection.retryAtMs().orElseThrow() - atMs;
        }
    }

    private static Timed next(BlockingQueue<Timed> changes, RemoteFleet.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Timed change = changes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (change != null && change.connection().state() == state) {
                return change;
            }
        }
        throw new AssertionError("the connection never became " + state);
    }

    @Test
    void eachTimeTheHostAnsweredTheNextDropStartsThePausesOver() throws Exception {
        // A host that says nothing for 300 ms counts as gone: the stream is cut (not ended by the
        // host), and the console connects again at once, to the same host, which answers.
        RemoteFleet quiet = RemoteFleet.connect("quiet host", managed.client(), new RemoteFleet.Settings(Duration.ofMillis(20),
                Duration.ofMillis(200), Duration.ofMillis(300), System::currentTimeMillis));
        try {
            BlockingQueue<Timed> changes = new LinkedBlockingQueue<>();
            quiet.onConnection(c -> changes.add(new Timed(System.currentTimeMillis(), c)));
            quiet.snapshot();
            for (int drop = 0; drop < 4; drop++) {
                // Doubling on from the last drop would have reached 160 ms by the fourth.
                assertThat(next(changes, RemoteFleet.State.RECONNECTING).pauseMs()).as("drop %d", drop).isLessThan(100);
                next(changes, RemoteFleet.State.CONNECTED);
            }
        } finally {
            quiet.close();
        }
    }

    @Test
    void aRolledKeyStopsTheRetriesAndSaysSo() throws Exception {
        remote.snapshot();
        managed.validKey.set("a-new-key");
        managed.stopListening();
        managed.listenAgain(managed.certificate());

        RemoteFleet.Connection refused = connection(RemoteFleet.State.UNAUTHORIZED);
        assertThat(refused.problem()).hasValueSatisfying(p -> assertThat(p).contains("key"));
        assertThatThrownBy(() -> remote.perform("orders", Operation.START)).isInstanceOf(FleetUnavailableException.class);
    }

    @Test
    void aKeyRolledWhileTheStreamIsOpenEndsItAndTheFleetAsksForTheNewKey() throws Exception {
        remote.snapshot();
        connection(RemoteFleet.State.CONNECTED);

        managed.validKey.set("a-new-key");

        RemoteFleet.Connection refused = connection(RemoteFleet.State.UNAUTHORIZED);
        assertThat(refused.problem()).hasValueSatisfying(p -> assertThat(p).contains("rolled"));
        assertThat(remote.connection().state()).as("no retries with a refused key").isEqualTo(RemoteFleet.State.UNAUTHORIZED);
    }

    @Test
    void aChangedCertificateIsRefusedWithBothFingerprints() throws Exception {
        remote.snapshot();
        HostCertificate other = HostCertificate.loadOrCreate(otherData);
        managed.stopListening();
        managed.listenAgain(other);

        RemoteFleet.Connection changed = connection(RemoteFleet.State.CERTIFICATE_CHANGED);
        assertThat(changed.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("certificate changed", managed.fingerprint(), other.fingerprint()));
    }

    @Test
    void aHostThatCannotBeReachedAtFirstSaysWhyInsteadOfWaiting() {
        RemoteFleet nowhere = RemoteFleet.connect("nowhere", new ManagementClient(URI.create("https://127.0.0.1:1"), "owner", ManagedHost.KEY,
                managed.fingerprint()), new RemoteFleet.Settings(Duration.ofMillis(20), Duration.ofMillis(50),
                Duration.ofSeconds(45), System::currentTimeMillis));
        try {
            assertThatThrownBy(nowhere::snapshot).isInstanceOf(FleetUnavailableException.class)
                    .hasMessageContaining("Nothing answers at https://127.0.0.1:1");
        } finally {
            nowhere.close();
        }
        assertThat(nowhere.connection().state()).isEqualTo(RemoteFleet.State.CLOSED);
    }

    @Test
    void aHostsEngineStatusComesWithTheSnapshotAndEachChangeAsAnEvent() throws Exception {
        connection(RemoteFleet.State.CONNECTED);
        assertThat(remote.snapshot().engines()).containsEntry(ServiceSnapshot.THIS_HOST, org.sluice.lifecycle.EngineStatus.LOCAL);

        org.sluice.lifecycle.EngineStatus down = org.sluice.lifecycle.EngineStatus.unavailable(
                org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, "The Kubernetes API server could not be reached", 1_700_000_000_123L);
        managed.launcher.engine(down);
        // The first snapshot told the engine as it was then; the change follows.
        assertThat(events.next(FleetEvent.EngineStatusChanged.class, e -> !e.status().available()).status()).isEqualTo(down);
        assertThat(remote.snapshot().engines()).containsEntry(ServiceSnapshot.THIS_HOST, down);

        try (RemoteFleet later = RemoteFleet.connect("later", managed.client(), RemoteFleet.Settings.defaults())) {
            assertThat(later.snapshot().engines()).as("a client that connects meanwhile reads it in the snapshot")
                    .containsEntry(ServiceSnapshot.THIS_HOST, down);
        }
    }
}
