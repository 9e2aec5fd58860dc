package org.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.sluice.runtime.InstanceConnector;
import org.sluice.runtime.InstanceLauncher;
import org.sluice.runtime.kubernetes.KubernetesInstanceLauncher;

/**
 * {@code sluice host --engine kubernetes}: the Kubernetes client and the launcher on it. The one
 * class outside {@code org.sluice.runtime.kubernetes} that knows the client; the host command
 * touches it only when that engine is chosen, so that a build without the client runs the local
 * engine all the same.
 */
final class KubernetesEngine implements AutoCloseable {
    /** How often the pod informers hand every pod to the launcher again. */
    private static final Duration RESYNC = Duration.ofMinutes(5);
    private static final Duration API_WAIT = Duration.ofSeconds(30);

    /** The engine cannot be set up; the key and arguments of the message that says why. */
    static final class Unusable extends Exception {
        final String key;
        final transient Object[] arguments;

        Unusable(String key, Object... arguments) {
            super(key);
            this.key = key;
            this.arguments = arguments;
        }
    }

    private final KubernetesClient client;
    private final KubernetesInstanceLauncher launcher;
    private final String namespace;

    private KubernetesEngine(KubernetesClient client, KubernetesInstanceLauncher launcher, String namespace) {
        this.client = client;
        this.launcher = launcher;
        this.namespace = namespace;
    }

    /**
     * @param kubeconfig the kubeconfig to use; without it, the usual places ({@code KUBECONFIG},
     *                   {@code ~/.kube/config}, or the pod's service account when the host runs in one)
     * @param namespace  the namespace; without it, the kubeconfig's, or {@code default}
     * @param image      the container image that runs a role instance
     * @param door       the host's front door as pods reach it, for {@code door:/PATH} destinations
     * @param connector  how the host reaches an instance in its pod
     */
    static KubernetesEngine open(Optional<Path> kubeconfig, Optional<String> namespace, Optional<String> image,
            Optional<String> door, InstanceConnector connector) throws Unusable {
        if (image.isEmpty() || image.get().isBlank()) {
            throw new Unusable("host.error.instanceImage");
        }
        Config config;
        if (kubeconfig.isPresent()) {
            String text;
            try {
                text = Files.readString(kubeconfig.get());
            } catch (IOException | RuntimeException e) {
                throw new Unusable("host.error.kubeconfig", kubeconfig.get(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
            try {
                config = Config.fromKubeconfig(text);
            } catch (RuntimeException e) {
                throw new Unusable("host.error.kubeconfig", kubeconfig.get(), e.getMessage());
            }
        } else {
            config = Config.autoConfigure(null);
        }
        String chosen = namespace.or(() -> Optional.ofNullable(config.getNamespace())).orElse("default");
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesInstanceLauncher launcher = new KubernetesInstanceLauncher(client,
                new KubernetesInstanceLauncher.Settings(chosen, image.get(), RESYNC, API_WAIT, door), connector);
        return new KubernetesEngine(client, launcher, chosen);
    }

    InstanceLauncher launcher() {
        return launcher;
    }

    String namespace() {
        return namespace;
    }

    String server() {
        return String.valueOf(client.getMasterUrl());
    }

    /** Stops watching pods and closes the client; the pods keep running. */
    @Override
    public void close() {
        launcher.close();
        client.close();
    }
}
