package org.sluice.runtime.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.InstanceConnector;
import org.sluice.runtime.InstanceLauncher;
import org.sluice.runtime.InstanceListener;
import org.sluice.runtime.InstanceLogFiles;
import org.sluice.runtime.RoleInstance;
import org.sluice.runtime.definition.DefinitionJson;
import org.sluice.runtime.instance.InstanceProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs role instances as the pods of a Kubernetes Deployment, one per service (decision 0023).
 *
 * <p>A service is a ConfigMap with its definition, a Secret with the token its instances sign in
 * with, and a Deployment whose replicas are its units, whose container's limits are its cores and
 * the memory {@link PodMemory} computes, and whose pod template carries the definition's hash.
 * Launching instance {@code i} makes sure these say what the definition says and then waits for a
 * ready pod to be bound to {@code i} (see {@link ServicePods}); the launcher never creates a pod
 * itself, so the host can never start a second copy of an instance. Stopping an instance asks it
 * to stop through its connection; {@link #released} then lowers the replicas.
 *
 * <p>Kubernetes restarts crashed containers and replaces lost pods ({@link #restartsInstances()}):
 * the host sees either as its instance exiting and becoming ready again, until it leaves a
 * crashing instance down ({@link #leftDown}), which takes its pod away. A run that ends before
 * its instance was ever ready fails the instance's launch (decision 0047).
 */
public final class KubernetesInstanceLauncher implements InstanceLauncher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesInstanceLauncher.class);

    /** The label that names a pod's service. */
    public static final String SERVICE_LABEL = "sluice.org/service";
    /** The label that gives a bound pod its instance's number. */
    public static final String INDEX_LABEL = "sluice.org/index";
    /** The label that marks everything the host made. */
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** The pod template's annotation with the definition's hash: a new definition is a new rollout. */
    public static final String HASH_ANNOTATION = "sluice.org/definition-hash";
    /** Kubernetes removes the pods with the lowest cost first when replicas go down: those with the highest numbers. */
    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    /** The port an instance speaks the instance protocol on, in its pod. */
    public static final int PROTOCOL_PORT = 7400;
    /** The name of the role instance's container in its pod. */
    static final String CONTAINER = "instance";
    /** Where an instance keeps its work folder inside its pod, on the pod's own writable volume. */
    static final String WORK_FOLDER = "/tmp/work";
    /** Where the pod finds its definition, from the ConfigMap. */
    static final String DEFINITION_FOLDER = "/etc/sluice";
    static final String DEFINITION_KEY = "definition.json";
    static final String TOKEN_KEY = "token";

    /**
     * @param namespace the namespace the services' objects live in
     * @param image     the container image that runs a role instance
     * @param resync    how often the pod informer hands every pod to the launcher again
     * @param apiWait   how long the launcher waits for the pod informer's first list
     * @param door      the host's front door as pods reach it ({@code http://HOST:PORT}, the door's
     *                  Service); empty when none was given, and then a {@code door:/PATH}
     *                  destination cannot start
     */
    public record Settings(String namespace, String image, Duration resync, Duration apiWait, Optional<String> door) {
        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(door, "door");
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("An instance image is needed to run instances on Kubernetes");
            }
        }

        public Settings(String namespace, String image, Duration resync, Duration apiWait) {
            this(namespace, image, resync, apiWait, Optional.empty());
        }

        /** The same settings, with pods reaching the host's front door at {@code address}. */
        public Settings withDoor(String address) {
            return new Settings(namespace, image, resync, apiWait, Optional.of(address));
        }
    }

    /**
     * How long a run whose gate could not be set has to end once asked to stop before its pod is
     * deleted (see {@link ServicePods}).
     */
    static final Duration GATE_STOP_WAIT = Duration.ofSeconds(15);

    /** How many times a pod's label is tried when the pod changed in between. */
    private static final int LABEL_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final Settings settings;
    private final InstanceConnector connector;
    private final Map<String, ServicePods> services = new ConcurrentHashMap<>();
    /** Connects to pods and labels them, off the informers' threads. */
    private final ExecutorService work = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("sluice-kubernetes-", 1).daemon().factory());
    private final SecureRandom random = new SecureRandom();
    private final InstantSource clock;
    private volatile Duration gateStopWait = GATE_STOP_WAIT;
    private final java.util.List<Consumer<EngineStatus>> engineWatchers = new CopyOnWriteArrayList<>();
    /** Held while the engine's status changes and its watchers hear of it, so that they hear the changes in order. */
    private final Object engineLock = new Object();
    private EngineStatus engine;

    public KubernetesInstanceLauncher(KubernetesClient client, Settings settings, InstanceConnector connector) {
        this(client, settings, connector, InstantSource.system());
    }

    /** How often an unavailable engine is checked again, by one list the Role allows. */
    static final Duration RECHECK = Duration.ofSeconds(5);

    /** Runs a task every {@code period} until the future it returns is cancelled: a timer in the host, the test's hand in tests. */
    @FunctionalInterface
    interface Rechecks {
        Future<?> every(Duration period, Runnable task);
    }

    private final Rechecks rechecks;
    /** The timer behind {@link #rechecks}, when the launcher made it; its thread starts with the first recheck. */
    private final ScheduledExecutorService timer;
    /** The recheck that runs while the engine is unavailable; null while it is available. Under {@link #engineLock}. */
    private Future<?> recheck;
    /** Under {@link #engineLock}. */
    private boolean closed;

    /** @param clock tells since when the engine is available or not */
    public KubernetesInstanceLauncher(KubernetesClient client, Settings settings, InstanceConnector connector, InstantSource clock) {
        this(client, settings, connector, clock, Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-kubernetes-recheck").daemon().factory()));
    }

    private KubernetesInstanceLauncher(KubernetesClient client, Settings settings, InstanceConnector connector, InstantSource clock,
            ScheduledExecutorService timer) {
        this(client, settings, connector, clock,
                (period, task) -> timer.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS), timer);
    }

    /** @param rechecks runs the recheck of an unavailable engine, every {@link #RECHECK} */
    KubernetesInstanceLauncher(KubernetesClient client, Settings settings, InstanceConnector connector, InstantSource clock,
            Rechecks rechecks) {
        this(client, settings, connector, clock, rechecks, null);
    }

    private KubernetesInstanceLauncher(KubernetesClient client, Settings settings, InstanceConnector connector, InstantSource clock,
            Rechecks rechecks, ScheduledExecutorService timer) {
        this.rechecks = Objects.requireNonNull(rechecks, "rechecks");
        this.timer = timer;
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.engine = EngineStatus.available(EngineStatus.Kind.KUBERNETES, clock.millis());
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener)
            throws IOException {
        ServicePods pods = apply(definition);
        boolean wasLeftDown = pods.isLeftDown(index);
        ServicePods.PodInstance instance = pods.want(index, suspended, listener);
        if (wasLeftDown) {
            // The Deployment kept no room for it while it was left down; it has some again.
            patchReplicas(definition.name(), pods.replicasFor(definition.units()));
        }
        return instance;
    }

    @Override
    public boolean restartsInstances() {
        return true;
    }

    @Override
    public void released(String service, int from) throws IOException {
        ServicePods pods = services.get(service);
        // Instances left down below from stay so, and keep no room.
        int replicas = pods == null ? from : pods.replicasFor(from);
        Deployment deployment = call("get", "deployments", () -> deployments().withName(deploymentName(service)).get());
        if (deployment != null && !Integer.valueOf(replicas).equals(deployment.getSpec().getReplicas())) {
            patchReplicas(service, replicas);
        }
        if (pods != null) {
            pods.releaseFrom(from);
        }
    }

    /**
     * The host gave up on the instance, after a crash loop or a host restart's last try. Kubernetes
     * would restart its container for ever (CrashLoopBackOff): the instance
     * is marked left down, so that no pod is bound to it again, and in the background its pod is
     * deleted and the Deployment's replicas lowered by one, so that no pod takes its place; the
     * others run on. Launching the instance again raises the replicas (decision 0047).
     */
    @Override
    public void leftDown(String service, int index) {
        ServicePods pods = services.get(service);
        if (pods != null) {
            pods.leaveDown(index);
        }
    }

    /**
     * Has the Deployment of {@code service} keep the pods {@code replicas} says when the call is
     * made (an operation may have changed them meanwhile), and then deletes {@code pod} (null:
     * none), in the background. The pod is first made the one its ReplicaSet removes first, so
     * that lowering the replicas cannot take another instance's pod instead.
     */
    void keepDown(String service, String pod, java.util.function.IntSupplier replicas) {
        if (work.isShutdown()) {
            LOG.debug("{}: the launcher is closed; pod {} stays", service, pod);
            return;
        }
        work.execute(() -> {
            try {
                if (pod != null) {
                    try {
                        call("patch", "pods", () -> client.pods().inNamespace(settings.namespace()).withName(pod)
                                .edit(p -> new PodBuilder(p).editMetadata()
                                        .addToAnnotations(DELETION_COST, Integer.toString(Integer.MIN_VALUE)).endMetadata().build()));
                    } catch (IOException | RuntimeException e) {
                        // The pod is deleted below all the same.
                        LOG.debug("Pod {} could not be marked to go first: {}", pod, e.getMessage());
                    }
                }
                patchReplicas(service, replicas.getAsInt());
                if (pod != null) {
                    call("delete", "pods", () -> client.pods().inNamespace(settings.namespace()).withName(pod).delete());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: an instance left down could not be taken off Kubernetes (pod {}): {}", service, pod, e.getMessage());
            }
        });
    }

    /** Sets the replicas of {@code service}'s Deployment, as it is on the cluster now. */
    private void patchReplicas(String service, int replicas) throws IOException {
        call("patch", "deployments", () -> deployments().withName(deploymentName(service))
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(replicas).endSpec().build()));
    }

    @Override
    public void deleted(String service) throws IOException {
        ServicePods pods = services.remove(service);
        if (pods != null) {
            pods.close();
        }
        call("delete", "deployments", () -> deployments().withName(deploymentName(service)).delete());
        call("delete", "configmaps", () -> client.configMaps().inNamespace(settings.namespace())
                .withName(configMapName(service)).delete());
        call("delete", "secrets", () -> client.secrets().inNamespace(settings.namespace())
                .withName(secretName(service)).delete());
    }

    /** Pods reach the host's front door only at the address the host was given for them, never at its loopback one. */
    @Override
    public Optional<String> frontDoorForInstances(String onThisMachine) {
        return settings.door();
    }

    /**
     * Available until a call to the API server finds it out of reach or refused (401, 403, an
     * answer of 500 and up), or a pod informer's list or watch fails; available again from the
     * next call it answers, the next pod change an informer hears (a resync is not one), or the
     * next recheck it answers: while unavailable, the launcher lists one pod every {@link #RECHECK}.
     */
    @Override
    public EngineStatus engineStatus() {
        synchronized (engineLock) {
            return engine;
        }
    }

    @Override
    public void watchEngine(Consumer<EngineStatus> watcher) {
        engineWatchers.add(Objects.requireNonNull(watcher, "watcher"));
    }

    /** The API server answered: the engine is available, from now if it was not. */
    void engineAnswered() {
        synchronized (engineLock) {
            if (!engine.available()) {
                changeEngine(EngineStatus.available(EngineStatus.Kind.KUBERNETES, clock.millis()));
            }
        }
    }

    /** The API server could not be reached or refused the host, for {@code reason}. */
    void engineFailed(String reason) {
        synchronized (engineLock) {
            if (engine.available()) {
                // Debug only: the host's activity log tells each change to the operator, with its fields.
                LOG.debug("The Kubernetes engine is unavailable: {}", reason);
                changeEngine(EngineStatus.unavailable(EngineStatus.Kind.KUBERNETES, reason, clock.millis()));
            } else if (!engine.reason().orElseThrow().equals(reason)) {
                // Still unavailable, since the first failure, for the latest reason.
                changeEngine(EngineStatus.unavailable(EngineStatus.Kind.KUBERNETES, reason, engine.sinceMs()));
            }
        }
    }

    private void changeEngine(EngineStatus now) {
        if (now.available()) {
            LOG.debug("The Kubernetes engine is available again");
            stopRechecking();
        } else if (recheck == null && !closed) {
            recheck = rechecks.every(RECHECK, this::recheck);
        }
        engine = now;
        for (Consumer<EngineStatus> watcher : engineWatchers) {
            try {
                watcher.accept(now);
            } catch (RuntimeException e) {
                LOG.error("A watcher of the engine's status failed", e);
            }
        }
    }

    /** Under {@link #engineLock}. */
    private void stopRechecking() {
        if (recheck != null) {
            recheck.cancel(false);
            recheck = null;
        }
    }

    /**
     * Asks the API server for one pod, which the host may always list, so that an engine that is
     * back is seen as such with no operation under way and no pod changing (a watch re-established
     * on a quiet cluster tells nothing). A failure keeps the reason the engine has: it is the
     * reason of a call that mattered.
     */
    private void recheck() {
        if (engineStatus().available()) {
            return;
        }
        try {
            ApiFailures.call("list", "pods", settings.namespace(), server(), () -> client.pods().inNamespace(settings.namespace())
                    .withLabel(SERVICE_LABEL).list(new ListOptionsBuilder().withLimit(1L).build()));
        } catch (IOException e) {
            LOG.debug("The Kubernetes engine is still unavailable: {}", e.getMessage());
            return;
        } catch (RuntimeException e) {
            // A timer's task that throws runs no more: say so, and keep checking.
            LOG.warn("The Kubernetes engine could not be checked again: {}", e.toString());
            return;
        }
        engineAnswered();
    }

    /** Stops watching pods. What runs in the cluster stays: pods outlive their host. */
    @Override
    public void close() {
        synchronized (engineLock) {
            closed = true;
            stopRechecking();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        services.values().forEach(ServicePods::close);
        services.clear();
        work.shutdownNow();
    }

    // ---------------------------------------------------------------- the service's objects

    /**
     * Makes the ConfigMap, Secret and Deployment of {@code definition}'s service say what it says,
     * and starts watching its pods; does nothing when they already do.
     */
    private ServicePods apply(ServiceDefinition definition) throws IOException {
        String service = definition.name();
        ServicePods pods = services.computeIfAbsent(service, name -> new ServicePods(name, this));
        synchronized (pods.applying) {
            String json = DefinitionJson.write(definition);
            if (pods.applied(json, definition.units())) {
                return pods;
            }
            String hash = templateHash(definition);
            applyConfigMap(service, json);
            pods.token(token(service));
            applyDeployment(definition, hash, pods.replicasFor(definition.units()));
            pods.appliedNow(json, hash, definition.units());
            pods.watch();
            return pods;
        }
    }

    private void applyConfigMap(String service, String json) throws IOException {
        String name = configMapName(service);
        ConfigMap existing = call("get", "configmaps", () -> client.configMaps().inNamespace(settings.namespace()).withName(name).get());
        if (existing == null) {
            ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels(service)).endMetadata()
                    .addToData(DEFINITION_KEY, json).build();
            call("create", "configmaps", () -> client.configMaps().inNamespace(settings.namespace()).resource(map).create());
        } else if (existing.getData() == null || !json.equals(existing.getData().get(DEFINITION_KEY))) {
            call("patch", "configmaps", () -> client.configMaps().inNamespace(settings.namespace()).withName(name)
                    .edit(c -> new ConfigMapBuilder(c).withData(Map.of(DEFINITION_KEY, json)).build()));
        }
    }

    /** The service's token: the one in its Secret, or a new one kept in a new Secret. */
    private String token(String service) throws IOException {
        String name = secretName(service);
        Secret existing = call("get", "secrets", () -> client.secrets().inNamespace(settings.namespace()).withName(name).get());
        if (existing != null && existing.getData() != null && existing.getData().containsKey(TOKEN_KEY)) {
            return new String(Base64.getDecoder().decode(existing.getData().get(TOKEN_KEY)), StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withLabels(labels(service)).endMetadata()
                .addToData(TOKEN_KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))).build();
        if (existing == null) {
            call("create", "secrets", () -> client.secrets().inNamespace(settings.namespace()).resource(secret).create());
        } else {
            call("patch", "secrets", () -> client.secrets().inNamespace(settings.namespace()).withName(name)
                    .edit(s -> new SecretBuilder(s).withData(secret.getData()).build()));
        }
        return token;
    }

    /** @param replicas the definition's units, less those of its instances that are left down */
    private void applyDeployment(ServiceDefinition definition, String hash, int replicas) throws IOException {
        String name = deploymentName(definition.name());
        PodTemplateSpec template = template(definition, hash);
        Deployment existing = call("get", "deployments", () -> deployments().withName(name).get());
        if (existing == null) {
            Deployment deployment = new DeploymentBuilder()
                    .withNewMetadata().withName(name).withLabels(labels(definition.name())).endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().addToMatchLabels(SERVICE_LABEL, definition.name()).endSelector()
                    // Two definitions of a service never run side by side, as on a host's own machine.
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withTemplate(template)
                    .endSpec().build();
            call("create", "deployments", () -> deployments().resource(deployment).create());
        } else {
            call("patch", "deployments", () -> deployments().withName(name).edit(d -> new DeploymentBuilder(d).editSpec()
                    .withReplicas(replicas).withTemplate(template).endSpec().build()));
        }
    }

    /**
     * The log of the pod bound to instance {@code index}: its container's, as Kubernetes keeps it,
     * in whole lines. The run before is the container's previous run, which Kubernetes keeps once
     * it restarted the container in its pod (a pod that replaced another starts without one). An
     * instance with no pod bound has neither. Runs are told apart by length alone (decision 0020).
     */
    @Override
    public InstanceLog log(String service, int index, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        ServicePods pods = services.get(service);
        Optional<String> pod = pods == null ? Optional.empty() : pods.podOf(index);
        boolean previousKept = pods != null && pods.restartedInPlace(index);
        if (pod.isEmpty() || run == InstanceLog.Run.PREVIOUS && !previousKept) {
            return InstanceLog.none(run, false, previousKept);
        }
        String text = call("get", "pods/log", () -> {
            var container = client.pods().inNamespace(settings.namespace()).withName(pod.get()).inContainer(CONTAINER);
            return run == InstanceLog.Run.PREVIOUS ? container.terminated().getLog() : container.getLog();
        });
        return InstanceLogFiles.read((text == null ? "" : text).getBytes(StandardCharsets.UTF_8), run, offset, maxBytes, previousKept,
                InstanceLog.UNKNOWN_RUN);
    }

    /** The pod template of {@code definition}: what a pod of its service is. */
    PodTemplateSpec template(ServiceDefinition definition, String hash) {
        PodMemory memory = PodMemory.of(definition);
        Quantity memoryLimit = new Quantity(memory.limitMb() + "Mi");
        Quantity cpu = new Quantity(Integer.toString(definition.coresPerInstance()));
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels(definition.name())).addToAnnotations(HASH_ANNOTATION, hash).endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(settings.image())
                .addNewPort().withName("protocol").withContainerPort(PROTOCOL_PORT).endPort()
                // The image runs `sluice instance`. A pod learns its instance number only once the host binds it, so
                // every pod starts as 0; the number names nothing outside the pod (a dir: source's claim folder is the
                // pod's own). Every process starts suspended, a container Kubernetes restarts too: it takes no message
                // until the host, connected to it, has opened its gate (decision 0038).
                .withArgs("--definition", DEFINITION_FOLDER + "/" + DEFINITION_KEY, "--index", "0", "--work", WORK_FOLDER,
                        "--transport", "network", "--bind", "0.0.0.0", "--port", Integer.toString(PROTOCOL_PORT), "--suspended")
                .withEnv(new EnvVarBuilder().withName("SLUICE_SERVICE").withValue(definition.name()).build(),
                        new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue(String.join(" ", memory.jvmOptions())).build(),
                        new EnvVarBuilder().withName(InstanceProcess.TOKEN_VARIABLE).withNewValueFrom().withNewSecretKeyRef()
                                .withName(secretName(definition.name())).withKey(TOKEN_KEY).endSecretKeyRef().endValueFrom().build())
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withNewResources()
                .addToLimits("memory", memoryLimit).addToLimits("cpu", cpu)
                .addToRequests("memory", memoryLimit).addToRequests("cpu", cpu)
                .endResources()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort("protocol").endTcpSocket()
                .withPeriodSeconds(2).withFailureThreshold(3).endReadinessProbe()
                .addNewVolumeMount().withName("definition").withMountPath(DEFINITION_FOLDER).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("definition").withNewConfigMap().withName(configMapName(definition.name())).endConfigMap()
                .endVolume()
                // The instance's work folder, its outbox folders and the JVM's temporary files: the root is read-only.
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
    }

    // ---------------------------------------------------------------- for ServicePods

    SharedIndexInformer<Pod> podInformer(String service) {
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(settings.namespace()).withLabel(SERVICE_LABEL, service)
                .runnableInformer(settings.resync().toMillis());
        informer.exceptionHandler((started, failure) -> {
            engineFailed(failure instanceof KubernetesClientException k
                    ? ApiFailures.translate("list and watch", "pods", settings.namespace(), server(), k).getMessage()
                    : "The pods of namespace '" + settings.namespace() + "' could not be watched (" + failure
                    + "): check that the API server at " + server() + " runs and that --kubeconfig names it");
            // As the client's own handler: keep trying once started, unless the answer cannot be read at all.
            return started && !ExceptionHandler.isDeserializationException(failure);
        });
        return informer;
    }

    /** Waits for an informer's first list of pods, failing with the reason the API server gave. */
    void awaitSynced(SharedIndexInformer<Pod> informer) throws IOException {
        try {
            informer.start().toCompletableFuture().get(settings.apiWait().toMillis(), TimeUnit.MILLISECONDS);
            engineAnswered();
        } catch (ExecutionException e) {
            IOException failure = e.getCause() instanceof KubernetesClientException k
                    ? ApiFailures.translate("list and watch", "pods", settings.namespace(), server(), k)
                    : new IOException("The pods of the namespace '" + settings.namespace() + "' could not be watched: "
                    + e.getCause().getMessage(), e.getCause());
            if (ApiFailures.engineDown(failure)) {
                engineFailed(failure.getMessage());
            }
            throw failure;
        } catch (TimeoutException e) {
            IOException failure = new IOException("The Kubernetes API server at " + server() + " did not list the pods of namespace '"
                    + settings.namespace() + "' within " + settings.apiWait().toSeconds()
                    + " s; check that it runs and that --kubeconfig names it", e);
            engineFailed(failure.getMessage());
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while the pods were listed", e);
        }
    }

    /** Labels {@code pod} with the instance number it is bound to, in the background. */
    void label(String pod, int index) {
        work.execute(() -> {
            // The kubelet writes the pod's status meanwhile; a conflict is tried again on the pod as it is now.
            for (int attempt = 1; ; attempt++) {
                try {
                    call("patch", "pods", () -> client.pods().inNamespace(settings.namespace()).withName(pod)
                            .edit(p -> new PodBuilder(p).editMetadata()
                                    .addToLabels(INDEX_LABEL, Integer.toString(index))
                                    .addToAnnotations(DELETION_COST, Integer.toString(-index))
                                    .endMetadata().build()));
                    return;
                } catch (IOException e) {
                    boolean conflict = e.getCause() instanceof KubernetesClientException k && k.getCode() == 409;
                    if (!conflict || attempt == LABEL_ATTEMPTS) {
                        LOG.warn("Pod {} runs instance {} but could not be labelled so: {}", pod, index, e.getMessage());
                        return;
                    }
                }
            }
        });
    }

    /** Deletes {@code pod} at once, in the background: its Deployment puts another in its place. */
    void deletePod(String pod) {
        work.execute(() -> {
            try {
                call("delete", "pods", () -> client.pods().inNamespace(settings.namespace()).withName(pod)
                        .withGracePeriod(0).delete());
            } catch (IOException e) {
                LOG.warn("Pod {} could not be deleted: {}", pod, e.getMessage());
            }
        });
    }

    /** Tells {@code listener} of each pod event of {@code service} once it is handled: for tests that wait on the informer. */
    void whenPodHandled(String service, java.util.function.Consumer<Pod> listener) {
        ServicePods pods = services.get(service);
        if (pods == null) {
            throw new IllegalStateException("No instance of " + service + " was launched");
        }
        pods.whenHandled(listener);
    }

    /** The pod bound to instance {@code index} of {@code service}, if one is: for tests. */
    Optional<String> podOf(String service, int index) {
        ServicePods pods = services.get(service);
        return pods == null ? Optional.empty() : pods.podOf(index);
    }

    InstanceConnector connector() {
        return connector;
    }

    Duration gateStopWait() {
        return gateStopWait;
    }

    /** For tests: a shorter wait than {@link #GATE_STOP_WAIT}. */
    void gateStopWait(Duration wait) {
        gateStopWait = Objects.requireNonNull(wait, "wait");
    }

    ExecutorService work() {
        return work;
    }

    // ---------------------------------------------------------------- helpers

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Deployment, io.fabric8.kubernetes.api.model.apps.DeploymentList,
            io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment>> deployments() {
        return client.apps().deployments().inNamespace(settings.namespace());
    }

    /** Makes one call to the API server; its outcome tells whether the engine is available. */
    private <T> T call(String verb, String resource, ApiFailures.Call<T> call) throws IOException {
        T result;
        try {
            result = ApiFailures.call(verb, resource, settings.namespace(), server(), call);
        } catch (IOException e) {
            if (ApiFailures.engineDown(e)) {
                engineFailed(e.getMessage());
            }
            throw e;
        }
        engineAnswered();
        return result;
    }

    private String server() {
        return String.valueOf(client.getMasterUrl());
    }

    static Map<String, String> labels(String service) {
        return Map.of(SERVICE_LABEL, service, MANAGED_BY_LABEL, "sluice");
    }

    public static String deploymentName(String service) {
        return "sluice-" + service;
    }

    public static String configMapName(String service) {
        return "sluice-" + service + "-definition";
    }

    public static String secretName(String service) {
        return "sluice-" + service + "-token";
    }

    /**
     * The hash the pod template carries: of the definition without its units, so that a Scale
     * changes the replicas and nothing else, while any other change is a new rollout.
     */
    public static String templateHash(ServiceDefinition definition) {
        return hash(DefinitionJson.write(definition.withUnits(ServiceDefinition.MIN_UNITS)));
    }

    /** The first 16 hex digits of the SHA-256 of {@code text}: enough to tell two definitions apart. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
