package org.sluice.runtime.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.ForwardingInstanceLauncher;
import org.sluice.runtime.Host;
import org.sluice.runtime.HostListener;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceLauncher;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.RoleInstance;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.definition.DefinitionJson;

/** The host's operations and supervision with its instances on Kubernetes (the mock API server). */
@EnableKubernetesMockClient(crud = true)
class KubernetesHostTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private final FakeConnector connector = new FakeConnector();
    private final Pods pods = new Pods(client);
    private final KubernetesInstanceLauncher kubernetes = new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMinutes(10)), connector);
    private final AtomicInteger launches = new AtomicInteger();
    private Host host;

    private static final ServiceDefinition ORDERS = new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/out");

    /** The host with the Kubernetes launcher, counting the instances it asks to launch. */
    private Host host(InstanceLauncher engine, Duration readyTimeout) {
        InstanceLauncher counting = new ForwardingInstanceLauncher(engine) {
            @Override
            public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener)
                    throws IOException {
                launches.incrementAndGet();
                return super.launch(definition, index, suspended, listener);
            }
        };
        host = new Host(counting, new InMemoryJournal(), InstantSource.system(),
                new Host.Settings(readyTimeout, Duration.ofSeconds(2), Duration.ofMillis(50)));
        return host;
    }

    @AfterEach
    void cleanUp() {
        if (host != null) {
            host.close();
        }
        kubernetes.close();
        client.apps().deployments().inNamespace(Pods.NAMESPACE).delete();
        client.configMaps().inNamespace(Pods.NAMESPACE).delete();
        client.secrets().inNamespace(Pods.NAMESPACE).delete();
        client.pods().inNamespace(Pods.NAMESPACE).delete();
    }

    private static OperationRecord ended(Host.Accepted accepted) throws Exception {
        return accepted.completion().get(20, TimeUnit.SECONDS);
    }

    /** Creates ORDERS and plays its pod's part until it is Active. */
    private void createActive(Host h) throws Exception {
        Host.Accepted create = h.create(ORDERS, "test");
        pods.awaitTemplateOf(ORDERS);
        pods.ready(ORDERS, "orders-a", "10.0.0.1");
        assertEquals(Outcome.SUCCEEDED, ended(create).outcome(), () -> ended0(create));
        assertEquals(ServiceState.ACTIVE, h.service("orders").orElseThrow().state());
        pods.awaitIndex("orders-a", 0);
    }

    private static String ended0(Host.Accepted accepted) {
        return accepted.completion().join().error().orElse("");
    }

    @Test
    void aPodKubernetesReplacedIsARestartOfThatInstanceAndTheHostLaunchesNoCopy() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        CompletableFuture<OperationRecord> restarted = new CompletableFuture<>();
        h.addListener(new Operations(record -> {
            if (record.operation() == Operation.INSTANCE_RESTART && record.outcome() != Outcome.RUNNING) {
                restarted.complete(record);
            }
        }));

        pods.delete("orders-a");
        pods.ready(ORDERS, "orders-b", "10.0.0.2");

        OperationRecord restart = restarted.get(20, TimeUnit.SECONDS);
        assertEquals(Outcome.SUCCEEDED, restart.outcome());
        assertEquals(0, restart.crash().orElseThrow().instance());
        assertEquals(1, launches.get());
        pods.awaitIndex("orders-b", 0);
        InstanceView instance = h.service("orders").orElseThrow().instances().getFirst();
        assertEquals(InstanceStatus.RUNNING, instance.status());
        assertEquals(1, instance.crashesInARow());
        assertEquals(1, client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get().getSpec().getReplicas());
    }

    @Test
    void aRunThatExitsBeforeItIsReadyEndsTheRestartUnderWayAndCountsAsAnotherCrash() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        java.util.concurrent.BlockingQueue<OperationRecord> restarts = new java.util.concurrent.LinkedBlockingQueue<>();
        h.addListener(new Operations(record -> {
            if (record.operation() == Operation.INSTANCE_RESTART) {
                restarts.add(record);
            }
        }));

        // The pod goes; the one in its place cannot have its gate opened, so it never counts as ready.
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);
        pods.delete("orders-a");
        OperationRecord first = restarts.poll(20, TimeUnit.SECONDS);
        assertEquals(Outcome.RUNNING, first.outcome());
        assertEquals(1, first.crash().orElseThrow().crashesInARow());
        pods.ready(ORDERS, "orders-b", "10.0.0.2");

        OperationRecord firstEnded = restarts.poll(20, TimeUnit.SECONDS);
        assertEquals(first.requestId(), firstEnded.requestId());
        assertEquals(Outcome.FAILED, firstEnded.outcome());
        assertTrue(firstEnded.error().orElseThrow().contains("exited again before it was ready"), firstEnded.error().orElseThrow());
        OperationRecord second = restarts.poll(20, TimeUnit.SECONDS);
        assertEquals(Outcome.RUNNING, second.outcome());
        assertEquals(2, second.crash().orElseThrow().crashesInARow());

        // Kubernetes restarts the stopped container in its pod; this run takes its gate and is ready.
        pods.put(ORDERS, "orders-b", "10.0.0.2", true, 1, 0);
        OperationRecord secondEnded = restarts.poll(20, TimeUnit.SECONDS);
        assertEquals(second.requestId(), secondEnded.requestId());
        assertEquals(Outcome.SUCCEEDED, secondEnded.outcome());
        InstanceView instance = h.service("orders").orElseThrow().instances().getFirst();
        assertEquals(InstanceStatus.RUNNING, instance.status());
        assertEquals(2, instance.crashesInARow());
        assertEquals(1, launches.get());
    }

    @Test
    void aCreateWhoseFirstRunsGateCannotBeSetFailsAtOnceWithTheProblemAsALocalInstanceThatExitsBeforeReady() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(5));
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);

        Host.Accepted create = h.create(ORDERS, "test");
        pods.awaitTemplateOf(ORDERS);
        pods.ready(ORDERS, "orders-a", "10.0.0.1");

        OperationRecord record = ended(create);
        assertEquals(Outcome.FAILED, record.outcome());
        String error = record.error().orElseThrow();
        assertTrue(error.startsWith("Instance 0 did not start: Instance 0 of orders (run 1, pod orders-a)"), error);
        assertTrue(error.contains("the connection to /10.0.0.1:7400 was reset"), error);
        assertTrue(error.contains("sluice ctl logs orders 0"), error);
        assertEquals(ServiceState.CREATE_FAILED, h.service("orders").orElseThrow().state());
        assertTrue(h.service("orders").orElseThrow().instances().isEmpty());
    }

    @Test
    void aCreateWhosePodKeepsCrashingBeforeItIsReadyFailsAtOnceAsALocalInstanceThatExitsBeforeReady() throws Exception {
        Host h = host(kubernetes, Duration.ofMinutes(5));

        Host.Accepted create = h.create(ORDERS, "test");
        pods.awaitTemplateOf(ORDERS);
        pods.put(ORDERS, "orders-a", "10.0.0.1", false, 0, 0);
        pods.crashLooping(ORDERS, "orders-a", "10.0.0.1", 1, 3);

        OperationRecord record = ended(create);
        assertEquals(Outcome.FAILED, record.outcome());
        assertEquals("Instance 0 did not start: exited with status 3 before it was ready", record.error().orElseThrow());
        assertEquals(ServiceState.CREATE_FAILED, h.service("orders").orElseThrow().state());
        assertTrue(connector.all.isEmpty());
    }

    @Test
    void aPodInPlaceOfAnotherThatKeepsCrashingBeforeItIsReadyCountsItsRestartsAsCrashesInARow() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        h.addListener(new Operations(record -> { }) {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (event != null) {
                    events.add(event);
                }
            }
        });
        createActive(h);

        pods.delete("orders-a");
        assertEquals(1, next(events, InstanceEvent.Restarting.class).attempt());
        pods.crashLooping(ORDERS, "orders-b", "10.0.0.2", 1, 3);
        assertEquals(2, next(events, InstanceEvent.Restarting.class).attempt());
        // Bound to the instance that waits for a pod, and labelled so.
        pods.awaitIndex("orders-b", 0);
        pods.crashLooping(ORDERS, "orders-b", "10.0.0.2", 2, 3);
        assertEquals(3, next(events, InstanceEvent.Restarting.class).attempt());

        // Once it gets as far as ready, it is the instance again.
        pods.put(ORDERS, "orders-b", "10.0.0.2", true, 2, 3);
        next(events, InstanceEvent.Ready.class);
        InstanceView instance = h.service("orders").orElseThrow().instances().getFirst();
        assertEquals(InstanceStatus.RUNNING, instance.status());
        assertEquals(3, instance.crashesInARow());
    }

    @Test
    void anInstanceStillWaitingForItsPodWhenTheCreateFailedIsNotRunWhenOneComes() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(5));
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);
        ServiceDefinition two = ORDERS.withUnits(2);
        Host.Accepted create = h.create(two, "test");
        pods.awaitTemplateOf(two);
        pods.ready(two, "orders-a", "10.0.0.1");
        assertEquals(Outcome.FAILED, ended(create).outcome());

        java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
        kubernetes.whenPodHandled("orders", pod -> {
            if ("orders-b".equals(pod.getMetadata().getName())) {
                handled.countDown();
            }
        });
        pods.ready(two, "orders-b", "10.0.0.2");
        assertTrue(handled.await(10, TimeUnit.SECONDS));

        assertEquals(Optional.empty(), kubernetes.podOf("orders", 1));
        assertTrue(h.service("orders").orElseThrow().instances().isEmpty());
    }

    @Test
    void aScaleWhoseNewInstancesFirstGateCannotBeSetFailsAtOnceWithTheProblem() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(5));
        createActive(h);
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);

        Host.Accepted up = h.scale("orders", 2, "test");
        pods.awaitReplicas("orders", 2);
        pods.ready(ORDERS.withUnits(2), "orders-b", "10.0.0.2");

        OperationRecord record = ended(up);
        assertEquals(Outcome.FAILED, record.outcome());
        String error = record.error().orElseThrow();
        assertTrue(error.startsWith("Instance 1 did not start: Instance 1 of orders (run 1, pod orders-b)"), error);
        assertTrue(error.contains("sluice ctl logs orders 1"), error);
        ServiceView service = h.service("orders").orElseThrow();
        assertEquals(ServiceState.SCALE_FAILED, service.state());
        assertEquals(1, service.definition().units());
        assertEquals(java.util.List.of(InstanceStatus.RUNNING), service.instances().stream().map(InstanceView::status).toList());
    }

    @Test
    void anInstanceWhoseContainerKubernetesKeepsRestartingIsLeftDownAfterTheLimitWithoutItsPodAndARestartBringsItBack()
            throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<OperationRecord> entries = new java.util.concurrent.LinkedBlockingQueue<>();
        h.addListener(new Operations(entries::add) {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (instance.index() == 1 && event != null) {
                    events.add(event);
                }
            }
        });
        ServiceDefinition two = ORDERS.withUnits(2);
        Host.Accepted create = h.create(two, "test");
        pods.awaitTemplateOf(two);
        pods.ready(two, "orders-a", "10.0.0.1");
        pods.ready(two, "orders-b", "10.0.0.2");
        assertEquals(Outcome.SUCCEEDED, ended(create).outcome(), () -> ended0(create));
        pods.awaitIndex("orders-b", 1);
        FakeConnector.Connection b = connector.all.stream().filter(c -> c.index == 1).findFirst().orElseThrow();

        // Instance 1's process ends, and the kubelet restarts its container again and again; no run gets as far as ready.
        b.exit(1);
        assertEquals(1, next(events, InstanceEvent.Restarting.class).attempt());
        // The first restart the kubelet reports is of the run that ended; each one after is a run that ended before it was ready.
        pods.put(two, "orders-b", "10.0.0.2", false, 1, 1);
        for (int restarts = 2; restarts <= org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW + 1; restarts++) {
            pods.put(two, "orders-b", "10.0.0.2", false, restarts, 1);
            if (restarts <= org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW) {
                assertEquals(restarts, next(events, InstanceEvent.Restarting.class).attempt());
            }
        }

        assertEquals(org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW + 1, next(events, InstanceEvent.GaveUp.class).crashes());
        OperationRecord leftDown = null;
        while (leftDown == null) {
            OperationRecord entry = entries.poll(10, TimeUnit.SECONDS);
            assertTrue(entry != null, "no Instance left down entry");
            leftDown = entry.operation() == Operation.INSTANCE_LEFT_DOWN ? entry : null;
        }
        assertEquals(Outcome.FAILED, leftDown.outcome());
        assertEquals(1, leftDown.crash().orElseThrow().instance());
        assertEquals(org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW + 1, leftDown.crash().orElseThrow().crashesInARow());
        assertEquals("Instance 1 exited " + (org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW + 1)
                + " times in a row and is left down; Start or Restart the service to run it again", leftDown.error().orElseThrow());
        // Kubernetes stops restarting it: its pod goes and the Deployment keeps no room for it; instance 0 runs on.
        client.pods().inNamespace(Pods.NAMESPACE).withName("orders-b").waitUntilCondition(java.util.Objects::isNull, 10, TimeUnit.SECONDS);
        pods.awaitReplicas("orders", 1);
        assertEquals(java.util.List.of(InstanceStatus.RUNNING, InstanceStatus.FAILED),
                h.service("orders").orElseThrow().instances().stream().map(InstanceView::status).toList());
        assertEquals(2, connector.all.size());

        // A Restart runs it again.
        Host.Accepted restart = h.perform("orders", Operation.RESTART, "test");
        pods.awaitReplicas("orders", 2);
        pods.ready(two, "orders-c", "10.0.0.3");
        assertEquals(Outcome.SUCCEEDED, ended(restart).outcome(), () -> ended0(restart));
        pods.awaitIndex("orders-c", 1);
        assertEquals(java.util.List.of(InstanceStatus.RUNNING, InstanceStatus.RUNNING),
                h.service("orders").orElseThrow().instances().stream().map(InstanceView::status).toList());
    }

    @Test
    void anInstanceAHostRestartGaveUpOnLosesItsPodAndItsRoomAsACrashLoopGivenUpOnDoesAndARestartBringsItBack() throws Exception {
        // The host ran orders before it stopped; meanwhile the kubelet went on restarting its container.
        InMemoryJournal journal = new InMemoryJournal();
        journal.saveService(org.sluice.runtime.store.StoredService.resting(ORDERS, ServiceState.ACTIVE, System.currentTimeMillis()));
        pods.crashLooping(ORDERS, "orders-a", "10.0.0.1", 4, 3);
        host = new Host(kubernetes, journal, InstantSource.system(),
                new Host.Settings(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(10)));
        java.util.concurrent.BlockingQueue<InstanceEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<OperationRecord> entries = new java.util.concurrent.LinkedBlockingQueue<>();
        host.addListener(new Operations(entries::add) {
            @Override
            public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                if (event != null) {
                    events.add(event);
                }
            }
        });

        host.open();

        // Each try fails at once while the pod crash-loops; after the last, the words are those of the local engine's give-up.
        InstanceEvent.GaveUp gaveUp = next(events, InstanceEvent.GaveUp.class);
        assertEquals(org.sluice.lifecycle.RestartCause.HOST_RESTART, gaveUp.cause());
        assertEquals(org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW + 1, gaveUp.crashes());
        OperationRecord leftDown = null;
        while (leftDown == null) {
            OperationRecord entry = entries.poll(10, TimeUnit.SECONDS);
            assertTrue(entry != null, "no Instance left down entry");
            leftDown = entry.operation() == Operation.INSTANCE_LEFT_DOWN ? entry : null;
        }
        assertEquals(Outcome.FAILED, leftDown.outcome());
        assertEquals(org.sluice.lifecycle.RestartCause.HOST_RESTART, leftDown.crash().orElseThrow().cause());
        assertEquals("Instance 0 did not start: exited with status 3 before it was ready; after "
                + (org.sluice.lifecycle.RestartCause.MAX_TRIES_IN_A_ROW + 1) + " tries since the host started, the instances are left "
                + "down: Start or Restart the service to run it again", leftDown.error().orElseThrow());

        // Kubernetes stops restarting it, as after a crash loop given up on: its pod goes and the Deployment keeps no room for it.
        client.pods().inNamespace(Pods.NAMESPACE).withName("orders-a").waitUntilCondition(java.util.Objects::isNull, 10, TimeUnit.SECONDS);
        pods.awaitReplicas("orders", 0);
        assertEquals(Optional.empty(), kubernetes.podOf("orders", 0));
        assertEquals(java.util.List.of(InstanceStatus.FAILED),
                host.service("orders").orElseThrow().instances().stream().map(InstanceView::status).toList());
        assertTrue(connector.all.isEmpty());

        // A Restart runs it again.
        Host.Accepted restart = host.perform("orders", Operation.RESTART, "test");
        pods.awaitReplicas("orders", 1);
        pods.ready(ORDERS, "orders-b", "10.0.0.2");
        assertEquals(Outcome.SUCCEEDED, ended(restart).outcome(), () -> ended0(restart));
        pods.awaitIndex("orders-b", 0);
        assertEquals(java.util.List.of(InstanceStatus.RUNNING),
                host.service("orders").orElseThrow().instances().stream().map(InstanceView::status).toList());
    }

    private static <T extends InstanceEvent> T next(java.util.concurrent.BlockingQueue<InstanceEvent> events, Class<T> kind)
            throws InterruptedException {
        for (;;) {
            InstanceEvent event = events.poll(10, TimeUnit.SECONDS);
            assertTrue(event != null, "no " + kind.getSimpleName() + " within 10 s");
            if (kind.isInstance(event)) {
                return kind.cast(event);
            }
        }
    }

    private String templateHash() {
        return client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(KubernetesInstanceLauncher.HASH_ANNOTATION);
    }

    @Test
    void scaleChangesTheReplicasWithoutARolloutAndStopsTheSurplusFirst() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        String template = templateHash();

        Host.Accepted up = h.scale("orders", 2, "test");
        pods.awaitReplicas("orders", 2);
        pods.ready(ORDERS.withUnits(2), "orders-b", "10.0.0.2");
        assertEquals(Outcome.SUCCEEDED, ended(up).outcome());
        assertEquals(template, templateHash());
        assertEquals(2, connector.all.size());
        pods.awaitIndex("orders-b", 1);

        assertEquals(Outcome.SUCCEEDED, ended(h.scale("orders", 1, "test")).outcome());
        assertEquals(1, client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get().getSpec().getReplicas());
        // Each pod's process starts suspended and is resumed once the host has connected to it.
        assertEquals(java.util.List.of("resume", "stop"), connector.all.get(1).asked);
        assertEquals(java.util.List.of("resume"), connector.all.get(0).asked);
        assertEquals(1, h.service("orders").orElseThrow().instances().size());
    }

    @Test
    void suspendAndResumeGoThroughTheInstancesConnection() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        assertEquals(Outcome.SUCCEEDED, ended(h.perform("orders", Operation.SUSPEND, "test")).outcome());
        assertEquals(ServiceState.SUSPENDED, h.service("orders").orElseThrow().state());
        assertEquals(Outcome.SUCCEEDED, ended(h.perform("orders", Operation.RESUME, "test")).outcome());
        assertEquals(java.util.List.of("resume", "suspend", "resume"), connector.all.getFirst().asked);
    }

    @Test
    void aSuspendTheInstanceDoesNotConfirmLandsSuspendFailedWithItsReason() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        connector.gateFails = true;

        OperationRecord record = ended(h.perform("orders", Operation.SUSPEND, "test"));

        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().orElseThrow().contains("the connection to /10.0.0.1:7400 was reset"), record.error().orElseThrow());
        assertEquals(ServiceState.SUSPEND_FAILED, h.service("orders").orElseThrow().state());
    }

    @Test
    void restartStopsThenRunsTheInstancesAgainInTheirPods() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);

        Host.Accepted restart = h.perform("orders", Operation.RESTART, "test");

        assertEquals(Outcome.SUCCEEDED, ended(restart).outcome(), () -> ended0(restart));
        assertEquals(java.util.List.of("resume", "stop"), connector.all.getFirst().asked);
        assertEquals(2, connector.all.size());
        assertEquals(1, client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get().getSpec().getReplicas());
        assertEquals(InstanceStatus.RUNNING, h.service("orders").orElseThrow().instances().getFirst().status());
    }

    @Test
    void anUpdateRollsOutTheNewConfigMapAndTemplate() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        ServiceDefinition bigger = new ServiceDefinition("orders", 1, 1, 512, Validation.NONE, null, null, "dir:/tmp/out");

        Host.Accepted update = h.updateConfiguration("orders", bigger, "test");
        pods.awaitTemplateOf(bigger);
        pods.delete("orders-a");
        pods.ready(bigger, "orders-b", "10.0.0.2");

        assertEquals(Outcome.SUCCEEDED, ended(update).outcome());
        assertEquals(DefinitionJson.write(bigger), client.configMaps().inNamespace(Pods.NAMESPACE)
                .withName("sluice-orders-definition").get().getData().get("definition.json"));
        assertEquals(ServiceState.ACTIVE, h.service("orders").orElseThrow().state());
    }

    @Test
    void aStopThatReplacesAnInstanceKubernetesIsRestartingEndsThatRestartAsNotRestarted() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        CompletableFuture<OperationRecord> restartEnded = new CompletableFuture<>();
        CompletableFuture<OperationRecord> restartBegun = new CompletableFuture<>();
        h.addListener(new Operations(record -> {
            if (record.operation() == Operation.INSTANCE_RESTART) {
                (record.outcome() == Outcome.RUNNING ? restartBegun : restartEnded).complete(record);
            }
        }));
        pods.delete("orders-a");
        restartBegun.get(10, TimeUnit.SECONDS);

        assertEquals(Outcome.SUCCEEDED, ended(h.perform("orders", Operation.STOP, "test")).outcome());

        OperationRecord restart = restartEnded.get(10, TimeUnit.SECONDS);
        assertEquals(Outcome.FAILED, restart.outcome());
        assertTrue(restart.error().orElseThrow().startsWith("Not started again"), restart.error().orElseThrow());
    }

    @Test
    void aRefusedStopLandsStopFailedNamingThePermission() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        server.expect().patch().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments/sluice-orders")
                .andReturn(403, Pods.FORBIDDEN).once();

        OperationRecord record = ended(h.perform("orders", Operation.STOP, "test"));

        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().orElseThrow().contains("the 'patch' permission on 'deployments'"), record.error().orElseThrow());
        assertEquals(ServiceState.STOP_FAILED, h.service("orders").orElseThrow().state());
    }

    @Test
    void aRefusedDeleteKeepsTheServiceAndNamesThePermission() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        server.expect().delete().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments/sluice-orders")
                .andReturn(403, Pods.FORBIDDEN).once();

        OperationRecord record = ended(h.perform("orders", Operation.DELETE, "test"));

        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().orElseThrow().contains("the 'delete' permission on 'deployments'"), record.error().orElseThrow());
        assertTrue(h.service("orders").isPresent());
    }

    @Test
    void aRefusedCreateLandsCreateFailed() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        server.expect().post().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/secrets").andReturn(403, Pods.FORBIDDEN).once();

        OperationRecord record = ended(h.create(ORDERS, "test"));

        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().orElseThrow().contains("the 'create' permission on 'secrets'"), record.error().orElseThrow());
        assertEquals(ServiceState.CREATE_FAILED, h.service("orders").orElseThrow().state());
    }

    @Test
    void stopTakesTheReplicasToZeroAndDeleteRemovesEverything() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);

        assertEquals(Outcome.SUCCEEDED, ended(h.perform("orders", Operation.STOP, "test")).outcome());
        assertEquals(0, client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get().getSpec().getReplicas());
        assertEquals(ServiceState.STOPPED, h.service("orders").orElseThrow().state());

        assertEquals(Outcome.SUCCEEDED, ended(h.perform("orders", Operation.DELETE, "test")).outcome());
        assertNull(client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get());
        assertNull(client.configMaps().inNamespace(Pods.NAMESPACE).withName("sluice-orders-definition").get());
        assertNull(client.secrets().inNamespace(Pods.NAMESPACE).withName("sluice-orders-token").get());
    }

    @Test
    void anUpdateWhosePodNeverGetsReadyFailsBackToThePreviousTemplateAndConfigMap() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(3));
        createActive(h);
        ServiceDefinition bigger = new ServiceDefinition("orders", 1, 1, 512, Validation.NONE, null, null, "dir:/tmp/out");

        Host.Accepted update = h.updateConfiguration("orders", bigger, "test");
        pods.awaitTemplateOf(bigger);
        // What the Deployment controller does: the old pod goes, a new one comes and is never ready.
        pods.delete("orders-a");
        pods.put(bigger, "orders-b", "10.0.0.2", false, 0, 0);
        pods.awaitTemplateOf(ORDERS);
        pods.ready(ORDERS, "orders-c", "10.0.0.3");

        OperationRecord record = ended(update);
        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().orElseThrow().contains("did not become ready within 3 s; its log says why"), record.error().orElseThrow());
        assertTrue(record.error().orElseThrow().contains("sluice ctl logs orders 0"), record.error().orElseThrow());
        ServiceView service = h.service("orders").orElseThrow();
        assertEquals(ServiceState.CONFIG_UPDATE_FAILED, service.state());
        assertEquals(ORDERS, service.definition());
        assertEquals(DefinitionJson.write(ORDERS), client.configMaps().inNamespace(Pods.NAMESPACE)
                .withName("sluice-orders-definition").get().getData().get("definition.json"));
        assertEquals(InstanceStatus.RUNNING, service.instances().getFirst().status());
    }

    @Test
    void aRefusedScaleLandsScaleFailedNamingThePermission() throws Exception {
        Host h = host(kubernetes, Duration.ofSeconds(10));
        createActive(h);
        server.expect().patch().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/configmaps/sluice-orders-definition")
                .andReturn(403, Pods.FORBIDDEN)
                .once();

        OperationRecord record = ended(h.scale("orders", 2, "test"));

        assertEquals(Outcome.FAILED, record.outcome());
        assertTrue(record.error().orElseThrow().contains("the 'patch' permission on 'configmaps' there"), record.error().orElseThrow());
        assertEquals(ServiceState.SCALE_FAILED, h.service("orders").orElseThrow().state());
    }

    @Test
    void anUnreachableApiServerFailsOperationsWithTheReasonAndLosesNothing() throws Exception {
        KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build();
        try (KubernetesInstanceLauncher unreachable = new KubernetesInstanceLauncher(nowhere, Pods.settings(Duration.ofMinutes(10)), connector)) {
            Host h = host(unreachable, Duration.ofSeconds(10));
            OperationRecord create = ended(h.create(ORDERS, "test"));
            assertEquals(Outcome.FAILED, create.outcome());
            assertTrue(create.error().orElseThrow().contains("could not be reached"), create.error().orElseThrow());

            // The host is still up, the service and its definition are still there, and the log has the failure.
            assertEquals(Optional.of(ORDERS), h.service("orders").map(ServiceView::definition));
            assertEquals(create, h.operation(create.requestId()).orElseThrow());
            // A Delete that cannot remove the service's objects fails too, and keeps the service.
            OperationRecord delete = ended(h.perform("orders", Operation.DELETE, "test"));
            assertEquals(Outcome.FAILED, delete.outcome());
            assertTrue(delete.error().orElseThrow().contains("could not be reached"), delete.error().orElseThrow());
            assertTrue(h.service("orders").isPresent());
        } finally {
            nowhere.close();
        }
    }

    /** Hears only the operations. */
    private static class Operations implements HostListener {
        private final java.util.function.Consumer<OperationRecord> each;

        Operations(java.util.function.Consumer<OperationRecord> each) {
            this.each = each;
        }

        @Override
        public void serviceChanged(ServiceView service) {
        }

        @Override
        public void serviceRemoved(String name) {
        }

        @Override
        public void operationProgress(OperationRecord record) {
            each.accept(record);
        }

        @Override
        public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
        }
    }
}
