package org.sluice.runtime.kubernetes;

import java.io.IOException;
import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Turns what the Kubernetes client throws into an {@link IOException} whose message names what
 * the host tried (the verb, the resource and the namespace) and the way out, so that an operation
 * that fails on it says so in the operation log.
 */
final class ApiFailures {
    private ApiFailures() {
    }

    /** One call to the API server, named by what it does for the failure's message. */
    @FunctionalInterface
    interface Call<T> {
        T run();
    }

    /**
     * Runs {@code call}, which does {@code verb} on {@code resource} in {@code namespace}.
     *
     * @throws IOException with the reason and the way out when the API server refuses or cannot be reached
     */
    static <T> T call(String verb, String resource, String namespace, String server, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (KubernetesClientException e) {
            throw translate(verb, resource, namespace, server, e);
        }
    }

    static IOException translate(String verb, String resource, String namespace, String server, KubernetesClientException e) {
        String where = "in namespace '" + namespace + "'";
        String permission = "'" + String.join("' and '", verb.split(" and ")) + "' permission" + (verb.contains(" and ") ? "s" : "");
        // No answer at all: the client says so with a code of 0 or less.
        int code = Math.max(e.getCode(), 0);
        String message = switch (code) {
            case 403 -> "Kubernetes refused to let the host " + verb + " " + resource + " " + where
                    + " (403 Forbidden): grant the host's account the " + permission + " on '" + resource + "' there,"
                    + " with a Role and a RoleBinding (docs/runtime.md lists every permission the host needs)";
            case 401 -> "Kubernetes did not accept the host's credentials when it tried to " + verb + " " + resource + " " + where
                    + " (401 Unauthorized): check the user or token of the kubeconfig the host was given";
            case 0 -> "The Kubernetes API server at " + server + " could not be reached to " + verb + " " + resource + " " + where
                    + " (" + rootCause(e) + "): nothing was changed there; check that the API server runs and that"
                    + " --kubeconfig names it";
            default -> "Kubernetes answered " + e.getCode() + " when the host tried to " + verb + " " + resource + " " + where
                    + ": " + Optional.ofNullable(e.getStatus()).map(s -> s.getMessage()).orElse(e.getMessage());
        };
        return new IOException(message, e);
    }

    /**
     * Whether {@code failure} of a call says the engine as a whole is unavailable: the API server
     * could not be reached, did not accept the host's credentials, refused it (403), or failed
     * itself (500 and up). A missing object or a conflict says nothing about the engine.
     */
    static boolean engineDown(IOException failure) {
        if (!(failure.getCause() instanceof KubernetesClientException k)) {
            return false;
        }
        int code = k.getCode();
        return code <= 0 || code == 401 || code == 403 || code >= 500;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
