package org.sluice.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.InProcessInstance;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.NetworkInstanceConnector;
import org.sluice.runtime.instance.InstanceProcess;

/**
 * The whole path with the Kubernetes engine, short of a cluster: the launcher writes its objects to
 * the mock API server, the test plays the kubelet by running each pod's instance in this JVM, over
 * the network transport, at an address of its own on loopback (127.x.y.n, port 7400, as a pod
 * listens at its own IP), and the host follows each with the real {@link NetworkInstanceConnector}.
 * Messages go through the front door to the pods.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesEndToEndTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path folder;

    private final Pods pods = new Pods(client);
    private final KubernetesInstanceLauncher kubernetes =
            new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMinutes(10)), new NetworkInstanceConnector());
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<InProcessInstance> podsRunning = new ArrayList<>();
    private final List<PodAddress> addresses = new ArrayList<>();
    private Host host;
    private FrontDoor door;

    @AfterEach
    void cleanUp() {
        addresses.forEach(PodAddress::close);
        if (door != null) {
            door.close();
        }
        if (host != null) {
            host.close();
        }
        kubernetes.close();
        client.apps().deployments().inNamespace(Pods.NAMESPACE).delete();
        client.configMaps().inNamespace(Pods.NAMESPACE).delete();
        client.secrets().inNamespace(Pods.NAMESPACE).delete();
        client.pods().inNamespace(Pods.NAMESPACE).delete();
    }

    /** Runs a pod of {@code service}: its definition and token as the launcher wrote them, listening at {@code ip}:7400. */
    private InProcessInstance runPod(String service, String ip) throws Exception {
        return runPod(service, new InetSocketAddress(InetAddress.getByName(ip), KubernetesInstanceLauncher.PROTOCOL_PORT));
    }

    /**
     * Runs the process of a pod of {@code service} listening at {@code at}: its definition and token
     * as the launcher wrote them, suspended or not as its Deployment's pod template says.
     */
    private InProcessInstance runPod(String service, InetSocketAddress at) throws Exception {
        String ip = at.getAddress().getHostAddress() + "-" + podsRunning.size();
        ConfigMap map = client.configMaps().inNamespace(Pods.NAMESPACE).withName(KubernetesInstanceLauncher.configMapName(service)).get();
        Path definition = Files.writeString(folder.resolve(service + "-" + ip + ".json"),
                map.getData().get(KubernetesInstanceLauncher.DEFINITION_KEY));
        Secret secret = client.secrets().inNamespace(Pods.NAMESPACE).withName(KubernetesInstanceLauncher.secretName(service)).get();
        String token = new String(Base64.getDecoder().decode(secret.getData().get(KubernetesInstanceLauncher.TOKEN_KEY)),
                StandardCharsets.UTF_8);
        Path work = Files.createDirectories(folder.resolve("work-" + ip));
        boolean suspended = client.apps().deployments().inNamespace(Pods.NAMESPACE)
                .withName(KubernetesInstanceLauncher.deploymentName(service)).get()
                .getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs().contains("--suspended");
        InProcessInstance pod = InProcessInstance.network(definition, 0, work, InstanceProcess.Options.stdio(suspended), token,
                Duration.ofSeconds(5), at);
        podsRunning.add(pod);
        pod.address(Duration.ofSeconds(20));
        return pod;
    }

    private HttpResponse<String> post(String service, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(door.endpoint(service))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static OperationRecord ended(Host.Accepted accepted) throws Exception {
        return accepted.completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aServiceRunsOnPodsThatTakeMessagesThroughTheFrontDoorAreSuspendedAndResumedAndStop() throws Exception {
        // Addresses no other test on this machine is likely to hold: 127.x.y.1 and 127.x.y.2.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String net = "127." + random.nextInt(16, 250) + "." + random.nextInt(1, 250) + ".";
        Path outbox = Files.createDirectories(folder.resolve("outbox"));
        ServiceDefinition orders = new ServiceDefinition("orders", 2, 1, 256, Validation.NONE, null, null, "dir:" + outbox);
        host = new Host(kubernetes, new InMemoryJournal(), InstantSource.system(),
                new Host.Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(50)));
        door = FrontDoor.open(host, 0);

        Host.Accepted create = host.create(orders, "test");
        pods.awaitTemplateOf(orders);
        InProcessInstance first = runPod("orders", net + "1");
        InProcessInstance second = runPod("orders", net + "2");
        pods.ready(orders, "orders-a", net + "1");
        pods.ready(orders, "orders-b", net + "2");

        OperationRecord created = ended(create);
        assertThat(created.outcome()).as(created.error().orElse("")).isEqualTo(Outcome.SUCCEEDED);
        assertThat(host.service("orders").orElseThrow().state()).isEqualTo(ServiceState.ACTIVE);
        assertThat(List.of(((Host.Route.To) host.route("orders")).address().getAddress().getHostAddress()))
                .isSubsetOf(net + "1", net + "2");

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer = post("orders", "{\"n\":" + i + "}");
            assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
        }
        try (var delivered = Files.list(outbox)) {
            assertThat(delivered.count()).as("every message the door answered was delivered by a pod").isEqualTo(10);
        }

        assertThat(ended(host.perform("orders", Operation.SUSPEND, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(post("orders", "{}").statusCode()).as("a suspended service's pods refuse messages").isGreaterThanOrEqualTo(400);
        assertThat(ended(host.perform("orders", Operation.RESUME, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(post("orders", "{}").statusCode()).isBetween(200, 299);

        assertThat(ended(host.perform("orders", Operation.STOP, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        pods.awaitReplicas("orders", 0);
        assertThat(first.exit().get(20, TimeUnit.SECONDS)).as("the first pod's instance stopped cleanly").isZero();
        assertThat(second.exit().get(20, TimeUnit.SECONDS)).isZero();
    }

    /** Addresses no other test on this machine is likely to hold: 127.x.y.1, 127.x.y.2, … */
    private static String net() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "127." + random.nextInt(16, 250) + "." + random.nextInt(1, 250) + ".";
    }

    private static InetSocketAddress anyPort() throws Exception {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static Host.Settings settings() {
        return new Host.Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(50));
    }

    /** The outcomes of instance restarts as the host logs them: the console's operation log and its restart markers. */
    private static class Restarts implements org.sluice.runtime.HostListener {
        final CompletableFuture<OperationRecord> begun = new CompletableFuture<>();
        final CompletableFuture<OperationRecord> ended = new CompletableFuture<>();

        @Override
        public void operationProgress(OperationRecord record) {
            if (record.operation() == Operation.INSTANCE_RESTART) {
                (record.outcome() == Outcome.RUNNING ? begun : ended).complete(record);
            }
        }

        @Override
        public void serviceChanged(org.sluice.runtime.ServiceView service) {
        }

        @Override
        public void serviceRemoved(String name) {
        }

        @Override
        public void instanceEvent(String service, org.sluice.runtime.InstanceView instance, InstanceEvent event) {
        }
    }

    @Test
    void aSuspendedServicesPodWhoseRestartItsStreamSeesFirstTakesNoMessageAndIsShownAsARestart() throws Exception {
        String net = net();
        Path outbox = Files.createDirectories(folder.resolve("outbox"));
        ServiceDefinition orders = new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "dir:" + outbox);
        host = new Host(kubernetes, new InMemoryJournal(), InstantSource.system(), settings());
        door = FrontDoor.open(host, 0);
        Restarts restarts = new Restarts();
        host.addListener(restarts);
        Host.Accepted create = host.create(orders, "test");
        pods.awaitTemplateOf(orders);
        InProcessInstance first = runPod("orders", anyPort());
        PodAddress pod = PodAddress.open(new InetSocketAddress(InetAddress.getByName(net + "1"), KubernetesInstanceLauncher.PROTOCOL_PORT),
                first.address(Duration.ofSeconds(20)));
        addresses.add(pod);
        pods.ready(orders, "orders-a", net + "1");
        assertThat(ended(create).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(ended(host.perform("orders", Operation.SUSPEND, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);

        // Kubernetes restarts the pod's container: a new process at the same address, started as
        // the pod template says; the host's event stream breaks and is the first to meet it.
        InProcessInstance second = runPod("orders", anyPort());
        pod.restartAs(second.address(Duration.ofSeconds(20)));

        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create("http://" + net + "1:"
                + KubernetesInstanceLauncher.PROTOCOL_PORT + "/messages")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).as("the new process takes no message before the host has set its gate: " + direct.body())
                .isGreaterThanOrEqualTo(400);
        assertThat(post("orders", "{\"while\":\"restarting\"}").statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(restarts.begun.get(20, TimeUnit.SECONDS).crash().orElseThrow().instance())
                .as("the console shows the instance restarting").isZero();
        // The kubelet's word comes later.
        pods.put(orders, "orders-a", net + "1", true, 1, 137);
        OperationRecord restart = restarts.ended.get(30, TimeUnit.SECONDS);

        assertThat(restart.outcome()).as(restart.error().orElse("")).isEqualTo(Outcome.SUCCEEDED);
        assertThat(host.service("orders").orElseThrow().state()).isEqualTo(ServiceState.SUSPENDED);
        assertThat(post("orders", "{\"after\":\"the restart\"}").statusCode()).isGreaterThanOrEqualTo(400);
        try (var delivered = Files.list(outbox)) {
            assertThat(delivered.count()).as("the suspended service delivered nothing").isZero();
        }
        assertThat(ended(host.perform("orders", Operation.RESUME, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(post("orders", "{\"resumed\":true}").statusCode()).as("the new process took the resume").isBetween(200, 299);
    }

    private HttpResponse<String> postToPod(String ip) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + KubernetesInstanceLauncher.PROTOCOL_PORT + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHostThatStartsAgainWhileAServiceIsSuspendedFindsItsRestartedPodClosedAndKeepsItSo() throws Exception {
        String net = net();
        Path outbox = Files.createDirectories(folder.resolve("outbox"));
        ServiceDefinition orders = new ServiceDefinition("orders", 1, 1, 256, Validation.NONE, null, null, "dir:" + outbox);
        InMemoryJournal journal = new InMemoryJournal();
        Host first = new Host(kubernetes, journal, InstantSource.system(), settings());
        Host.Accepted create = first.create(orders, "test");
        pods.awaitTemplateOf(orders);
        InProcessInstance before = runPod("orders", anyPort());
        PodAddress pod = PodAddress.open(new InetSocketAddress(InetAddress.getByName(net + "1"), KubernetesInstanceLauncher.PROTOCOL_PORT),
                before.address(Duration.ofSeconds(20)));
        addresses.add(pod);
        pods.ready(orders, "orders-a", net + "1");
        assertThat(ended(create).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(ended(first.perform("orders", Operation.SUSPEND, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);

        // The host closes: it stops its instances, and Kubernetes starts the pod's container again
        // under the Deployment, where it waits for the next host.
        first.close();
        kubernetes.close();
        assertThat(before.exit().get(20, TimeUnit.SECONDS)).isZero();
        InProcessInstance after = runPod("orders", anyPort());
        pod.restartAs(after.address(Duration.ofSeconds(20)));
        pods.put(orders, "orders-a", net + "1", true, 1, 0);
        assertThat(postToPod(net + "1").statusCode()).as("no host yet: the restarted container refuses messages").isEqualTo(409);

        try (KubernetesInstanceLauncher again = new KubernetesInstanceLauncher(client, Pods.settings(Duration.ofMinutes(10)),
                new NetworkInstanceConnector())) {
            host = new Host(again, journal, InstantSource.system(), settings());
            CompletableFuture<InstanceEvent.Ready> ready = new CompletableFuture<>();
            host.addListener(new Restarts() {
                @Override
                public void instanceEvent(String service, org.sluice.runtime.InstanceView instance, InstanceEvent event) {
                    if (event instanceof InstanceEvent.Ready r) {
                        ready.complete(r);
                    }
                }
            });
            host.open();
            ready.get(30, TimeUnit.SECONDS);

            assertThat(host.service("orders").orElseThrow().state()).isEqualTo(ServiceState.SUSPENDED);
            assertThat(postToPod(net + "1").statusCode()).as("the host that started again keeps it suspended").isEqualTo(409);
            assertThat(ended(host.perform("orders", Operation.RESUME, "test")).outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(postToPod(net + "1").statusCode()).as("and it follows that very process").isBetween(200, 299);
            host.close();
            host = null;
        }
    }
}
