package org.sluice.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.packaging.MockCluster;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.RoleInstance;

/**
 * The host's Role (packaging/kubernetes/20-role.yaml) against what the launcher really asks of
 * the API server: a service's whole life on the mock server, every request the launcher made read
 * back as the verb and resource RBAC checks. The Role must grant each, and nothing the launcher
 * never asks for.
 */
@EnableKubernetesMockClient(crud = true)
class LauncherRoleTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    /** The launcher's requests carry this user agent; the test's own, playing the cluster, do not. */
    private static final String HOST = "sluice-host-under-test";

    private final FakeConnector connector = new FakeConnector();
    private final Pods pods = new Pods(client);
    private final KubernetesClient hostClient = hostClient();
    private final KubernetesInstanceLauncher launcher =
            new KubernetesInstanceLauncher(hostClient, Pods.settings(Duration.ofMinutes(10)), connector);
    private final InstanceListener listener = event -> { };

    private static KubernetesClient hostClient() {
        Config config = client.getConfiguration();
        Config copy = new io.fabric8.kubernetes.client.ConfigBuilder(config).build();
        copy.setUserAgent(HOST);
        return new KubernetesClientBuilder().withConfig(copy).build();
    }

    @AfterEach
    void cleanUp() {
        launcher.close();
        hostClient.close();
    }

    private static ServiceDefinition orders(int units, int memoryMb) {
        return new ServiceDefinition("orders", units, 1, memoryMb, Validation.NONE, null, null, "dir:/tmp/out");
    }

    @Test
    void theRoleGrantsEveryRequestOfAServicesLifeAndNothingElse() throws Exception {
        // A Secret left without its token (made by hand, or half-written): the launcher fills it in.
        client.secrets().inNamespace(Pods.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(KubernetesInstanceLauncher.secretName("orders")).endMetadata().build()).create();
        ServiceDefinition definition = orders(2, 256);
        RoleInstance first = launcher.launch(definition, 0, false, listener);
        RoleInstance second = launcher.launch(definition, 1, false, listener);
        pods.ready(definition, "orders-a", "10.0.0.1");
        first.ready().get(10, TimeUnit.SECONDS);
        pods.awaitIndex("orders-a", 0);
        pods.ready(definition, "orders-b", "10.0.0.2");
        second.ready().get(10, TimeUnit.SECONDS);
        pods.awaitIndex("orders-b", 1);

        // The Log tab and sluice ctl logs.
        server.expect().get().withPath("/api/v1/namespaces/" + Pods.NAMESPACE + "/pods/orders-a/log?pretty=false&container=instance")
                .andReturn(200, "instance 0 ready on port 7400\n").always();
        assertThat(launcher.log("orders", 0, InstanceLog.Run.CURRENT, -1, 1024).text()).isNotEmpty();

        // Instance 1 crashes for good: its pod goes, and its room in the Deployment.
        connector.all.stream().filter(c -> c.index == 1).findFirst().orElseThrow().exit(1);
        try (Pods.Deletion deletion = pods.deletionOf("orders-b")) {
            launcher.leftDown("orders", 1);
            assertTrue(deletion.await());
        }
        pods.awaitReplicas("orders", 1);

        // Stop, then a changed definition (Update configuration): a new rollout.
        first.stop().get(10, TimeUnit.SECONDS);
        launcher.released("orders", 0);
        pods.awaitReplicas("orders", 0);
        launcher.launch(orders(1, 300), 0, false, listener);
        pods.awaitReplicas("orders", 1);

        launcher.deleted("orders");
        // A service with no Secret yet.
        launcher.launch(new ServiceDefinition("invoices", 1, 1, 256, Validation.NONE, null, null, "dir:/tmp/out"), 0, false, listener);
        launcher.deleted("invoices");

        Set<String> asked = new TreeSet<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest request = server.takeRequest();
            if (HOST.equals(request.getHeader("User-Agent"))) {
                asked.add(MockCluster.grantOf(request.getMethod(), request.getPath()));
            }
        }
        Role role = new KubernetesSerialization().unmarshal(Files.readString(Path.of("packaging/kubernetes/20-role.yaml")), Role.class);
        Set<String> granted = MockCluster.grantsOf(role);

        assertThat(granted).as("the Role grants every request the launcher made").containsAll(asked);
        assertThat(asked).as("the Role grants nothing the launcher does not ask for").containsAll(granted);
    }
}
