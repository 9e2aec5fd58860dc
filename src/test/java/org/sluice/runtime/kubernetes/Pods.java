package org.sluice.runtime.kubernetes;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * Plays the cluster's part for tests on the mock API server, which runs no controllers: the pods
 * a Deployment would make, their readiness and their restarts are written by the test.
 */
final class Pods {
    static final String NAMESPACE = "sluice-test";
    /** The API server's answer to a request the account has no permission for. */
    static final String FORBIDDEN = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}";

    private final KubernetesClient client;

    Pods(KubernetesClient client) {
        this.client = client;
    }

    static String hashOf(ServiceDefinition definition) {
        return KubernetesInstanceLauncher.templateHash(definition);
    }

    /** A pod of {@code definition}'s service as its Deployment makes it, ready or not, with {@code restarts}. */
    Pod put(ServiceDefinition definition, String name, String ip, boolean ready, int restarts, int lastExit) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels(KubernetesInstanceLauncher.SERVICE_LABEL, definition.name())
                .addToAnnotations(KubernetesInstanceLauncher.HASH_ANNOTATION, hashOf(definition))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(KubernetesInstanceLauncher.deploymentName(definition.name()) + "-rs").withUid("rs-uid").endOwnerReference()
                .endMetadata()
                .withNewSpec().addNewContainer().withName("instance").withImage("sluice:test").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName("instance").withRestartCount(restarts)
                        .withReady(ready)
                        .withNewLastState().withNewTerminated().withExitCode(lastExit).endTerminated().endLastState()
                        .build())
                .endStatus();
        Pod built = pod.build();
        Pod existing = client.pods().inNamespace(NAMESPACE).withName(name).get();
        if (existing == null) {
            return client.pods().inNamespace(NAMESPACE).resource(built).create();
        }
        // Keep what the launcher wrote (the instance's number); the kubelet writes the status.
        return client.pods().inNamespace(NAMESPACE).withName(name).edit(p -> new PodBuilder(p).withStatus(built.getStatus()).build());
    }

    /** A pod whose container keeps exiting with {@code lastExit} before it is ready: the kubelet waits to restart it again. */
    Pod crashLooping(ServiceDefinition definition, String name, String ip, int restarts, int lastExit) {
        Pod pod = put(definition, name, ip, false, restarts, lastExit);
        return client.pods().inNamespace(NAMESPACE).withName(name).edit(p -> new PodBuilder(p).editStatus()
                .editFirstContainerStatus().withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .endContainerStatus().endStatus().build());
    }

    Pod ready(ServiceDefinition definition, String name, String ip) {
        return put(definition, name, ip, true, 0, 0);
    }

    void delete(String name) {
        client.pods().inNamespace(NAMESPACE).withName(name).delete();
    }

    /**
     * Watches for the deletion of pod {@code name} from now on: the watch is running when this
     * returns, so a deletion right after is seen. (Waiting for the pod to be absent only after the
     * deletion can miss it: the mock server does not replay a deletion made between a waiter's list
     * and its watch.) Close the result once done.
     */
    Deletion deletionOf(String name) {
        CountDownLatch deleted = new CountDownLatch(1);
        SharedIndexInformer<Pod> watch = client.pods().inNamespace(NAMESPACE).withName(name).inform(new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod was, Pod now) {
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                deleted.countDown();
            }
        });
        return new Deletion(deleted, watch);
    }

    record Deletion(CountDownLatch deleted, SharedIndexInformer<Pod> watch) implements AutoCloseable {
        boolean await() throws InterruptedException {
            return deleted.await(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    /** Waits until the pod carries the number of an instance. */
    Pod awaitIndex(String name, int index) {
        return client.pods().inNamespace(NAMESPACE).withName(name).waitUntilCondition(p -> p != null && p.getMetadata().getLabels() != null
                && Integer.toString(index).equals(p.getMetadata().getLabels().get(KubernetesInstanceLauncher.INDEX_LABEL)),
                10, TimeUnit.SECONDS);
    }

    /** Waits until the service's Deployment has a pod template of {@code definition}. */
    Deployment awaitTemplateOf(ServiceDefinition definition) {
        String hash = hashOf(definition);
        return client.apps().deployments().inNamespace(NAMESPACE).withName(KubernetesInstanceLauncher.deploymentName(definition.name()))
                .waitUntilCondition(d -> d != null && hash.equals(d.getSpec().getTemplate().getMetadata().getAnnotations()
                        .get(KubernetesInstanceLauncher.HASH_ANNOTATION)), 10, TimeUnit.SECONDS);
    }

    Deployment awaitReplicas(String service, int replicas) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(KubernetesInstanceLauncher.deploymentName(service))
                .waitUntilCondition(d -> d != null && d.getSpec().getReplicas() == replicas, 10, TimeUnit.SECONDS);
    }

    static KubernetesInstanceLauncher.Settings settings(Duration resync) {
        return new KubernetesInstanceLauncher.Settings(NAMESPACE, "registry.example/sluice-instance:test", resync, Duration.ofSeconds(10));
    }
}
