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
    private Host host;
    private FrontDoor door;

    @AfterEach
    void cleanUp() {
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
        ConfigMap map = client.configMaps().inNamespace(Pods.NAMESPACE).withName(KubernetesInstanceLauncher.configMapName(service)).get();
        Path definition = Files.writeString(folder.resolve(service + "-" + ip + ".json"),
                map.getData().get(KubernetesInstanceLauncher.DEFINITION_KEY));
        Secret secret = client.secrets().inNamespace(Pods.NAMESPACE).withName(KubernetesInstanceLauncher.secretName(service)).get();
        String token = new String(Base64.getDecoder().decode(secret.getData().get(KubernetesInstanceLauncher.TOKEN_KEY)),
                StandardCharsets.UTF_8);
        Path work = Files.createDirectories(folder.resolve("work-" + ip));
        InProcessInstance pod = InProcessInstance.network(definition, 0, work, InstanceProcess.Options.stdio(false), token,
                Duration.ofSeconds(5), new InetSocketAddress(InetAddress.getByName(ip), KubernetesInstanceLauncher.PROTOCOL_PORT));
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
}
