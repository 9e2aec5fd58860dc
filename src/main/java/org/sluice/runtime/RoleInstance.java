package org.sluice.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** A running role instance, as its host controls it. */
public interface RoleInstance {

    /** Its number within the service, from 0. */
    int index();

    /**
     * Completes with the instance's port once it accepts messages, or exceptionally with the
     * reason when it exits or fails before that.
     */
    CompletableFuture<Integer> ready();

    /** The port it accepts messages on, once ready. */
    OptionalInt port();

    /**
     * Where it accepts messages, once ready: on this machine's loopback for a child process, at its
     * pod's address for an instance that runs elsewhere.
     */
    default Optional<InetSocketAddress> address() {
        OptionalInt port = port();
        return port.isPresent()
                ? Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.getAsInt()))
                : Optional.empty();
    }

    /**
     * Refuse messages (409) and stop pulling, until {@link #resume()}.
     *
     * @return completes when the instance says it does, exceptionally if it exits first
     */
    CompletableFuture<Void> suspend();

    /**
     * Take messages again after {@link #suspend()}.
     *
     * @return completes when the instance says it does, exceptionally if it exits first
     */
    CompletableFuture<Void> resume();

    /**
     * Asks the instance to stop: it takes no new messages, finishes those in process and exits.
     *
     * @return completes when the process has exited
     */
    CompletableFuture<Void> stop();

    /** Ends the process at once. */
    void kill();

    boolean isAlive();
}
