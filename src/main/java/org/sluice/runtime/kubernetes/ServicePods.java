package org.sluice.runtime.kubernetes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.RoleInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of one service as its informer sees them, and which instance each runs.
 *
 * <p><b>Binding.</b> A Deployment's pods have no number, but the host counts instances from 0.
 * A ready pod of the definition in force that runs no instance yet (or one whose container
 * Kubernetes waits to restart again, in CrashLoopBackOff) is bound to the lowest number
 * that waits for a pod (a number that already carries it as its label, after the host started
 * again, is kept) and labelled with it. A pod that goes away, or whose container Kubernetes
 * restarts, is that instance exiting; the number then waits for a pod again, so that the pod
 * Kubernetes puts in its place takes the number of the one it replaces (decision 0023). A
 * number the host left down waits for no pod, and the Deployment keeps no room for it, until the
 * host launches it again (decision 0047).
 *
 * <p>Everything here runs under this object's lock: the informer's thread, launches and the
 * instances' own calls all change the same two maps.
 */
final class ServicePods implements ResourceEventHandler<Pod> {
    private static final Logger LOG = LoggerFactory.getLogger(ServicePods.class);
    /** How often a new run's gate is tried before the run ends as one that exited before it was ready. */
    static final int GATE_ATTEMPTS = 3;
    /** The pause before setting a new run's gate again. */
    static final long GATE_PAUSE_MS = 200;
    /** The exit status a connection reports when it was lost rather than the process saying it ended. */
    static final int LOST = -1;

    /**
     * A run asked to stop after its gate failed: its pod and the container restarts seen then,
     * and its exit status once its connection reports it.
     */
    private record Ending(int run, String pod, int restarts, CompletableFuture<Integer> exit) {
    }

    private final String service;
    private final KubernetesInstanceLauncher launcher;
    /** The instances the host launched, by number; each waits for a pod or runs in one. */
    private final Map<Integer, PodInstance> instances = new TreeMap<>();
    /** Bound pods by name, with their numbers. */
    private final Map<String, Integer> bound = new HashMap<>();
    private SharedIndexInformer<Pod> informer;
    /** The definition the ConfigMap holds, and the hash of the pod template: only pods of that template are bound. */
    private String appliedDefinition;
    private String appliedHash;
    private int appliedReplicas = -1;
    private volatile String token;
    /** Told after each pod event is handled, for tests that wait on the informer. */
    private volatile Consumer<Pod> handled = pod -> { };

    ServicePods(String service, KubernetesInstanceLauncher launcher) {
        this.service = service;
        this.launcher = launcher;
    }

    // ---------------------------------------------------------------- what the launcher applied

    /** Whether the service's objects already say what {@code definitionJson} says, with {@code replicas}. */
    synchronized boolean applied(String definitionJson, int replicas) {
        return definitionJson.equals(appliedDefinition) && replicas == appliedReplicas && informer != null;
    }

    synchronized void appliedNow(String definitionJson, String templateHash, int replicas) {
        appliedDefinition = definitionJson;
        appliedHash = templateHash;
        appliedReplicas = replicas;
    }

    void token(String token) {
        this.token = token;
    }

    /** Held while the launcher makes the service's objects say what a definition says. */
    final Object applying = new Object();

    /** Starts the informer, once, and waits for its first list; under {@link #applying}. */
    void watch() throws IOException {
        synchronized (this) {
            if (informer != null) {
                return;
            }
        }
        SharedIndexInformer<Pod> started = launcher.podInformer(service);
        started.addEventHandler(this);
        try {
            launcher.awaitSynced(started);
        } catch (IOException e) {
            started.stop();
            synchronized (this) {
                appliedDefinition = null;
            }
            throw e;
        }
        synchronized (this) {
            informer = started;
        }
    }

    /** The host stopped instances {@code from} and up: their numbers wait for no pod, and their pods are free. */
    synchronized void releaseFrom(int from) {
        appliedReplicas = from;
        List<Integer> gone = instances.keySet().stream().filter(index -> index >= from).toList();
        for (Integer index : gone) {
            PodInstance instance = instances.remove(index);
            if (instance.pod != null) {
                bound.remove(instance.pod);
                instance.pod = null;
            }
        }
    }

    synchronized void close() {
        if (informer != null) {
            informer.stop();
            informer = null;
        }
    }

    void whenHandled(Consumer<Pod> listener) {
        handled = listener;
    }

    // ---------------------------------------------------------------- launches

    /** The name of the pod bound to instance {@code index}, if one is. */
    synchronized Optional<String> podOf(int index) {
        PodInstance instance = instances.get(index);
        return instance == null ? Optional.empty() : Optional.ofNullable(instance.pod);
    }

    /** Whether Kubernetes restarted the container of the pod bound to instance {@code index}, and so keeps its previous run's log. */
    synchronized boolean restartedInPlace(int index) {
        PodInstance instance = instances.get(index);
        if (instance == null || instance.pod == null || informer == null) {
            return false;
        }
        return informer.getStore().list().stream()
                .anyMatch(pod -> instance.pod.equals(pod.getMetadata().getName()) && restarts(pod) > 0);
    }

    /** Whether instance {@code index} is left down (see {@link #leaveDown}). */
    synchronized boolean isLeftDown(int index) {
        PodInstance instance = instances.get(index);
        return instance != null && instance.leftDown;
    }

    /** The pods the Deployment keeps for {@code units} instances: one for each, except those left down. */
    synchronized int replicasFor(int units) {
        return units - (int) instances.values().stream().filter(i -> i.leftDown && i.index < units).count();
    }

    /** The pods the Deployment keeps now: for the units last applied or released, less the instances left down. */
    synchronized int replicasNow() {
        return replicasFor(appliedReplicas);
    }

    /**
     * The host left instance {@code index} down after too many crashes in a row, or after the
     * last try to start it again when the host restarted: no pod is bound to it again, its pod is
     * deleted and the Deployment keeps one pod fewer, until the host launches the instance again
     * ({@link #want}). A number the host holds no instance for (a failed try killed it, and so
     * deleted its pod) is kept as left down all the same, so that no room is kept for it.
     */
    void leaveDown(int index) {
        String pod;
        synchronized (this) {
            PodInstance instance = instances.get(index);
            if (instance != null && instance.leftDown) {
                return;
            }
            if (instance == null) {
                instance = new PodInstance(index, false, event -> { });
                instances.put(index, instance);
            }
            instance.leftDown = true;
            instance.stopRequested = true;
            instance.ending = null;
            pod = instance.pod;
            if (pod != null) {
                bound.remove(pod);
                instance.pod = null;
            }
            RoleInstance was = instance.connection;
            instance.connection = null;
            if (was != null && was.isAlive()) {
                was.kill();
            }
        }
        if (pod != null) {
            LOG.warn("{} instance {} is left down: pod {} is deleted and the Deployment keeps one pod fewer", service, index, pod);
        } else {
            LOG.warn("{} instance {} is left down: it runs in no pod, and the Deployment keeps one pod fewer", service, index);
        }
        launcher.keepDown(service, pod, this::replicasNow);
    }

    /** A new instance {@code index}, bound at once to a free ready pod if there is one. */
    synchronized PodInstance want(int index, boolean suspended, InstanceListener listener) {
        PodInstance old = instances.get(index);
        if (old != null && old.pod != null) {
            bound.remove(old.pod);
        }
        PodInstance fresh = new PodInstance(index, suspended, listener);
        instances.put(index, fresh);
        bindFree();
        return fresh;
    }

    // ---------------------------------------------------------------- the informer

    // A pod event is the API server answering the informer: its list or watch works again. Not a
    // resync, which hands the informer's own copy of each pod again, whatever the server does.

    @Override
    public void onAdd(Pod pod) {
        launcher.engineAnswered();
        seen(pod);
    }

    @Override
    public void onUpdate(Pod before, Pod pod) {
        if (!Objects.equals(before.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
            launcher.engineAnswered();
        }
        seen(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
        launcher.engineAnswered();
        synchronized (this) {
            gone(pod);
            bindFree();
        }
        handled.accept(pod);
    }

    private void seen(Pod pod) {
        synchronized (this) {
            if (terminating(pod)) {
                gone(pod);
            } else {
                running(pod);
            }
            bindFree();
        }
        handled.accept(pod);
    }

    /** A pod that is there: a bound one may have had its container restarted, or become ready again. */
    private void running(Pod pod) {
        String name = pod.getMetadata().getName();
        Integer index = bound.get(name);
        if (index == null) {
            return;
        }
        PodInstance instance = instances.get(index);
        if (instance == null || !name.equals(instance.pod)) {
            bound.remove(name);
            return;
        }
        int restarts = restarts(pod);
        if (restarts > instance.restartsSeen) {
            int ended = restarts - instance.restartsSeen;
            instance.restartsSeen = restarts;
            instance.awaitingRestart = false;
            LOG.warn("{} instance {}: Kubernetes restarted the container of pod {}", service, index, name);
            int status = exitStatus(pod, true);
            if (instance.connectedSinceRestart) {
                // The first restart is of the run the host connected to, whose exit may be told already.
                instance.connectedSinceRestart = false;
                instance.exited(status);
                ended--;
            }
            // Each other one is a run that ended before its pod was ready again: a crash in a row too (decision 0047).
            for (; ended > 0 && !instance.stopRequested; ended--) {
                instance.unseenRunExited(status);
            }
        }
        if (ready(pod) && !instance.stopRequested && !instance.awaitingRestart && instance.connection == null && !instance.connecting) {
            instance.connect(address(pod));
        }
    }

    /** A pod going or gone: the instance it ran exits, and its number waits for another pod. */
    private void gone(Pod pod) {
        String name = pod.getMetadata().getName();
        Integer index = bound.remove(name);
        if (index == null) {
            return;
        }
        PodInstance instance = instances.get(index);
        if (instance != null && name.equals(instance.pod)) {
            LOG.warn("{} instance {}: pod {} is gone", service, index, name);
            instance.pod = null;
            instance.awaitingRestart = false;
            instance.exited(exitStatus(pod, false));
        }
    }

    /** Binds each free ready pod of the definition in force to a number that waits for one. */
    private void bindFree() {
        if (informer == null) {
            return;
        }
        List<Pod> free = new ArrayList<>();
        for (Pod pod : informer.getStore().list()) {
            if (!bound.containsKey(pod.getMetadata().getName()) && (ready(pod) || crashLooping(pod)) && !terminating(pod)
                    && Objects.equals(appliedHash, annotation(pod, KubernetesInstanceLauncher.HASH_ANNOTATION))) {
                free.add(pod);
            }
        }
        // Pods that carry a number keep it; the others go by age, the oldest first.
        free.sort(Comparator.comparing((Pod pod) -> labelledIndex(pod).isEmpty())
                .thenComparing(pod -> Objects.toString(pod.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(pod -> pod.getMetadata().getName()));
        for (Pod pod : free) {
            OptionalInt labelled = labelledIndex(pod);
            Optional<PodInstance> waiting = labelled.isPresent() && waitsForPod(instances.get(labelled.getAsInt()))
                    ? Optional.of(instances.get(labelled.getAsInt()))
                    : instances.values().stream().filter(ServicePods::waitsForPod).findFirst();
            if (waiting.isEmpty()) {
                return;
            }
            bind(pod, waiting.get());
        }
    }

    private static boolean waitsForPod(PodInstance instance) {
        return instance != null && instance.pod == null && !instance.stopRequested;
    }

    private void bind(Pod pod, PodInstance instance) {
        String name = pod.getMetadata().getName();
        bound.put(name, instance.index);
        instance.awaitingRestart = false;
        instance.pod = name;
        instance.restartsSeen = restarts(pod);
        instance.connectedSinceRestart = false;
        LOG.info("{} instance {} runs in pod {}", service, instance.index, name);
        if (labelledIndex(pod).orElse(-1) != instance.index) {
            launcher.label(name, instance.index);
        }
        if (ready(pod)) {
            instance.connect(address(pod));
        } else {
            // Kubernetes waits to restart its container once more: the run before exited before it was ready (decision 0047).
            LOG.warn("{} instance {}: the container of pod {} keeps exiting before it is ready", service, instance.index, name);
            instance.unseenRunExited(exitStatus(pod, true));
        }
    }

    // ---------------------------------------------------------------- reading pods

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getPodIP() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Whether the kubelet waits to restart a container of {@code pod} that kept exiting (CrashLoopBackOff). */
    static boolean crashLooping(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState() != null && s.getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()));
    }

    static boolean terminating(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }

    /**
     * The exit status of the run that ended, or -1 when Kubernetes does not say: for a container
     * restarted in its pod, its last state; for a pod that is going, its current state.
     */
    static int exitStatus(Pod pod, boolean restartedInPlace) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return -1;
        }
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            io.fabric8.kubernetes.api.model.ContainerState state = restartedInPlace ? status.getLastState() : status.getState();
            ContainerStateTerminated ended = state == null ? null : state.getTerminated();
            if (ended != null && ended.getExitCode() != null) {
                return ended.getExitCode();
            }
        }
        return -1;
    }

    private static OptionalInt labelledIndex(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String value = labels == null ? null : labels.get(KubernetesInstanceLauncher.INDEX_LABEL);
        try {
            return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String annotation(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static InetSocketAddress address(Pod pod) {
        return new InetSocketAddress(pod.getStatus().getPodIP(), KubernetesInstanceLauncher.PROTOCOL_PORT);
    }

    // ---------------------------------------------------------------- one instance

    /**
     * Instance {@code index} as the host holds it: the same object across the pods that run it in
     * turn, so that a pod Kubernetes replaced is this instance exiting and becoming ready again.
     */
    final class PodInstance implements RoleInstance {
        final int index;
        private final InstanceListener listener;
        private final CompletableFuture<Integer> ready = new CompletableFuture<>();
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        /** The bound pod's name; null while the instance waits for one. Written under the pods' lock. */
        volatile String pod;
        volatile int restartsSeen;
        volatile RoleInstance connection;
        volatile boolean connecting;
        volatile boolean stopRequested;
        /**
         * The process said it exited while its pod stays: the pod is not connected to again until
         * Kubernetes has restarted its container (or the pod is gone).
         */
        volatile boolean awaitingRestart;
        /** Suspended, so that each pod that runs it is suspended before it counts as ready. */
        private volatile boolean gateClosed;
        /** Counts the runs (a pod, or a pod's container after a restart) the instance has had. */
        private int run;
        /** Whether this run's exit was told already: the connection and the informer may both see it. */
        private boolean exitTold = true;
        private volatile int port = -1;
        private volatile InetSocketAddress address;
        /** The run asked to stop after its gate failed, until it is known to have ended or its pod is deleted; under the pods' lock. */
        private Ending ending;
        /** A Ready that came before the connector handed back the connection; under the pods' lock. */
        private InstanceEvent.Ready readyBeforeConnected;
        /** Whether the host connected to a run since the informer last saw the pod's container restarted; under the pods' lock. */
        boolean connectedSinceRestart;
        /** Left down by the host after too many crashes in a row: bound to no pod, and kept no room for. Under the pods' lock. */
        boolean leftDown;
        /** The last problem the instance, or the engine about it, told; what a launch that fails before ready fails with. */
        private volatile String lastProblem;

        PodInstance(int index, boolean suspended, InstanceListener listener) {
            this.index = index;
            this.gateClosed = suspended;
            this.listener = listener;
        }

        /** Connects to the bound pod, off the informer's thread. Under the pods' lock. */
        void connect(InetSocketAddress at) {
            run++;
            exitTold = false;
            connecting = true;
            connectedSinceRestart = true;
            int thisRun = run;
            launcher.work().execute(() -> open(at, thisRun));
        }

        private void open(InetSocketAddress at, int thisRun) {
            RoleInstance opened;
            try {
                opened = launcher.connector().connect(service, index, at, token, event -> fromConnection(thisRun, event));
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} instance {} could not be reached at {}: {}; the next word from its pod tries again",
                        service, index, at, e.getMessage());
                synchronized (ServicePods.this) {
                    connecting = false;
                }
                return;
            }
            InstanceEvent.Ready early;
            synchronized (ServicePods.this) {
                connecting = false;
                if (thisRun != run || exitTold || stopRequested) {
                    opened.kill();
                    return;
                }
                address = at;
                connection = opened;
                early = readyBeforeConnected;
                readyBeforeConnected = null;
            }
            if (early != null) {
                whenReady(opened, thisRun, early);
            }
        }

        private void fromConnection(int thisRun, InstanceEvent event) {
            if (event instanceof InstanceEvent.Exited exited) {
                synchronized (ServicePods.this) {
                    if (thisRun == run && !exitTold) {
                        awaitingRestart = true;
                        exited(exited.status());
                    }
                    Ending end = ending;
                    if (end != null && end.run() == thisRun) {
                        end.exit().complete(exited.status());
                    }
                }
                return;
            }
            if (event instanceof InstanceEvent.Ready r) {
                RoleInstance opened;
                synchronized (ServicePods.this) {
                    if (thisRun != run) {
                        return;
                    }
                    opened = connection;
                    if (opened == null) {
                        readyBeforeConnected = r;
                        return;
                    }
                }
                whenReady(opened, thisRun, r);
                return;
            }
            if (event instanceof InstanceEvent.Problem problem) {
                lastProblem = problem.message();
            }
            listener.onEvent(event);
        }

        /**
         * Each run (a new pod, or a container Kubernetes restarted) gets the gate the host holds for
         * the instance before the host hears it is ready: a suspended instance is suspended (again:
         * its pod starts it suspended, but a pod of an earlier template may not), any other is
         * resumed. A run the host never connected to takes no message. A word that fails is tried
         * again ({@value #GATE_ATTEMPTS} times in all); a run whose gate still could not be set never
         * counts as ready (see {@link #gateFailed}).
         */
        private void whenReady(RoleInstance opened, int thisRun, InstanceEvent.Ready r) {
            setGate(opened, thisRun, r, 1);
        }

        private void setGate(RoleInstance opened, int thisRun, InstanceEvent.Ready r, int attempt) {
            boolean closed = gateClosed;
            (closed ? opened.suspend() : opened.resume()).whenComplete((done, failure) -> {
                if (failure == null) {
                    becameReady(r);
                    return;
                }
                String doing = closed ? "refuses messages" : "takes messages";
                if (attempt < GATE_ATTEMPTS && opened.isAlive()) {
                    LOG.warn("{} instance {} did not confirm that it {} (attempt {} of {}): {}; trying again", service, index,
                            doing, attempt, GATE_ATTEMPTS, failure.getMessage());
                    CompletableFuture.delayedExecutor(GATE_PAUSE_MS, TimeUnit.MILLISECONDS, launcher.work())
                            .execute(() -> setGate(opened, thisRun, r, attempt + 1));
                    return;
                }
                gateFailed(opened, thisRun, doing, attempt, failure);
            });
        }

        /**
         * The run's gate could not be set: counted as ready, it would take messages it should not,
         * or (an Active service's, left closed) refuse every message until restarted. The operator
         * is told, and the run ends as an instance that exited before it was ready, so that
         * supervision shows a crash and waits for the next run; a run before the instance was ever
         * ready fails its launch instead (see {@link #exited}). The run is asked to stop; Kubernetes
         * restarts its container. Its pod is deleted, and replaced by its Deployment, if the run has
         * not ended within {@link KubernetesInstanceLauncher#gateStopWait()} or its connection is lost.
         */
        private void gateFailed(RoleInstance opened, int thisRun, String doing, int attempts, Throwable failure) {
            Ending end;
            synchronized (ServicePods.this) {
                if (thisRun != run || exitTold || stopRequested) {
                    // The run ended meanwhile, or the host stops it: nothing is left to end.
                    return;
                }
                // A run before the instance was ever ready fails its launch, as a child JVM that exits before ready does.
                String problem = "Instance " + index + " of " + service + " (run " + thisRun + ", pod " + pod
                        + ") did not confirm that it " + doing + " after " + attempts + " attempts: " + failure.getMessage()
                        + (ready.isDone() ? "; it is stopped and started again" : "; it is stopped")
                        + "; its log may say why: in the console the service's details, Log tab (Previous run once it has started"
                        + " again), or sluice ctl logs " + service + " " + index;
                LOG.warn("{}", problem);
                lastProblem = problem;
                listener.onEvent(new InstanceEvent.Problem(problem));
                end = new Ending(thisRun, pod, restartsSeen, new CompletableFuture<>());
                ending = end;
                // Not connected to again until Kubernetes has restarted its container, or the pod is gone.
                awaitingRestart = true;
                // Asked to stop below rather than let go of, so that the host learns whether it ended.
                connection = null;
                exited(-1);
            }
            Duration wait = launcher.gateStopWait();
            end.exit().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                    .thenAcceptAsync(status -> settle(end, status, wait), launcher.work());
            if (opened.isAlive()) {
                opened.stop().whenComplete((done, stopFailure) -> {
                    if (stopFailure != null) {
                        end.exit().complete(LOST);
                    }
                });
            } else {
                end.exit().complete(LOST);
            }
        }

        /**
         * A run asked to stop after its gate failed has ended with {@code status}, has lost its
         * connection ({@value #LOST}), or has said nothing within {@code wait} (null): unless it
         * ended, its pod is deleted, if Kubernetes has not restarted its container or replaced it
         * meanwhile.
         */
        private void settle(Ending end, Integer status, Duration wait) {
            synchronized (ServicePods.this) {
                if (ending == end) {
                    ending = null;
                }
                if (status != null && status != LOST) {
                    return;
                }
                if (!Objects.equals(end.pod(), pod) || run != end.run() || restartsSeen != end.restarts()) {
                    return;
                }
            }
            LOG.warn("{} instance {}: pod {} {}; it is deleted", service, index, end.pod(), status == null
                    ? "did not end within " + wait.toMillis() + " ms of being asked to stop" : "lost its connection while asked to stop");
            launcher.deletePod(end.pod());
        }

        private void becameReady(InstanceEvent.Ready r) {
            port = r.port();
            listener.onEvent(r);
            ready.complete(r.port());
        }

        /**
         * This run ended with {@code status}; told once, whoever sees it first. An instance that
         * was never ready fails its launch with the last problem told and is not run again, as a
         * child JVM that exits before it is ready. Under the pods' lock.
         */
        void exited(int status) {
            if (exitTold) {
                return;
            }
            exitTold = true;
            RoleInstance was = connection;
            connection = null;
            port = -1;
            if (was != null && was.isAlive()) {
                was.kill();
            }
            listener.onEvent(new InstanceEvent.Exited(status, stopRequested));
            if (stopRequested) {
                stopped.complete(null);
            }
            if (!ready.isDone()) {
                // As a child JVM's: the launch fails with the last problem told, and the host does not run this instance
                // again; it launches another if it wants one (decision 0047).
                String problem = lastProblem;
                ready.completeExceptionally(new IOException(problem != null ? problem
                        : "exited with status " + status + " before it was ready"));
                stopRequested = true;
            }
        }

        /** A run the host never connected to ended with {@code status}, seen from its container's restart count. Under the pods' lock. */
        void unseenRunExited(int status) {
            run++;
            exitTold = false;
            exited(status);
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public CompletableFuture<Integer> ready() {
            return ready;
        }

        @Override
        public OptionalInt port() {
            int known = port;
            return known > 0 ? OptionalInt.of(known) : OptionalInt.empty();
        }

        @Override
        public Optional<InetSocketAddress> address() {
            InetSocketAddress at = address;
            return at == null || port <= 0 ? Optional.empty() : Optional.of(new InetSocketAddress(at.getAddress(), port));
        }

        @Override
        public CompletableFuture<Void> suspend() {
            gateClosed = true;
            return gate(RoleInstance::suspend);
        }

        @Override
        public CompletableFuture<Void> resume() {
            gateClosed = false;
            return gate(RoleInstance::resume);
        }

        private CompletableFuture<Void> gate(java.util.function.Function<RoleInstance, CompletableFuture<Void>> change) {
            RoleInstance opened = connection;
            return opened == null
                    ? CompletableFuture.failedFuture(new IOException("instance " + index + " of " + service + " runs in no ready pod"))
                    : change.apply(opened);
        }

        /** Asks the instance to stop; its pod goes when the host lowers the replicas ({@code released}). */
        @Override
        public CompletableFuture<Void> stop() {
            RoleInstance opened;
            synchronized (ServicePods.this) {
                stopRequested = true;
                opened = connection;
                if (opened == null) {
                    exitTold = true;
                    stopped.complete(null);
                    return stopped;
                }
            }
            int thisRun = run;
            opened.stop().whenComplete((done, failure) -> {
                synchronized (ServicePods.this) {
                    if (thisRun == run) {
                        exited(0);
                    }
                }
            });
            return stopped;
        }

        /** Ends the instance at once: its pod is deleted, and its Deployment puts another in its place. */
        @Override
        public void kill() {
            String was;
            synchronized (ServicePods.this) {
                stopRequested = true;
                was = pod;
                if (was != null) {
                    bound.remove(was);
                    pod = null;
                }
                exited(137);
                stopped.complete(null);
                if (instances.get(index) == this) {
                    instances.remove(index);
                }
            }
            if (was != null) {
                launcher.deletePod(was);
            }
        }

        @Override
        public boolean isAlive() {
            return connection != null;
        }
    }
}
