package org.sluice.cli;

import java.util.List;
import java.util.Optional;

/**
 * Whether this installation can run role instances on Kubernetes. The Kubernetes client is a
 * provided dependency: the host's container image carries it (target/libs), the desktop installers
 * do not (docs/decisions/0024-kubernetes-packaging.md). {@code sluice host --engine kubernetes}
 * asks {@link #problem()} before it builds anything, and stops with the answer if there is one,
 * instead of failing later on a {@link NoClassDefFoundError}.
 */
final class KubernetesEngineCheck {
    /** A class of the client and one of the HTTP client it runs on: both come with target/libs. */
    static final List<String> CLIENT_CLASSES = List.of(
            "io.fabric8.kubernetes.client.KubernetesClientBuilder",
            "io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");

    private KubernetesEngineCheck() {
    }

    /** What stands in the way of the Kubernetes engine in this installation, in the user's language; empty when nothing does. */
    static Optional<String> problem() {
        return problem(KubernetesEngineCheck.class.getClassLoader());
    }

    /** As {@link #problem()}, looking for the client through {@code loader}. */
    static Optional<String> problem(ClassLoader loader) {
        for (String name : CLIENT_CLASSES) {
            try {
                // Not initialised: whether it is there is the question, not whether it starts.
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of(Messages.get("host.error.kubernetesMissing", name));
            }
        }
        return Optional.empty();
    }
}
