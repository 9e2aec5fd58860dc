package org.sluice.runtime.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.RoleInstance;
import org.sluice.runtime.definition.DefinitionJson;

@EnableKubernetesMockClient(crud = true)
class KubernetesInstanceLauncherTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private final FakeConnector connector = new FakeConnector();
    private final Pods pods = new Pods(client);
    private volatile long now = 1_000;
    private KubernetesInstanceLauncher launcher = new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMinutes(10)), connector,
            () -> java.time.Instant.ofEpochMilli(now));
    private final List<EngineStatus> statuses = new CopyOnWriteArrayList<>();
    private final List<InstanceEvent> events = new CopyOnWriteArrayList<>();
    /** Counts down on each Ready the instances say, after it is in {@link #events}. */
    private final java.util.concurrent.Semaphore readies = new java.util.concurrent.Semaphore(0);
    private final org.sluice.runtime.InstanceListener recorder = event -> {
        events.add(event);
        if (event instanceof InstanceEvent.Ready) {
            readies.release();
        }
    };

    /** Waits until {@code connection} has been asked {@code word}. */
    private static void awaitHeard(FakeConnector.Connection connection, String word) throws InterruptedException {
        for (String heard; !word.equals(heard = connection.heard.poll(10, TimeUnit.SECONDS)); ) {
            assertNotNull(heard, "never asked to " + word + ": " + connection.asked);
        }
    }

    private void awaitReadies(int count) throws InterruptedException {
        assertTrue(readies.tryAcquire(count, 10, TimeUnit.SECONDS), "Ready said fewer than " + count + " times: " + events);
    }

    /** The launcher's recheck of an unavailable engine: one pod of any service, the cheapest list the Role allows. */
    private static final String PROBE = "/api/v1/namespaces/" + Pods.NAMESPACE + "/pods?labelSelector=sluice.org%2Fservice&limit=1";

    private static ServiceDefinition orders(int units) {
        return new ServiceDefinition("orders", units, 2, 300, Validation.NONE, null, null, "dir:/tmp/out");
    }

    @AfterEach
    void cleanUp() throws IOException {
        launcher.close();
        client.apps().deployments().inNamespace(Pods.NAMESPACE).delete();
        client.configMaps().inNamespace(Pods.NAMESPACE).delete();
        client.secrets().inNamespace(Pods.NAMESPACE).delete();
        client.pods().inNamespace(Pods.NAMESPACE).delete();
    }

    @Test
    void podsReachTheHostsFrontDoorOnlyAtTheAddressTheHostWasGivenForThem() throws IOException {
        assertTrue(launcher.frontDoorForInstances("http://127.0.0.1:7070").isEmpty(),
                "a pod cannot reach the host's loopback address, and no cluster address was given");

        try (KubernetesInstanceLauncher withDoor = new KubernetesInstanceLauncher(client,
                Pods.settings(Duration.ofMinutes(10)).withDoor("http://sluice-door.sluice.svc:7070"), connector)) {
            assertEquals(java.util.Optional.of("http://sluice-door.sluice.svc:7070"), withDoor.frontDoorForInstances("http://127.0.0.1:7070"));
        }
    }

    @Test
    void aServiceBecomesAConfigMapASecretAndADeploymentWithComputedLimits() throws IOException {
        ServiceDefinition definition = orders(2);
        launcher.launch(definition, 0, false, recorder);

        ConfigMap map = client.configMaps().inNamespace(Pods.NAMESPACE).withName("sluice-orders-definition").get();
        assertEquals(DefinitionJson.write(definition), map.getData().get("definition.json"));
        Secret secret = client.secrets().inNamespace(Pods.NAMESPACE).withName("sluice-orders-token").get();
        String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
        assertTrue(token.length() >= 40, token);

        Deployment deployment = client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get();
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals("orders", deployment.getSpec().getSelector().getMatchLabels().get(KubernetesInstanceLauncher.SERVICE_LABEL));
        assertEquals(Pods.hashOf(definition), deployment.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(KubernetesInstanceLauncher.HASH_ANNOTATION));
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals(new Quantity(new PodMemory(300, 2).limitMb() + "Mi"), container.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("2"), container.getResources().getLimits().get("cpu"));
        assertNotNull(container.getReadinessProbe().getTcpSocket());
        EnvVar tokenVariable = container.getEnv().stream()
                .filter(e -> e.getName().equals(org.sluice.runtime.instance.InstanceProcess.TOKEN_VARIABLE)).findFirst().orElseThrow();
        assertEquals("sluice-orders-token", tokenVariable.getValueFrom().getSecretKeyRef().getName());
        // The image's entry point is `sluice instance`: the pod says how, in the network transport on the probed port,
        // suspended until the host has connected to it.
        assertEquals(java.util.List.of("--definition", "/etc/sluice/definition.json", "--index", "0", "--work", "/tmp/work",
                "--transport", "network", "--bind", "0.0.0.0", "--port", Integer.toString(KubernetesInstanceLauncher.PROTOCOL_PORT),
                "--suspended"),
                container.getArgs());
        // A read-only root with a writable /tmp, no privileges.
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.TRUE, container.getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(java.util.List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/tmp", container.getVolumeMounts().stream().filter(m -> m.getName().equals("tmp")).findFirst().orElseThrow()
                .getMountPath());
        EnvVar options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow();
        assertEquals(String.join(" ", new PodMemory(300, 2).jvmOptions()), options.getValue());
    }

    @Test
    void readyPodsAreBoundToTheLowestWaitingNumbersLabelledAndConnectedWithTheToken() throws Exception {
        ServiceDefinition definition = orders(2);
        RoleInstance first = launcher.launch(definition, 0, false, recorder);
        RoleInstance second = launcher.launch(definition, 1, false, recorder);
        pods.put(definition, "orders-a", "10.0.0.1", false, 0, 0);
        pods.ready(definition, "orders-b", "10.0.0.2");

        FakeConnector.Connection connection = connector.next();
        assertEquals(0, connection.index);
        assertEquals(new InetSocketAddress("10.0.0.2", KubernetesInstanceLauncher.PROTOCOL_PORT), connection.address);
        String token = new String(Base64.getDecoder().decode(client.secrets().inNamespace(Pods.NAMESPACE)
                .withName("sluice-orders-token").get().getData().get("token")), StandardCharsets.UTF_8);
        assertEquals(token, connection.token);
        assertEquals(KubernetesInstanceLauncher.PROTOCOL_PORT, first.ready().get(10, TimeUnit.SECONDS));
        pods.awaitIndex("orders-b", 0);
        assertFalse(second.ready().isDone());

        pods.ready(definition, "orders-a", "10.0.0.1");
        assertEquals(1, connector.next().index);
        second.ready().get(10, TimeUnit.SECONDS);
        // Kubernetes removes the pods of the highest numbers first when the replicas go down.
        assertEquals("-1", pods.awaitIndex("orders-a", 1).getMetadata().getAnnotations().get(KubernetesInstanceLauncher.DELETION_COST));
    }

    @Test
    void aPodOfAnotherDefinitionIsNotBound() throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        CountDownLatch seen = new CountDownLatch(1);
        launcher.whenPodHandled("orders", pod -> seen.countDown());
        pods.ready(new ServiceDefinition("orders", 1, 2, 400, Validation.NONE, null, null, "dir:/tmp/out"), "orders-old", "10.0.0.9");
        assertTrue(seen.await(10, TimeUnit.SECONDS));
        assertFalse(instance.ready().isDone());
        assertTrue(connector.all.isEmpty());
    }

    @Test
    void aPodDeletedAndReplacedIsTheSameInstanceExitingAndReadyAgain() throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        FakeConnector.Connection before = connector.next();

        pods.delete("orders-a");
        pods.ready(definition, "orders-b", "10.0.0.2");
        FakeConnector.Connection after = connector.next();
        awaitReadies(2);

        assertEquals(0, after.index);
        assertEquals(new InetSocketAddress("10.0.0.2", KubernetesInstanceLauncher.PROTOCOL_PORT), after.address);
        assertTrue(before.asked.contains("kill") || !before.isAlive());
        pods.awaitIndex("orders-b", 0);
        assertEquals(3, events.size(), events.toString());
        assertInstanceOf(InstanceEvent.Ready.class, events.get(0));
        assertEquals(new InstanceEvent.Exited(-1, false), events.get(1));
        assertInstanceOf(InstanceEvent.Ready.class, events.get(2));
        assertEquals(new InetSocketAddress("10.0.0.2", KubernetesInstanceLauncher.PROTOCOL_PORT), instance.address().orElseThrow());
    }

    /** Instance 0 of a service of one unit, bound to {@code pod}, whose container then exits with 137 and Kubernetes restarts it. */
    private void launchAndRestartInItsPod(String pod) throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, pod, "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        FakeConnector.Connection before = connector.next();
        pods.awaitIndex(pod, 0);

        // The process exits; its connection says so, then the kubelet restarts the container.
        before.exit(137);
        pods.put(definition, pod, "10.0.0.1", false, 1, 137);
        pods.put(definition, pod, "10.0.0.1", true, 1, 137);
        awaitReadies(2);
    }

    @Test
    void aContainerRestartedInItsPodIsTheInstanceExitingOnceAndReadyAgain() throws Exception {
        launchAndRestartInItsPod("orders-a");

        assertEquals(List.of(InstanceEvent.Ready.class, InstanceEvent.Exited.class, InstanceEvent.Ready.class),
                events.stream().map(Object::getClass).toList(), events.toString());
        assertEquals(new InstanceEvent.Exited(137, false), events.get(1));
    }

    @Test
    void anInstancesLogIsItsPodsContainerLogInWholeLinesAndAnUnboundInstanceHasNone() throws Exception {
        ServiceDefinition definition = orders(1);
        assertEquals("", launcher.log("orders", 0, org.sluice.lifecycle.InstanceLog.Run.CURRENT, -1, 1024).text());
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        pods.awaitIndex("orders-a", 0);
        server.expect().get().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/pods/orders-a/log?pretty=false&container=instance")
                .andReturn(200, "instance 0 ready on port 7400\ninstance 0 throttled\nhalf a li").always();

        org.sluice.lifecycle.InstanceLog whole = launcher.log("orders", 0, org.sluice.lifecycle.InstanceLog.Run.CURRENT, -1, 1024);
        assertEquals("instance 0 ready on port 7400\ninstance 0 throttled\n", whole.text(), "whole lines; the last waits for its end");
        org.sluice.lifecycle.InstanceLog onward = launcher.log("orders", 0, org.sluice.lifecycle.InstanceLog.Run.CURRENT, whole.next(), 1024);
        assertEquals("", onward.text());
        assertEquals(whole.next(), onward.next());
        assertEquals("", launcher.log("orders", 1, org.sluice.lifecycle.InstanceLog.Run.CURRENT, -1, 1024).text(),
                "no pod is bound to instance 1");

        org.sluice.lifecycle.InstanceLog noPrevious = launcher.log("orders", 0, org.sluice.lifecycle.InstanceLog.Run.PREVIOUS, -1, 1024);
        assertEquals("", noPrevious.text(), "a container that never restarted has no run before");
        assertFalse(noPrevious.previousKept());
        assertFalse(whole.previousKept());
    }

    @Test
    void aRestartedContainersPreviousRunHasItsLogToo() throws Exception {
        launchAndRestartInItsPod("orders-r");
        String path = "/api/v1/namespaces/" + Pods.NAMESPACE + "/pods/orders-r/log?pretty=false&container=instance";
        server.expect().get().withPath(path).andReturn(200, "instance 0 ready again\n").always();
        server.expect().get().withPath(path + "&previous=true").andReturn(200, "instance 0 out of memory\n").always();

        org.sluice.lifecycle.InstanceLog current = launcher.log("orders", 0, org.sluice.lifecycle.InstanceLog.Run.CURRENT, -1, 1024);
        org.sluice.lifecycle.InstanceLog previous = launcher.log("orders", 0, org.sluice.lifecycle.InstanceLog.Run.PREVIOUS, -1, 1024);

        assertEquals("instance 0 ready again\n", current.text());
        assertTrue(current.previousKept(), "the Log tab offers the run before");
        assertEquals("instance 0 out of memory\n", previous.text(), "the run Kubernetes restarted, as it keeps it");
    }

    @Test
    void anInformerResyncChangesNothing() throws Exception {
        launcher.close();
        launcher = new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMillis(200)), connector);
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        pods.awaitIndex("orders-a", 0);

        // Each resync hands the same pod again; several must pass without a word to the host.
        CountDownLatch resyncs = new CountDownLatch(3);
        launcher.whenPodHandled("orders", pod -> resyncs.countDown());
        assertTrue(resyncs.await(10, TimeUnit.SECONDS));

        assertEquals(1, connector.all.size());
        assertEquals(1, events.size(), events.toString());
    }

    @Test
    void suspendAndResumeGoThroughTheConnectionNotARollout() throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        String version = client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get()
                .getMetadata().getResourceVersion();

        instance.suspend().get(10, TimeUnit.SECONDS);
        instance.resume().get(10, TimeUnit.SECONDS);

        assertEquals(List.of("resume", "suspend", "resume"), connector.next().asked);
        assertEquals(version, client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get()
                .getMetadata().getResourceVersion());
    }

    @Test
    void anInstanceLaunchedSuspendedIsSuspendedInItsPodBeforeItCountsAsReady() throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, true, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("suspend"), connector.next().asked);
    }

    @Test
    void anInstanceNotSuspendedIsResumedInItsPodBeforeItCountsAsReady() throws Exception {
        // Its pod's process starts suspended (so does a container Kubernetes restarts): the host opens its gate.
        connector.gateAnswer = new CompletableFuture<>();
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");

        assertEquals("resume", connector.next().heard.poll(10, TimeUnit.SECONDS));
        assertFalse(instance.ready().isDone(), "ready before its gate was opened");
        connector.gateAnswer.complete(null);
        instance.ready().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aResumeOfANewRunThatFailsIsTriedAgainBeforeTheInstanceCountsAsReady() throws Exception {
        // Left closed, the run of an Active service would refuse every message the door sent it.
        connector.resumesFailing.set(1);
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");

        instance.ready().get(10, TimeUnit.SECONDS);

        assertEquals(List.of("resume", "resume"), connector.next().asked);
    }

    @Test
    void aFirstRunWhoseGateCannotBeSetIsAProblemExitsAndFailsTheLaunchWithItAndIsAskedToStop() throws Exception {
        // Counted as ready with its gate closed, an Active service's instance would refuse every message.
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        FakeConnector.Connection connection = connector.next();

        awaitHeard(connection, "stop");
        assertEquals(List.of("resume", "resume", "resume", "stop"), connection.asked);

        // As a child JVM that exits before it is ready: the launch fails with the problem told.
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> instance.ready().get(10, TimeUnit.SECONDS));
        assertEquals(2, events.size(), events.toString());
        String problem = assertInstanceOf(InstanceEvent.Problem.class, events.get(0)).message();
        assertTrue(problem.contains("Instance 0 of orders") && problem.contains("run 1") && problem.contains("pod orders-a")
                && problem.contains("the connection to /10.0.0.1:7400 was reset") && problem.contains("sluice ctl logs orders 0"),
                problem);
        assertEquals(problem, failed.getCause().getMessage());
        assertEquals(new InstanceEvent.Exited(-1, false), events.get(1));
        assertTrue(instance.address().isEmpty());

        // The host runs it no more: the container Kubernetes restarts is not connected to.
        CountDownLatch restartSeen = new CountDownLatch(1);
        launcher.whenPodHandled("orders", pod -> {
            if (ServicePods.restarts(pod) == 1) {
                restartSeen.countDown();
            }
        });
        pods.put(definition, "orders-a", "10.0.0.1", true, 1, 0);
        assertTrue(restartSeen.await(10, TimeUnit.SECONDS));
        assertEquals(1, connector.all.size());
        assertEquals(2, events.size(), events.toString());
    }

    /**
     * Instance 0, ready in pod orders-a; its process then ends, and the run in the container
     * Kubernetes restarts cannot have its gate set.
     */
    private RoleInstance readyThenARunWhoseGateFails(ServiceDefinition definition) throws Exception {
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        FakeConnector.Connection first = connector.next();
        pods.awaitIndex("orders-a", 0);
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);
        first.exit(1);
        pods.put(definition, "orders-a", "10.0.0.1", true, 1, 1);
        return instance;
    }

    @Test
    void aLaterRunWhoseGateCannotBeSetIsAProblemAndExitsAndIsAskedToStop() throws Exception {
        RoleInstance instance = readyThenARunWhoseGateFails(orders(1));
        FakeConnector.Connection second = connector.next();

        awaitHeard(second, "stop");
        assertEquals(List.of("resume", "resume", "resume", "stop"), second.asked);
        assertEquals(List.of(InstanceEvent.Ready.class, InstanceEvent.Exited.class, InstanceEvent.Problem.class,
                InstanceEvent.Exited.class), events.stream().map(Object::getClass).toList(), events.toString());
        String problem = ((InstanceEvent.Problem) events.get(2)).message();
        assertTrue(problem.contains("run 2") && problem.contains("it is stopped and started again"), problem);
        assertEquals(new InstanceEvent.Exited(-1, false), events.get(3));
        assertTrue(instance.address().isEmpty());
    }

    @Test
    void aRunWhoseGateFailedAndThatDoesNotEndInTimeHasItsPodDeletedAndTheNextPodRunsTheInstance() throws Exception {
        launcher.gateStopWait(Duration.ofMillis(200));
        connector.stopHangs = true;
        ServiceDefinition definition = orders(1);
        RoleInstance instance = readyThenARunWhoseGateFails(definition);

        client.pods().inNamespace(Pods.NAMESPACE).withName("orders-a").waitUntilCondition(java.util.Objects::isNull, 10, TimeUnit.SECONDS);
        assertTrue(connector.next().asked.contains("stop"));

        // The Deployment puts another pod in its place: it runs the same instance.
        connector.stopHangs = false;
        pods.ready(definition, "orders-b", "10.0.0.2");
        awaitReadies(2);
        assertEquals(new InetSocketAddress("10.0.0.2", KubernetesInstanceLauncher.PROTOCOL_PORT), instance.address().orElseThrow());
    }

    @Test
    void aRunWhoseGateFailedAndWhoseConnectionIsLostHasItsPodDeletedAtOnce() throws Exception {
        // Far longer than the test waits: only the lost connection can have the pod deleted.
        launcher.gateStopWait(Duration.ofMinutes(5));
        connector.resumesFailing.set(ServicePods.GATE_ATTEMPTS);
        connector.stopStatus = -1;
        ServiceDefinition definition = orders(1);
        launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");

        client.pods().inNamespace(Pods.NAMESPACE).withName("orders-a").waitUntilCondition(java.util.Objects::isNull, 10, TimeUnit.SECONDS);
    }

    @Test
    void aRunWhoseGateFailedAndThatEndsWhenAskedKeepsItsPodForKubernetesToRestart() throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = readyThenARunWhoseGateFails(definition);
        awaitHeard(connector.next(), "stop");

        // The kubelet restarts the ended container in its pod: the new run is connected to and opened.
        pods.put(definition, "orders-a", "10.0.0.1", true, 2, 0);
        awaitReadies(2);
        assertEquals(3, connector.all.size());
        assertEquals(List.of("resume"), connector.all.get(2).asked);
        assertTrue(client.pods().inNamespace(Pods.NAMESPACE).withName("orders-a").get() != null);
        assertTrue(instance.address().isPresent());
    }

    @Test
    void eachContainerRestartOfARunTheHostNeverReachedIsAnotherExit() throws Exception {
        ServiceDefinition definition = orders(1);
        launchAndRestartInItsPod("orders-a");
        FakeConnector.Connection second = connector.all.get(1);

        // The new run ends too, and the kubelet restarts its container twice more before the pod is ready again.
        second.exit(1);
        pods.put(definition, "orders-a", "10.0.0.1", false, 2, 1);
        pods.put(definition, "orders-a", "10.0.0.1", false, 3, 1);
        pods.put(definition, "orders-a", "10.0.0.1", false, 4, 1);
        pods.put(definition, "orders-a", "10.0.0.1", true, 4, 1);
        awaitReadies(1);

        assertEquals(List.of(InstanceEvent.Ready.class, InstanceEvent.Exited.class, InstanceEvent.Ready.class,
                InstanceEvent.Exited.class, InstanceEvent.Exited.class, InstanceEvent.Exited.class, InstanceEvent.Ready.class),
                events.stream().map(Object::getClass).toList(), events.toString());
        assertEquals(3, connector.all.size());
    }

    @Test
    void anInstanceLeftDownLosesItsPodAndItsRoomAndIsBoundAgainOnlyOnceLaunchedAgain() throws Exception {
        ServiceDefinition definition = orders(2);
        launcher.launch(definition, 0, false, recorder);
        launcher.launch(definition, 1, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        pods.ready(definition, "orders-b", "10.0.0.2");
        awaitReadies(2);
        pods.awaitIndex("orders-b", 1);
        connector.all.stream().filter(c -> c.index == 1).findFirst().orElseThrow().exit(1);

        try (Pods.Deletion deletion = pods.deletionOf("orders-b")) {
            launcher.leftDown("orders", 1);

            assertTrue(deletion.await());
        }
        assertInstanceOneKeepsNoRoomUntilLaunchedAgain(definition);
    }

    @Test
    void anInstanceLeftDownThatWasKilledBeforeKeepsNoRoomAndIsBoundAgainOnlyOnceLaunchedAgain() throws Exception {
        ServiceDefinition definition = orders(2);
        launcher.launch(definition, 0, false, recorder);
        RoleInstance second = launcher.launch(definition, 1, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        pods.ready(definition, "orders-b", "10.0.0.2");
        awaitReadies(2);
        pods.awaitIndex("orders-b", 1);
        // A failed try to start the service again after a host restart killed it, which deleted its pod.
        try (Pods.Deletion deletion = pods.deletionOf("orders-b")) {
            second.kill();

            assertTrue(deletion.await());
        }

        launcher.leftDown("orders", 1);

        assertInstanceOneKeepsNoRoomUntilLaunchedAgain(definition);
    }

    /**
     * Instance 1, left down, keeps no room in the Deployment and no free ready pod is bound to it;
     * launched again, it gets its room back and the pod.
     */
    private void assertInstanceOneKeepsNoRoomUntilLaunchedAgain(ServiceDefinition definition) throws Exception {
        pods.awaitReplicas("orders", 1);
        CountDownLatch handled = new CountDownLatch(1);
        launcher.whenPodHandled("orders", pod -> {
            if ("orders-c".equals(pod.getMetadata().getName())) {
                handled.countDown();
            }
        });
        pods.ready(definition, "orders-c", "10.0.0.3");
        assertTrue(handled.await(10, TimeUnit.SECONDS));
        assertEquals(java.util.Optional.empty(), launcher.podOf("orders", 1));
        assertEquals(2, connector.all.size());

        RoleInstance again = launcher.launch(definition, 1, false, recorder);
        pods.awaitReplicas("orders", 2);
        again.ready().get(10, TimeUnit.SECONDS);
        pods.awaitIndex("orders-c", 1);
    }

    @Test
    void stopAsksTheInstanceThenTheReleaseTakesTheReplicasToZero() throws Exception {
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);

        instance.stop().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("resume", "stop"), connector.next().asked);
        assertEquals(new InstanceEvent.Exited(0, true), events.getLast());
        launcher.released("orders", 0);

        assertEquals(0, client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get().getSpec().getReplicas());
    }

    @Test
    void theTemplateHashLeavesTheUnitsOut() {
        assertEquals(KubernetesInstanceLauncher.templateHash(orders(1)), KubernetesInstanceLauncher.templateHash(orders(8)));
        assertFalse(KubernetesInstanceLauncher.templateHash(orders(1)).equals(KubernetesInstanceLauncher.templateHash(
                new ServiceDefinition("orders", 1, 2, 400, Validation.NONE, null, null, "dir:/tmp/out"))));
    }

    @Test
    void scaleIsTheReplicasUpAndDown() throws Exception {
        launcher.launch(orders(1), 0, false, recorder);
        launcher.launch(orders(3), 1, false, recorder);
        launcher.launch(orders(3), 2, false, recorder);
        pods.awaitReplicas("orders", 3);
        launcher.released("orders", 1);
        pods.awaitReplicas("orders", 1);
    }

    @Test
    void deleteRemovesTheDeploymentTheConfigMapAndTheSecret() throws Exception {
        launcher.launch(orders(1), 0, false, recorder);
        launcher.deleted("orders");
        assertNull(client.apps().deployments().inNamespace(Pods.NAMESPACE).withName("sluice-orders").get());
        assertNull(client.configMaps().inNamespace(Pods.NAMESPACE).withName("sluice-orders-definition").get());
        assertNull(client.secrets().inNamespace(Pods.NAMESPACE).withName("sluice-orders-token").get());
    }

    @Test
    void aRefusedCreateNamesTheMissingPermissionAndTheWayOut() {
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        IOException e = assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));
        assertTrue(e.getMessage().contains("create deployments in namespace '" + Pods.NAMESPACE + "' (403 Forbidden)"), e.getMessage());
        assertTrue(e.getMessage().contains("Role and a RoleBinding"), e.getMessage());
    }

    @Test
    void aRefusedScaleNamesThePatchPermission() throws Exception {
        launcher.launch(orders(1), 0, false, recorder);
        server.expect().patch().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments/sluice-orders")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        IOException e = assertThrows(IOException.class, () -> launcher.released("orders", 0));
        assertTrue(e.getMessage().contains("'patch' permission on 'deployments'"), e.getMessage());
    }

    @Test
    void aRefusedPodWatchIsSaidAsSuch() {
        server.expect().get().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/pods?labelSelector=sluice.org%2Fservice%3Dorders&resourceVersion=0")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        IOException e = assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));
        assertTrue(e.getMessage().contains("list and watch pods in namespace '" + Pods.NAMESPACE + "' (403 Forbidden)"), e.getMessage());
        assertTrue(e.getMessage().contains("the 'list' and 'watch' permissions on 'pods'"), e.getMessage());
    }

    @Test
    void anUnreachableApiServerFailsTheLaunchWithTheReason() throws IOException {
        KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build();
        try (KubernetesInstanceLauncher unreachable = new KubernetesInstanceLauncher(nowhere, Pods.settings(Duration.ofMinutes(10)), connector)) {
            IOException e = assertThrows(IOException.class, () -> unreachable.launch(orders(1), 0, false, recorder));
            assertTrue(e.getMessage().startsWith("The Kubernetes API server at http://127.0.0.1:1"), e.getMessage());
            assertTrue(e.getMessage().contains("could not be reached to get configmaps in namespace '" + Pods.NAMESPACE + "'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("--kubeconfig"), e.getMessage());
        } finally {
            nowhere.close();
        }
    }

    @Test
    void theEngineIsAvailableFromTheStartAndSaysItIsKubernetes() {
        assertEquals(EngineStatus.available(EngineStatus.Kind.KUBERNETES, 1_000), launcher.engineStatus());
    }

    @Test
    void aRefusedCallMakesTheEngineUnavailableWithTheWayOutAndTheNextSuccessfulCallAvailableAgain() throws Exception {
        launcher.watchEngine(statuses::add);
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        now = 2_000;
        assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));

        EngineStatus refused = launcher.engineStatus();
        assertFalse(refused.available());
        assertEquals(2_000, refused.sinceMs());
        assertTrue(refused.reason().orElseThrow().contains("grant the host's account the 'create' permission on 'deployments'"),
                refused.toString());
        assertEquals(List.of(refused), statuses);

        now = 3_000;
        launcher.launch(orders(1), 0, false, recorder);
        assertEquals(EngineStatus.available(EngineStatus.Kind.KUBERNETES, 3_000), launcher.engineStatus());
        assertEquals(List.of(refused, launcher.engineStatus()), statuses);
    }

    @Test
    void anEngineStillRefusingIsToldOnceAndStaysUnavailableSinceTheFirstRefusal() throws Exception {
        launcher.watchEngine(statuses::add);
        server.expect().get().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/configmaps/sluice-orders-definition")
                .andReturn(403, Pods.FORBIDDEN)
                .times(2);
        now = 2_000;
        assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));
        now = 2_500;
        assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));

        assertEquals(1, statuses.size(), statuses.toString());
        assertEquals(2_000, launcher.engineStatus().sinceMs(), "still unavailable since the first failure");
        assertTrue(launcher.engineStatus().reason().orElseThrow().contains("'get' permission on 'configmaps'"),
                launcher.engineStatus().toString());

        now = 3_000;
        launcher.launch(orders(1), 0, false, recorder);
        assertTrue(launcher.engineStatus().available());
        assertEquals(2, statuses.size(), statuses.toString());
    }

    @Test
    void aMissingObjectSaysNothingAboutTheEngine() throws Exception {
        server.expect().patch().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments/sluice-orders")
                .andReturn(409, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":409}")
                .once();
        launcher.launch(orders(1), 0, false, recorder);
        launcher.watchEngine(statuses::add);
        assertThrows(IOException.class, () -> launcher.released("orders", 0));
        assertTrue(launcher.engineStatus().available());
        assertEquals(List.of(), statuses);
    }

    @Test
    void anUnreachableApiServerMakesTheEngineUnavailableNamingTheAddressAndTheKubeconfig() throws IOException {
        KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build();
        try (KubernetesInstanceLauncher unreachable = new KubernetesInstanceLauncher(nowhere, Pods.settings(Duration.ofMinutes(10)),
                connector, () -> java.time.Instant.ofEpochMilli(now))) {
            now = 5_000;
            assertThrows(IOException.class, () -> unreachable.launch(orders(1), 0, false, recorder));
            EngineStatus status = unreachable.engineStatus();
            assertEquals(EngineStatus.Kind.KUBERNETES, status.kind());
            assertEquals(5_000, status.sinceMs());
            assertTrue(status.reason().orElseThrow().startsWith("The Kubernetes API server at http://127.0.0.1:1"), status.toString());
            assertTrue(status.reason().orElseThrow().contains("--kubeconfig"), status.toString());
        } finally {
            nowhere.close();
        }
    }

    @Test
    void aPodListThatFailsMakesTheEngineUnavailable() {
        server.expect().get().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/pods?labelSelector=sluice.org%2Fservice%3Dorders&resourceVersion=0")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));
        assertTrue(launcher.engineStatus().reason().orElseThrow().contains("'list' and 'watch' permissions on 'pods'"),
                launcher.engineStatus().toString());
    }

    @Test
    void anInformerResyncIsNotTheApiServerAnsweringAndLeavesTheEngineUnavailable() throws Exception {
        launcher.close();
        launcher = new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMillis(200)), connector,
                () -> java.time.Instant.ofEpochMilli(now));
        ServiceDefinition definition = orders(1);
        RoleInstance instance = launcher.launch(definition, 0, false, recorder);
        pods.ready(definition, "orders-a", "10.0.0.1");
        instance.ready().get(10, TimeUnit.SECONDS);
        pods.awaitIndex("orders-a", 0);
        server.expect().get().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments/sluice-orders")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        assertThrows(IOException.class, () -> launcher.released("orders", 0));
        assertFalse(launcher.engineStatus().available());

        // A resync hands the informer's own copy of each pod again: the API server said nothing.
        CountDownLatch resyncs = new CountDownLatch(2);
        launcher.whenPodHandled("orders", pod -> resyncs.countDown());
        assertTrue(resyncs.await(10, TimeUnit.SECONDS));
        assertFalse(launcher.engineStatus().available(), launcher.engineStatus().toString());

        // A pod that changed is the API server's word.
        pods.ready(definition, "orders-b", "10.0.0.2");
        CountDownLatch added = new CountDownLatch(1);
        launcher.whenPodHandled("orders", pod -> {
            if (pod.getMetadata().getName().equals("orders-b")) {
                added.countDown();
            }
        });
        assertTrue(added.await(10, TimeUnit.SECONDS));
        assertTrue(launcher.engineStatus().available());
    }

    /** The launcher again, on the test's clock, with the checks of an unavailable engine run by the test. */
    private ManualRechecks withRechecks() {
        ManualRechecks rechecks = new ManualRechecks();
        launcher.close();
        launcher = new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMinutes(10)), connector,
                () -> java.time.Instant.ofEpochMilli(now), rechecks);
        return rechecks;
    }

    /** The API server refuses the first call of a launch, which then fails and leaves the engine unavailable. */
    private void refuseTheFirstLaunch() {
        server.expect().get().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/configmaps/sluice-orders-definition")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        assertThrows(IOException.class, () -> launcher.launch(orders(1), 0, false, recorder));
    }

    @Test
    void anUnavailableEngineIsCheckedEveryFewSecondsAndAvailableOnceTheServerAnswersWithNothingChanged() throws Exception {
        ManualRechecks rechecks = withRechecks();
        launcher.launch(orders(1), 0, false, recorder);
        launcher.watchEngine(statuses::add);
        assertEquals(List.of(), rechecks.active(), "nothing runs while the engine is available");

        server.expect().get().withPath("/apis/apps/v1/namespaces/" + Pods.NAMESPACE + "/deployments/sluice-orders")
                .andReturn(403, Pods.FORBIDDEN)
                .once();
        server.expect().get().withPath(PROBE).andReturn(403, Pods.FORBIDDEN).times(2);
        now = 2_000;
        assertThrows(IOException.class, () -> launcher.released("orders", 1));
        EngineStatus refused = launcher.engineStatus();
        assertFalse(refused.available());
        assertEquals(1, rechecks.active().size(), rechecks.active().toString());
        Duration period = rechecks.active().get(0);
        assertTrue(period.compareTo(Duration.ofSeconds(1)) >= 0 && period.compareTo(Duration.ofSeconds(30)) <= 0, period.toString());

        // The server still fails: the engine stays unavailable, for the reason it had, and is checked again.
        now = 7_000;
        rechecks.periodPassed();
        rechecks.periodPassed();
        assertEquals(refused, launcher.engineStatus());
        assertEquals(1, rechecks.active().size());

        // It answers again, and no pod changed: the next check finds it.
        now = 12_000;
        rechecks.periodPassed();
        assertEquals(EngineStatus.available(EngineStatus.Kind.KUBERNETES, 12_000), launcher.engineStatus());
        assertEquals(List.of(refused, launcher.engineStatus()), statuses);
        assertEquals(List.of(), rechecks.active(), "the checks stop once the engine is available");
    }

    @Test
    void aHostWithNoServiceOnTheClusterFindsTheEngineBackToo() {
        ManualRechecks rechecks = withRechecks();
        refuseTheFirstLaunch();
        assertFalse(launcher.engineStatus().available());

        rechecks.periodPassed();
        assertTrue(launcher.engineStatus().available(), launcher.engineStatus().toString());
    }

    @Test
    void aClosedLauncherChecksNoMore() {
        ManualRechecks rechecks = withRechecks();
        refuseTheFirstLaunch();
        assertEquals(1, rechecks.active().size());

        launcher.close();
        assertEquals(List.of(), rechecks.active());
    }
}
