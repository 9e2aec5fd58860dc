package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.api.ManagedHost;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.fleet.remote.RemoteFleet.State;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * The console's hosts without the JavaFX toolkit: what each connection's state reads as, and the
 * ways to connect, enter a key and remove a host, against a real host behind HTTPS in this process.
 */
@Timeout(60)
class HostsViewModelTest {
    private static final URI BRANCH = URI.create("https://10.0.0.5:7071");
    private static final RemoteFleet.Settings QUICK = new RemoteFleet.Settings(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(45), System::currentTimeMillis);

    @TempDir
    Path data;

    private final FakeFleet own = new FakeFleet();
    private final FleetGroup group = new FleetGroup(own);
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final I18n english = new I18n(Locale.ENGLISH);
    private final NoticesViewModel notices = new NoticesViewModel(english);
    private final MemoryConnections store = new MemoryConnections();
    private long now = 1_000_000;
    private HostsViewModel hosts;
    private ManagedHost managed;

    /** A mark for each change the group reports of its hosts or their connections. */
    private final BlockingQueue<String> changes = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        group.onHosts(new FleetGroup.HostsListener() {
            @Override
            public void hostsChanged(List<String> names) {
                changes.add("hosts");
            }

            @Override
            public void connectionChanged(String host, RemoteFleet.Connection connection) {
                changes.add(host);
            }
        });
        hosts = new HostsViewModel(group, RemoteHosts.overHttps(QUICK), store, english, BackgroundExecutor.sameThread(), dialogs,
                notices, () -> now);
    }

    @AfterEach
    void close() {
        group.close();
        if (managed != null) {
            managed.close();
        }
    }

    private static RemoteFleet.Connection connection(State state, long lastHeardMs, OptionalLong retryAtMs) {
        return new RemoteFleet.Connection(state, lastHeardMs, retryAtMs, Optional.empty());
    }

    private HostViewModel report(State state, long lastHeardMs, OptionalLong retryAtMs) {
        hosts.update(List.of(new HostStatus("branch", BRANCH, connection(state, lastHeardMs, retryAtMs))));
        return hosts.host("branch");
    }

    /** What the console's pump does once per pulse, read from the group as it is now. */
    private void pump() {
        hosts.update(group.hosts().stream().map(h -> group.remote(h).map(r -> new HostStatus(h, r.client().base(), r.connection()))
                .orElseThrow()).toList());
    }

    /** Reads the group after each change of its hosts, as the console's pump does, until {@code condition} holds. */
    private void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        pump();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited in vain; the hosts read " + hosts.hosts().stream()
                        .map(h -> h.label() + " " + h.getState()).toList());
            }
            changes.poll(left, TimeUnit.NANOSECONDS);
            pump();
        }
    }

    @Test
    void theOwnHostComesFirstIsAlwaysCurrentAndIsCalledThisComputer() {
        assertThat(hosts.hosts()).containsExactly(hosts.own());
        assertThat(hosts.own().label()).isEqualTo("This computer");
        assertThat(hosts.own().isStale()).isFalse();
        assertThat(hosts.severalProperty().get()).isFalse();

        report(State.CONNECTED, now, OptionalLong.empty());
        assertThat(hosts.hosts()).extracting(HostViewModel::label).containsExactly("This computer", "branch");
        assertThat(hosts.severalProperty().get()).isTrue();
    }

    @Test
    void eachConnectionStateReadsAsTheOperatorExpects() {
        HostViewModel branch = report(State.CONNECTED, now, OptionalLong.empty());
        assertThat(branch.statusTextProperty().get()).isEqualTo("Connected");
        assertThat(branch.isStale()).isFalse();
        assertThat(branch.blockedReasonProperty().get()).isEmpty();
        assertThat(branch.lastUpdateTextProperty().get()).isEmpty();
        assertThat(branch.detailTextProperty().get()).isEqualTo("branch at https://10.0.0.5:7071: connected; what it shows is current.");

        long heard = now;
        now += 12_000;
        report(State.RECONNECTING, heard, OptionalLong.of(now + 4_000));
        assertThat(branch.isStale()).isTrue();
        assertThat(branch.statusTextProperty().get()).isEqualTo("Reconnecting in 4 s");
        assertThat(branch.lastUpdateTextProperty().get()).isEqualTo("last update 12 s ago");
        assertThat(branch.blockedReasonProperty().get())
                .isEqualTo("branch is reconnecting (next try in 4 s): actions wait until it is back.");

        // The countdown and the age follow the pulse.
        now += 1_500;
        hosts.tick(now);
        assertThat(branch.statusTextProperty().get()).isEqualTo("Reconnecting in 3 s");
        assertThat(branch.lastUpdateTextProperty().get()).isEqualTo("last update 13 s ago");
        now += 3_000;
        hosts.tick(now);
        assertThat(branch.statusTextProperty().get()).isEqualTo("Reconnecting...");
        now += 60_000;
        hosts.tick(now);
        assertThat(branch.lastUpdateTextProperty().get()).isEqualTo("last update 1 min ago");

        report(State.UNAUTHORIZED, heard, OptionalLong.empty());
        assertThat(branch.statusTextProperty().get()).isEqualTo("Unauthorized");
        assertThat(branch.blockedReasonProperty().get()).startsWith("branch refused the key: actions wait until you enter the current key");
        assertThat(branch.enterKeyCommand().isExecutable()).isTrue();

        report(State.CERTIFICATE_CHANGED, heard, OptionalLong.empty());
        assertThat(branch.statusTextProperty().get()).isEqualTo("Certificate changed");
        assertThat(branch.blockedReasonProperty().get()).startsWith("branch presented a certificate other than the one you accepted");
        assertThat(branch.enterKeyCommand().isExecutable()).isFalse();

        report(State.CONNECTED, now, OptionalLong.empty());
        assertThat(branch.isStale()).isFalse();
        assertThat(branch.lastUpdateTextProperty().get()).isEmpty();
    }

    @Test
    void inKoreanToo() {
        I18n korean = new I18n(Locale.KOREAN);
        HostsViewModel koreanHosts = new HostsViewModel(group, RemoteHosts.overHttps(QUICK), store, korean,
                BackgroundExecutor.sameThread(), dialogs, new NoticesViewModel(korean), () -> now);
        koreanHosts.update(List.of(new HostStatus("branch", BRANCH, connection(State.RECONNECTING, now - 12_000,
                OptionalLong.of(now + 4_000)))));
        HostViewModel branch = koreanHosts.host("branch");
        assertThat(koreanHosts.own().label()).isEqualTo("이 컴퓨터");
        assertThat(branch.statusTextProperty().get()).isEqualTo("4초 후 다시 연결");
        assertThat(branch.lastUpdateTextProperty().get()).isEqualTo("마지막 업데이트 12초 전");
        assertThat(branch.blockedReasonProperty().get()).isEqualTo("branch에 다시 연결하는 중입니다(4초 후 다시 시도). 다시 연결될 때까지 작업은 기다립니다.");
    }

    @Test
    void theOperatorIsToldWhenAConnectionDropsComesBackOrNeedsThem() {
        report(State.CONNECTING, 0, OptionalLong.empty());
        report(State.CONNECTED, now, OptionalLong.empty());
        assertThat(notices.all()).as("the first connection is the operator's own doing").isEmpty();
        report(State.RECONNECTING, now, OptionalLong.of(now + 1_000));
        assertThat(notices.latestProperty().get().text()).isEqualTo("Lost the connection to branch; trying again. Its services are shown as last heard.");
        assertThat(notices.latestProperty().get().kind()).isEqualTo(Notice.Kind.ERROR);
        report(State.RECONNECTING, now, OptionalLong.of(now + 2_000));
        assertThat(notices.all()).as("each try again is not news").hasSize(1);
        report(State.CONNECTED, now, OptionalLong.empty());
        assertThat(notices.latestProperty().get().text()).isEqualTo("branch is connected again.");
        report(State.CERTIFICATE_CHANGED, now, OptionalLong.empty());
        assertThat(notices.latestProperty().get().text()).startsWith("branch at https://10.0.0.5:7071 presented a certificate other than");
    }

    @Test
    void aHostThatCannotBeReachedAtStartSaysSoAndThenThatItIsBack() {
        report(State.CONNECTING, 0, OptionalLong.empty());
        HostViewModel branch = report(State.RECONNECTING, 0, OptionalLong.of(now + 1_000));
        assertThat(notices.alertProperty().get().text())
                .isEqualTo("branch cannot be reached yet; the console keeps trying by itself, waiting a little longer after each try.");
        assertThat(branch.lastUpdateTextProperty().get()).isEqualTo("never reached");
        report(State.CONNECTED, now, OptionalLong.empty());
        assertThat(notices.alertProperty().get()).isNull();
    }

    @Test
    void aHostTheFleetNoLongerHasLeavesTheList() {
        report(State.CONNECTED, now, OptionalLong.empty());
        hosts.update(List.of());
        assertThat(hosts.hosts()).containsExactly(hosts.own());
    }

    // ------------------------------------------------------------------ against a real host

    private ManagedHost branchHost() throws Exception {
        managed = new ManagedHost(data);
        managed.fleet("setup").create(new ServiceDefinition("orders", 1, 1, 256, ServiceDefinition.Validation.NONE, null, null,
                "dir:/tmp/orders-out")).completion().get(10, TimeUnit.SECONDS);
        return managed;
    }

    private void fillIn(String name, String address, String key, boolean remember) {
        dialogs.connections.add(form -> {
            form.nameProperty().set(name);
            form.addressProperty().set(address);
            form.keyProperty().set(key);
            form.rememberKeyProperty().set(remember);
            return true;
        });
    }

    @Test
    void connectingShowsTheFingerprintAndJoinsTheHostOnceAccepted() throws Exception {
        branchHost();
        fillIn("branch", managed.url().getAuthority(), ManagedHost.KEY, false);
        hosts.connect();

        assertThat(dialogs.asked).containsExactly("connect", "fingerprint branch");
        assertThat(dialogs.fingerprintShown).isEqualTo(managed.fingerprint());
        assertThat(group.hosts()).containsExactly("branch");
        assertThat(notices.latestProperty().get().text()).isEqualTo("Connected to branch: 1 service.");
        pump();
        assertThat(hosts.host("branch").getState()).isEqualTo(State.CONNECTED);
        // Remembered without its key: the operator did not tick the box.
        assertThat(store.kept).singleElement().satisfies(kept -> {
            assertThat(kept.address()).isEqualTo(managed.url());
            assertThat(kept.issuer()).isEqualTo("owner");
            assertThat(kept.fingerprint()).isEqualTo(managed.fingerprint());
            assertThat(kept.key()).isEmpty();
        });
    }

    @Test
    void theKeyIsRememberedOnlyWhenTheOperatorTicksTheBox() throws Exception {
        branchHost();
        fillIn("branch", managed.url().toString(), ManagedHost.KEY, true);
        hosts.connect();
        assertThat(store.kept).singleElement().satisfies(kept -> assertThat(kept.key()).contains(ManagedHost.KEY));
    }

    @Test
    void aCertificateNotAcceptedConnectsNothing() throws Exception {
        branchHost();
        fillIn("branch", managed.url().toString(), ManagedHost.KEY, false);
        dialogs.acceptFingerprint = false;
        hosts.connect();
        assertThat(group.hosts()).isEmpty();
        assertThat(store.kept).isEmpty();
    }

    @Test
    void aWrongKeyIsToldInTheConnectDialogWhichOpensAgainWithWhatWasTyped() throws Exception {
        branchHost();
        fillIn("branch", managed.url().toString(), "not-the-key", true);
        dialogs.connections.add(form -> {
            assertThat(form.name()).isEqualTo("branch");
            assertThat(form.key()).isEqualTo("not-the-key");
            form.keyProperty().set(ManagedHost.KEY);
            return true;
        });
        hosts.connect();

        assertThat(dialogs.connectErrors).hasSize(2);
        assertThat(dialogs.connectErrors.get(0)).isEmpty();
        assertThat(dialogs.connectErrors.get(1)).isEqualTo(managed.url() + " refused issuer owner with this key. "
                + "Check both: sluice keys show, on that host, prints them.");
        assertThat(group.hosts()).containsExactly("branch");
        assertThat(store.kept).singleElement().satisfies(kept -> assertThat(kept.key()).contains(ManagedHost.KEY));
    }

    @Test
    void aHostThatDoesNotAnswerIsToldInOurOwnWords() throws Exception {
        branchHost();
        URI address = managed.url();
        managed.stopListening();
        fillIn("branch", address.toString(), ManagedHost.KEY, false);
        hosts.connect();
        assertThat(dialogs.asked).containsExactly("connect", "connect");
        assertThat(dialogs.connectErrors.get(1)).isEqualTo("Nothing answers at " + address + ". Check the address and port, "
                + "and that sluice host runs there with its management listener on (--manage).");
        assertThat(group.hosts()).isEmpty();
    }

    @Test
    void rememberedHostsReconnectAtStartAndThoseWithoutAKeyWaitForIt() throws Exception {
        branchHost();
        store.kept.add(new RememberedConnection("branch", managed.url(), "owner", managed.fingerprint(), Optional.of(ManagedHost.KEY)));
        store.kept.add(new RememberedConnection("depot", managed.url(), "owner", managed.fingerprint(), Optional.empty()));
        hosts.start();

        assertThat(group.hosts()).containsExactly("branch");
        waitFor(() -> hosts.host("branch").getState() == State.CONNECTED);
        HostViewModel depot = hosts.host("depot");
        assertThat(hosts.hosts()).extracting(HostViewModel::name).containsExactly("", "branch", "depot");
        assertThat(depot.getState()).isEqualTo(State.UNAUTHORIZED);
        assertThat(depot.keyMissingProperty().get()).isTrue();
        assertThat(depot.statusTextProperty().get()).isEqualTo("Unauthorized");
        assertThat(depot.blockedReasonProperty().get()).startsWith("No key is remembered for depot");

        // Entering it connects, and it is kept as the operator chose: without the key.
        dialogs.keys.add(new DialogService.KeyEntry(ManagedHost.KEY, false));
        depot.enterKeyCommand().execute();
        assertThat(group.hosts()).containsExactly("branch", "depot");
        waitFor(() -> depot.getState() == State.CONNECTED);
        assertThat(depot.keyMissingProperty().get()).isFalse();
        assertThat(store.kept).extracting(k -> k.name() + " " + k.key().isPresent()).containsExactly("branch true", "depot false");
    }

    @Test
    void aKeyTheKeychainDidNotGiveLeavesTheHostUnauthorizedSayingSoAndHowToEnterItAgain() throws Exception {
        branchHost();
        store.place = KeyPlace.MACOS_KEYCHAIN;
        store.kept.add(new RememberedConnection("branch", managed.url(), "owner", managed.fingerprint(), Optional.empty(),
                Optional.of("User interaction is not allowed.")));
        hosts.start();

        assertThat(group.hosts()).isEmpty();
        HostViewModel branch = hosts.host("branch");
        assertThat(branch.getState()).isEqualTo(State.UNAUTHORIZED);
        assertThat(branch.keyMissingProperty().get()).isTrue();
        assertThat(branch.enterKeyCommand().executableProperty().get()).isTrue();
        assertThat(branch.blockedReasonProperty().get()).isEqualTo("The keychain did not give the key of branch: actions wait "
                + "until you enter it again (Enter key... on the host in the hosts bar).");
        assertThat(branch.detailTextProperty().get()).isEqualTo("The keychain did not give the key of branch at " + managed.url()
                + " (User interaction is not allowed.). Enter it again with Enter key... on the host.");
        assertThat(notices.latestProperty().get().text()).isEqualTo("The keychain did not give the key of branch (User interaction "
                + "is not allowed.), so it is not connected. Enter key... on the host in the hosts bar connects it.");

        dialogs.keys.add(new DialogService.KeyEntry(ManagedHost.KEY, true));
        branch.enterKeyCommand().execute();
        assertThat(dialogs.keyPlaces).containsExactly(KeyPlace.MACOS_KEYCHAIN);
        waitFor(() -> hosts.host("branch").getState() == State.CONNECTED);
        assertThat(branch.keyMissingProperty().get()).isFalse();
        assertThat(store.kept).singleElement().satisfies(kept -> {
            assertThat(kept.key()).contains(ManagedHost.KEY);
            assertThat(kept.keyNotGiven()).isEmpty();
        });
    }

    @Test
    void theRememberBoxSaysWhereTheKeyGoes() throws Exception {
        dialogs.connections.add(form -> false);
        hosts.connect();
        store.place = KeyPlace.WINDOWS_CREDENTIAL_MANAGER;
        hosts.start();
        dialogs.connections.add(form -> false);
        hosts.connect();
        HostsViewModel koreanHosts = new HostsViewModel(group, RemoteHosts.overHttps(QUICK), store, new I18n(Locale.KOREAN),
                BackgroundExecutor.sameThread(), dialogs, notices, () -> now);
        koreanHosts.start();
        dialogs.connections.add(form -> false);
        koreanHosts.connect();

        assertThat(dialogs.rememberTexts).containsExactly(
                "Remember the key on this computer | The connection is remembered either way. Unticked, the console asks for "
                        + "the key when it starts; ticked, the key is kept in a file only you can read.",
                "Remember the key in the Windows Credential Manager | The connection is remembered either way. Unticked, the "
                        + "console asks for the key when it starts; ticked, the key is kept in the Windows Credential Manager, "
                        + "and connections.json only notes that it is there.",
                "Windows 자격 증명 관리자에 키 저장 | 연결 자체는 항상 저장됩니다. 선택하지 않으면 콘솔이 시작할 때 키를 묻고, 선택하면 "
                        + "Windows 자격 증명 관리자에 키를 보관하며 connections.json에는 키가 그곳에 있다는 표시만 남깁니다.");
    }

    @Test
    void aRolledKeyIsEnteredAgainAndTheHostReconnects() throws Exception {
        branchHost();
        fillIn("branch", managed.url().toString(), ManagedHost.KEY, true);
        hosts.connect();
        managed.validKey.set("the-new-key");
        managed.stopListening();
        managed.listenAgain(managed.certificate());
        waitFor(() -> hosts.host("branch").getState() == State.UNAUTHORIZED);
        HostViewModel branch = hosts.host("branch");
        assertThat(branch.isStale()).isTrue();

        dialogs.keys.add(new DialogService.KeyEntry("still-wrong", true));
        dialogs.keys.add(new DialogService.KeyEntry("the-new-key", true));
        branch.enterKeyCommand().execute();
        assertThat(dialogs.keyErrors).hasSize(2);
        assertThat(dialogs.keyErrors.get(1)).contains("refused issuer owner with this key");
        waitFor(() -> hosts.host("branch").getState() == State.CONNECTED);
        assertThat(store.kept).singleElement().satisfies(kept -> assertThat(kept.key()).contains("the-new-key"));
    }

    @Test
    void removingAHostClosesItsConnectionAndForgetsIt() throws Exception {
        branchHost();
        fillIn("branch", managed.url().toString(), ManagedHost.KEY, true);
        hosts.connect();
        pump();
        HostViewModel branch = hosts.host("branch");
        dialogs.confirmRemoveHost = false;
        branch.removeCommand().execute();
        assertThat(group.hosts()).containsExactly("branch");

        dialogs.confirmRemoveHost = true;
        branch.removeCommand().execute();
        assertThat(group.hosts()).isEmpty();
        assertThat(hosts.hosts()).containsExactly(hosts.own());
        assertThat(store.kept).isEmpty();
        assertThat(notices.latestProperty().get().text()).isEqualTo("branch removed: the console no longer connects to it.");
    }

    @Test
    void anUnavailableEngineIsANoticeOfItsHostWithSinceWhenAndWhyUntilItIsAvailableAgain() {
        long since = java.time.LocalDate.of(2026, 12, 3).atTime(14, 2).atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
        now = since + 60_000;
        hosts.load(new org.sluice.fleet.FleetSnapshot(now, List.of(), java.util.Map.of(
                org.sluice.fleet.ServiceSnapshot.THIS_HOST, org.sluice.lifecycle.EngineStatus.LOCAL)));
        assertThat(hosts.own().engineNoticeProperty().get()).isEmpty();
        assertThat(hosts.engineNotices()).isEmpty();

        org.sluice.lifecycle.EngineStatus down = org.sluice.lifecycle.EngineStatus.unavailable(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES,
                "The Kubernetes API server at https://10.0.0.9:6443 could not be reached: check --kubeconfig", since);
        hosts.apply(List.of(new FleetEvent.EngineStatusChanged("branch", down)));

        String notice = "branch: Kubernetes engine unavailable since 2:02\u202fPM \u2014 "
                + "The Kubernetes API server at https://10.0.0.9:6443 could not be reached: check --kubeconfig";
        assertThat(hosts.host("branch").engineNoticeProperty().get()).isEqualTo(notice);
        assertThat(hosts.host("branch").engineAvailableProperty().get()).isFalse();
        assertThat(hosts.engineNotices()).containsExactly(notice);
        assertThat(notices.all()).extracting(Notice::text).contains(notice);

        english.use(Locale.KOREAN);
        assertThat(hosts.engineNotices()).singleElement().asString().startsWith("branch: 쿠버네티스 엔진을 오후 2:02부터 사용할 수 없습니다");
        assertThat(notices.all()).extracting(Notice::text).anyMatch(text -> text.startsWith("branch: 쿠버네티스 엔진을 오후 2:02부터"));
        english.use(Locale.ENGLISH);
        assertThat(hosts.engineNotices()).containsExactly(notice);

        hosts.apply(List.of(new FleetEvent.EngineStatusChanged("branch",
                org.sluice.lifecycle.EngineStatus.available(org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, since + 120_000))));
        assertThat(hosts.host("branch").engineNoticeProperty().get()).isEmpty();
        assertThat(hosts.host("branch").engineAvailableProperty().get()).isTrue();
        assertThat(hosts.engineNotices()).isEmpty();
        assertThat(notices.all()).extracting(Notice::text).contains("branch: the Kubernetes engine is available again.");
    }

    @Test
    void anEngineUnavailableSinceAnotherDaySaysTheDateInTheLocalesWayAndFollowsTheLanguage() {
        long since = java.time.LocalDate.of(2026, 12, 2).atTime(19, 49).atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
        now = since + 86_400_000L;
        hosts.apply(List.of(new FleetEvent.EngineStatusChanged("branch", org.sluice.lifecycle.EngineStatus.unavailable(
                org.sluice.lifecycle.EngineStatus.Kind.KUBERNETES, "unreachable", since))));

        assertThat(hosts.engineNotices()).containsExactly("branch: Kubernetes engine unavailable since Dec 2, 2026, 7:49\u202fPM \u2014 unreachable");
        english.use(Locale.KOREAN);
        assertThat(hosts.engineNotices()).containsExactly("branch: 쿠버네티스 엔진을 2026. 12. 2. 오후 7:49부터 사용할 수 없습니다 \u2014 unreachable");
    }
}
