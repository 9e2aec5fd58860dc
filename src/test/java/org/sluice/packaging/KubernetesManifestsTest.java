package org.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sluice.cli.CommandLineShape;
import org.sluice.fleet.api.ManagementServer;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * packaging/kubernetes/ read with the Kubernetes client's own model classes: each file is the kind
 * it should be, the host's Role grants exactly what its comments justify, the host's pod meets the
 * restricted pod security settings, and its ports, probes and options agree with the host's code.
 */
class KubernetesManifestsTest {
    static final Path FOLDER = Path.of("packaging/kubernetes");
    static final String NAMESPACE = "sluice";

    /** Each manifest and the kind it holds; a manifest added without a line here fails the test. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "00-namespace.yaml", Namespace.class,
            "10-serviceaccount.yaml", ServiceAccount.class,
            "20-role.yaml", Role.class,
            "21-rolebinding.yaml", RoleBinding.class,
            "30-statefulset.yaml", StatefulSet.class,
            "40-service-host.yaml", Service.class,
            "41-service-management.yaml", Service.class,
            "42-service-door.yaml", Service.class);

    /**
     * What the launcher needs, as 20-role.yaml's comments justify it, rule by rule: group/resource
     * and verb. A grant added to the manifest, or taken out, fails the test until this says so too.
     */
    static final Set<String> GRANTS = Set.of(
            "apps/deployments get", "apps/deployments create", "apps/deployments patch", "apps/deployments delete",
            "/configmaps get", "/configmaps create", "/configmaps patch", "/configmaps delete",
            "/secrets get", "/secrets create", "/secrets patch", "/secrets delete",
            "/pods get", "/pods list", "/pods watch", "/pods patch", "/pods delete",
            "/pods/log get");

    /** Options of {@code sluice host} that the manifests may use before the host has them: none. */
    static final Set<String> PENDING_HOST_OPTIONS = Set.of();

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final CommandLineShape SLUICE = CommandLineShape.sluice();
    private static final Map<String, HasMetadata> LOADED = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    LOADED.put(file.getFileName().toString(), SERIALIZATION.unmarshal(in));
                }
            }
        }
    }

    @Test
    void everyManifestIsTheKindItShouldBeInSluicesNamespace() {
        assertThat(LOADED.keySet()).containsExactlyInAnyOrderElementsOf(KINDS.keySet());
        LOADED.forEach((file, resource) -> {
            assertThat(resource).as(file).isInstanceOf(KINDS.get(file));
            String expected = resource instanceof Namespace ? null : NAMESPACE;
            assertThat(resource.getMetadata().getNamespace()).as("namespace of %s", file).isEqualTo(expected);
        });
        assertThat(LOADED.get("00-namespace.yaml").getMetadata().getName()).isEqualTo(NAMESPACE);
    }

    @Test
    void noManifestHoldsAFieldTheModelDoesNotKnow() {
        // A misspelt field (readOnlyRootFileSystem) would be kept aside, and ignored by the cluster.
        LOADED.forEach((file, resource) -> assertThat(unknownFields(resource, "")).as(file).isEmpty());
    }

    @Test
    void theHostsRoleGrantsExactlyWhatTheLauncherNeeds() {
        Role role = (Role) LOADED.get("20-role.yaml");
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getResourceNames()).as("rules name no single objects").isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        granted.add(group + "/" + resource + " " + verb);
                    }
                }
            }
        }

        assertThat(granted).containsExactlyInAnyOrderElementsOf(GRANTS);
        assertThat(granted).noneMatch(grant -> grant.contains("*"));
    }

    @Test
    void everyRuleOfTheRoleSaysWhy() throws IOException {
        List<String> lines = Files.readAllLines(FOLDER.resolve("20-role.yaml"));
        int rules = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("- apiGroups:")) {
                rules++;
                assertThat(lines.get(i - 1).strip()).as("the line before rule %d (line %d)", rules, i + 1).startsWith("#");
            }
        }
        assertThat(rules).isEqualTo(((Role) LOADED.get("20-role.yaml")).getRules().size());
    }

    @Test
    void theRoleIsBoundToTheHostsServiceAccountInItsNamespaceOnly() {
        RoleBinding binding = (RoleBinding) LOADED.get("21-rolebinding.yaml");
        StatefulSet host = host();

        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(LOADED.get("20-role.yaml").getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(LOADED.get("10-serviceaccount.yaml").getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(host.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(binding.getSubjects().getFirst().getName());
    }

    @Test
    void theHostIsOneReplicaWithItsDataOnAClaimedVolume() {
        StatefulSet host = host();
        List<PersistentVolumeClaim> claims = host.getSpec().getVolumeClaimTemplates();

        assertThat(host.getSpec().getReplicas()).isEqualTo(1);
        assertThat(claims).singleElement().satisfies(claim -> {
            assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(claim.getSpec().getResources().getRequests()).containsKey("storage");
        });
        VolumeMount data = mount(hostContainer(), claims.getFirst().getMetadata().getName());
        assertThat(data.getMountPath()).isEqualTo(ContainerImageTest.HOST_DATA);
        assertThat(argument(hostContainer(), "--data")).isEqualTo(ContainerImageTest.HOST_DATA);
        // A Service must govern the StatefulSet, and be headless.
        Service governing = services().stream().filter(s -> s.getMetadata().getName().equals(host.getSpec().getServiceName()))
                .findFirst().orElseThrow();
        assertThat(governing.getSpec().getClusterIP()).isEqualTo("None");
    }

    @Test
    void theHostRunsUnprivilegedOnAReadOnlyRootFileSystem() {
        PodSpec pod = host().getSpec().getTemplate().getSpec();
        Container container = hostContainer();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // With the root file system read-only, /tmp must be a volume of its own (JVM, sqlite-jdbc).
        assertThat(volume(pod, mount(container, "tmp").getName()).getEmptyDir()).isNotNull();
        assertThat(mount(container, "tmp").getMountPath()).isEqualTo("/tmp");
    }

    @Test
    void theHostHasLimitsAndTheManagementSecretsAreMountedNotBaked() {
        Container container = hostContainer();
        PodSpec pod = host().getSpec().getTemplate().getSpec();

        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        // Each file the management API reads comes from a Secret mounted read-only.
        for (String option : List.of("--tls-keystore", "--tls-password-file", "--keys-file")) {
            String file = argument(container, option);
            VolumeMount holder = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError(option + " " + file + " is on no volume"));
            assertThat(holder.getReadOnly()).as(option).isTrue();
            assertThat(volume(pod, holder.getName()).getSecret()).as(option).isNotNull();
            assertThat(volume(pod, holder.getName()).getSecret().getSecretName()).as(option).isNotBlank();
        }
    }

    @Test
    void theProbesAskTheManagementHealthEndpointOnItsDefaultPort() {
        Container container = hostContainer();
        int management = HostDefaults.managementPort(SLUICE);

        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            HTTPGetAction get = probe.getHttpGet();
            assertThat(get.getPath()).isEqualTo(ManagementServer.API + "/health");
            assertThat(get.getScheme()).isEqualTo("HTTPS");
            assertThat(containerPort(container, get.getPort())).isEqualTo(management);
        }
    }

    @Test
    void thePortsAndOptionsAgreeWithTheHostsDefaults() {
        Container container = hostContainer();
        int door = HostDefaults.doorPort(SLUICE);
        int management = HostDefaults.managementPort(SLUICE);

        assertThat(ContainerImageTest.unknownOptions(SLUICE, "host", container.getArgs(), PENDING_HOST_OPTIONS)).isEmpty();
        assertThat(container.getCommand()).as("the image's entrypoint runs sluice host").isNullOrEmpty();
        assertThat(container.getArgs()).doesNotContain("--port"); // the door on its default port
        assertThat(argument(container, "--manage")).endsWith(":" + management);
        assertThat(container.getArgs()).contains("--manage-exposed");
        assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("door", door),
                        org.assertj.core.groups.Tuple.tuple("management", management));
        assertThat(container.getImage()).doesNotEndWith(":latest").contains(":");
    }

    @Test
    void theServicesReachTheFrontDoorAndTheManagementApiInsideTheCluster() {
        Container container = hostContainer();
        Map<String, String> podLabels = host().getSpec().getTemplate().getMetadata().getLabels();
        Map<String, Integer> byName = new TreeMap<>();
        for (Service service : services()) {
            assertThat(service.getSpec().getType()).as(service.getMetadata().getName()).isIn(null, "ClusterIP");
            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            for (ServicePort port : service.getSpec().getPorts()) {
                int target = containerPort(container, port.getTargetPort());
                assertThat(port.getPort()).isEqualTo(target);
                byName.put(service.getMetadata().getName(), target);
            }
        }

        assertThat(byName).containsEntry("sluice-door", HostDefaults.doorPort(SLUICE))
                .containsEntry("sluice-management", HostDefaults.managementPort(SLUICE));
        // The door listens beyond the pod's loopback, or the Service would reach nothing.
        assertThat(argument(container, "--door-address")).isEqualTo("0.0.0.0");
        assertThat(container.getArgs()).contains("--door-exposed");
        // Role instances whose destination is door:/PATH reach the door through its Service, not the host pod's loopback.
        assertThat(argument(container, "--door-url"))
                .isEqualTo("http://sluice-door.$(POD_NAMESPACE).svc:" + byName.get("sluice-door"));
    }

    private static StatefulSet host() {
        return (StatefulSet) LOADED.get("30-statefulset.yaml");
    }

    private static Container hostContainer() {
        return host().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("host")).findFirst().orElseThrow();
    }

    private static List<Service> services() {
        return LOADED.values().stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
    }

    private static String argument(Container container, String option) {
        List<String> args = container.getArgs();
        int at = args.indexOf(option);
        assertThat(at).as("%s among %s", option, args).isNotNegative();
        return args.get(at + 1);
    }

    private static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The number of a port given by name or number, as the container declares it. */
    private static int containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new AssertionError("the container has no port named " + port.getStrVal()));
    }

    /** The paths of every field the model kept aside as unknown (its additionalProperties), anywhere in {@code model}. */
    private static List<String> unknownFields(Object model, String path) {
        List<String> found = new ArrayList<>();
        walk(model, path, found, new IdentityHashMap<>());
        return found;
    }

    private static void walk(Object model, String path, List<String> found, Map<Object, Boolean> seen) {
        if (model == null || seen.put(model, Boolean.TRUE) != null) {
            return;
        }
        if (model instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found, seen);
            }
            return;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(model);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(getter + ": " + e.getMessage(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> found.add(path + "." + key));
                }
            } else if (!(value instanceof Map<?, ?>)) {
                walk(value, path + "." + getter.getName().substring(3), found, seen);
            }
        }
    }
}
