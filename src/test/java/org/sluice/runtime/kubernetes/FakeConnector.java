package org.sluice.runtime.kubernetes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.sluice.runtime.InstanceConnector;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.RoleInstance;

/**
 * Instances reached without a network: each connection says it is ready at once, and records
 * what the launcher asked of it; a test makes it exit as a pod's process would.
 */
final class FakeConnector implements InstanceConnector {
    final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    final List<Connection> all = new CopyOnWriteArrayList<>();
    /** When set, the instances never confirm a suspend: their gate answers with a failure. */
    volatile boolean gateFails;
    /** How many resumes, from the next, fail as a connection reset would. */
    final java.util.concurrent.atomic.AtomicInteger resumesFailing = new java.util.concurrent.atomic.AtomicInteger();
    /** When set, suspend and resume are answered only when the test completes it. */
    volatile CompletableFuture<Void> gateAnswer;
    /** When set, a stop is never answered: the process neither ends nor says anything more. */
    volatile boolean stopHangs;
    /** The status a stopped instance's connection reports: -1 when it was lost rather than the process ending. */
    volatile int stopStatus;

    @Override
    public RoleInstance connect(String service, int index, InetSocketAddress address, String token, InstanceListener listener)
            throws IOException {
        Connection connection = new Connection(service, index, address, token, listener, this);
        all.add(connection);
        connections.add(connection);
        listener.onEvent(new InstanceEvent.Ready(KubernetesInstanceLauncher.PROTOCOL_PORT, 1));
        return connection;
    }

    /** The next connection made, within 10 s. */
    Connection next() throws InterruptedException {
        Connection connection = connections.poll(10, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("No connection within 10 s");
        }
        return connection;
    }

    static final class Connection implements RoleInstance {
        final String service;
        final int index;
        final InetSocketAddress address;
        final String token;
        final InstanceListener listener;
        final List<String> asked = new CopyOnWriteArrayList<>();
        /** The words asked, as they are asked, for a test that waits for one. */
        final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        private volatile boolean alive = true;
        private final FakeConnector connector;

        Connection(String service, int index, InetSocketAddress address, String token, InstanceListener listener,
                FakeConnector connector) {
            this.connector = connector;
            this.service = service;
            this.index = index;
            this.address = address;
            this.token = token;
            this.listener = listener;
        }

        /** The process in the pod ends on its own. */
        void exit(int status) {
            alive = false;
            listener.onEvent(new InstanceEvent.Exited(status, false));
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public CompletableFuture<Integer> ready() {
            return CompletableFuture.completedFuture(KubernetesInstanceLauncher.PROTOCOL_PORT);
        }

        @Override
        public OptionalInt port() {
            return OptionalInt.of(KubernetesInstanceLauncher.PROTOCOL_PORT);
        }

        @Override
        public CompletableFuture<Void> suspend() {
            asked.add("suspend");
            heard.add("suspend");
            if (connector.gateAnswer != null) {
                return connector.gateAnswer;
            }
            return connector.gateFails
                    ? CompletableFuture.failedFuture(new IOException("the connection to " + address + " was reset"))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> resume() {
            asked.add("resume");
            heard.add("resume");
            if (connector.resumesFailing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(new IOException("the connection to " + address + " was reset"));
            }
            return connector.gateAnswer != null ? connector.gateAnswer : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stop() {
            asked.add("stop");
            heard.add("stop");
            if (connector.stopHangs) {
                return new CompletableFuture<>();
            }
            alive = false;
            listener.onEvent(new InstanceEvent.Exited(connector.stopStatus, true));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void kill() {
            asked.add("kill");
            alive = false;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }
    }
}
