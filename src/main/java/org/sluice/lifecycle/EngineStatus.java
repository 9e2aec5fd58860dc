package org.sluice.lifecycle;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether the engine that runs a host's role instances can do so now: the child JVMs of the
 * host's own machine, which always can, or a Kubernetes cluster, which cannot while its API server
 * is out of reach or refuses the host. The same value travels from the launcher through the host,
 * the management API and the fleet to the console and {@code sluice ctl}.
 *
 * @param kind    which engine
 * @param reason  empty while the engine is available; else why it is not, and the way out, in the
 *                host's words (e.g. "… could not be reached …: check that the API server runs and
 *                that --kubeconfig names it")
 * @param sinceMs since when it is as it is, in epoch milliseconds; {@link #ALWAYS} for an engine that
 *                has never been anything but available
 */
public record EngineStatus(Kind kind, Optional<String> reason, long sinceMs) {

    /** The {@code sinceMs} of an engine that has been available all along. */
    public static final long ALWAYS = 0;

    /** The local engine: child JVMs on the host's machine, always available. */
    public static final EngineStatus LOCAL = new EngineStatus(Kind.LOCAL, Optional.empty(), ALWAYS);

    /** The engines a host runs instances with. */
    public enum Kind {
        /** Child JVMs on the host's own machine. */
        LOCAL("local"),
        /** Pods of a Kubernetes cluster. */
        KUBERNETES("kubernetes");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name in the management API and the command line, e.g. {@code kubernetes}. */
        public String id() {
            return id;
        }

        /**
         * The kind named {@code id}.
         *
         * @throws IllegalArgumentException when no kind has that name
         */
        public static Kind of(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("No engine is named '" + id + "'; the engines are local and kubernetes");
        }
    }

    public EngineStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (reason.isPresent() && reason.get().isBlank()) {
            throw new IllegalArgumentException("An unavailable engine needs a reason");
        }
    }

    /** {@code kind} available since {@code sinceMs}. */
    public static EngineStatus available(Kind kind, long sinceMs) {
        return new EngineStatus(kind, Optional.empty(), sinceMs);
    }

    /** {@code kind} unavailable since {@code sinceMs}, for {@code reason}. */
    public static EngineStatus unavailable(Kind kind, String reason, long sinceMs) {
        return new EngineStatus(kind, Optional.of(reason), sinceMs);
    }

    /** Whether the engine can run instances now. */
    public boolean available() {
        return reason.isEmpty();
    }
}
