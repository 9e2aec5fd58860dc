package org.sluice.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.sluice.runtime.kubernetes.KubernetesInstanceLauncher;

/**
 * The cluster's side of packaging/container/check-contents.sh, which runs the images' contents
 * without a container engine: fabric8's mock API server (in CRUD mode, over HTTPS) and the
 * kubelet's few acts the check needs. Not a test; the script runs it on the test class path.
 *
 * <pre>
 * serve KUBECONFIG REQUESTS     the API server; writes a kubeconfig for it, and each request it
 *                                  takes from the host as "METHOD PATH" to REQUESTS; runs until killed
 * host-args STATEFULSET          the host container's arguments, one a line, $(VAR) filled in as
 *                                  Kubernetes would from the container's env
 * kubelet KUBECONFIG SERVICE DIR IP   waits for the service's Deployment; writes to DIR what its
 *                                  pod would be given: definition (the ConfigMap's file its args
 *                                  name), token, java-tool-options and, last, args; probes IP at
 *                                  the protocol port, then reports a pod of it running and ready at IP
 * rbac REQUESTS ROLE              every request the host made is one ROLE grants
 * </pre>
 */
public final class MockCluster {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** The user agent of the requests made here, in the kubelet's place: not the host's. */
    private static final String KUBELET = "sluice-image-check-kubelet";

    private MockCluster() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw usage();
        }
        switch (args[0]) {
            case "serve" -> serve(Path.of(args[1]), Path.of(args[2]));
            case "host-args" -> hostArgs(Path.of(args[1]));
            case "kubelet" -> kubelet(Path.of(args[1]), args[2], Path.of(args[3]), args[4]);
            case "rbac" -> System.exit(rbac(Path.of(args[1]), Path.of(args[2])));
            default -> throw usage();
        }
    }

    private static IllegalArgumentException usage() {
        return new IllegalArgumentException("usage: serve KUBECONFIG REQUESTS | host-args STATEFULSET"
                + " | kubelet KUBECONFIG SERVICE DIR IP | rbac REQUESTS ROLE");
    }

    private static void serve(Path kubeconfig, Path requests) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        String url = "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
        // The server's certificate is its own, made at start: the client trusts it without checking, as the mock's own client does.
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: sluice-host
                  user:
                    token: not-checked
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: sluice-host
                    namespace: sluice
                current-context: mock
                """.formatted(url);
        Files.writeString(kubeconfig, config);
        Thread recorder = Thread.ofPlatform().daemon().name("requests").start(() -> {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(requests, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), true)) {
                while (true) {
                    RecordedRequest request = server.takeRequest();
                    if (!KUBELET.equals(request.getHeader("User-Agent"))) {
                        out.println(request.getMethod() + " " + request.getPath());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        System.out.println("mock API server at " + url);
        new CountDownLatch(1).await();
        recorder.interrupt();
    }

    private static void hostArgs(Path statefulSetFile) throws IOException {
        StatefulSet set = SERIALIZATION.unmarshal(Files.readString(statefulSetFile), StatefulSet.class);
        Container host = set.getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : host.getEnv() == null ? List.<EnvVar>of() : host.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null
                    && "metadata.namespace".equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(variable.getName(), set.getMetadata().getNamespace());
            }
        }
        Pattern reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (String argument : host.getArgs()) {
            Matcher matcher = reference.matcher(argument);
            StringBuilder filled = new StringBuilder();
            while (matcher.find()) {
                String value = env.get(matcher.group(1));
                if (value == null) {
                    throw new IllegalStateException(argument + " names $(" + matcher.group(1) + "), which the container's env does not give");
                }
                matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(filled);
            System.out.println(filled);
        }
    }

    private static KubernetesClient client(Path kubeconfig) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        // Told apart from the host's requests, which alone the Role is checked against.
        config.setUserAgent(KUBELET);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * The kubelet's part for one pod of {@code service}: waits for its Deployment, writes what the
     * pod would be given, probes the pod's protocol port at {@code ip} as its readiness probe does,
     * and then reports the pod running and ready there, as the Deployment's ReplicaSet and the
     * kubelet would.
     */
    private static void kubelet(Path kubeconfig, String service, Path folder, String ip) throws Exception {
        try (KubernetesClient client = client(kubeconfig)) {
            String namespace = client.getNamespace();
            Deployment deployment = client.apps().deployments().inNamespace(namespace)
                    .withName(KubernetesInstanceLauncher.deploymentName(service))
                    .waitUntilCondition(d -> d != null && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0,
                            60, TimeUnit.SECONDS);
            var template = deployment.getSpec().getTemplate();
            Container container = template.getSpec().getContainers().getFirst();
            List<String> args = container.getArgs();
            int at = args.indexOf("--definition");
            if (at < 0 || at + 1 >= args.size()) {
                throw new IllegalStateException("The pod template's arguments name no --definition: " + args);
            }
            String key = Path.of(args.get(at + 1)).getFileName().toString();
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(KubernetesInstanceLauncher.configMapName(service)).get();
            if (map == null || map.getData() == null || !map.getData().containsKey(key)) {
                throw new IllegalStateException("ConfigMap " + KubernetesInstanceLauncher.configMapName(service) + " holds no " + key
                        + ", the file the pod's --definition names");
            }
            Secret secret = client.secrets().inNamespace(namespace).withName(KubernetesInstanceLauncher.secretName(service)).get();
            if (secret == null || secret.getData() == null || !secret.getData().containsKey("token")) {
                throw new IllegalStateException("Secret " + KubernetesInstanceLauncher.secretName(service) + " holds no token");
            }
            int port = container.getPorts().stream().filter(p -> "protocol".equals(p.getName())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("The pod template has no port named protocol")).getContainerPort();
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("definition.json"), map.getData().get(key));
            Files.write(folder.resolve("token"), Base64.getDecoder().decode(secret.getData().get("token")));
            String toolOptions = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                    .map(EnvVar::getValue).findFirst().orElse("");
            Files.writeString(folder.resolve("java-tool-options"), toolOptions);
            // Written last, whole: the script starts the instance once it sees this file.
            Path args0 = Files.write(folder.resolve("args.part"), args);
            Files.move(args0, folder.resolve("args"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("Deployment %s: %d replica(s) of %s; ConfigMap %s (%s); Secret %s (token)%n",
                    deployment.getMetadata().getName(), deployment.getSpec().getReplicas(), container.getImage(),
                    map.getMetadata().getName(), key, secret.getMetadata().getName());

            // The readiness probe: a TCP connection to the port named protocol, every 200 ms here.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (java.net.Socket probe = new java.net.Socket()) {
                    probe.connect(new java.net.InetSocketAddress(ip, port), 1_000);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Nothing listened on " + ip + ":" + port + " within 60 s");
                    }
                    Thread.sleep(200);
                }
            }
            String name = service + "-pod-1";
            Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                    .withLabels(template.getMetadata().getLabels()).withAnnotations(template.getMetadata().getAnnotations())
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                    .withName(deployment.getMetadata().getName() + "-rs").withUid("rs-uid").endOwnerReference()
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .withNewStatus().withPhase("Running").withPodIP(ip)
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName(container.getName())
                            .withRestartCount(0).withReady(true).withNewState().withNewRunning().endRunning().endState().build())
                    .endStatus().build();
            client.pods().inNamespace(namespace).resource(pod).create();
            System.out.println("pod " + name + " ready at " + ip + ":" + port);
        }
    }

    /** The grants a request needs: group/resource[/subresource] and verb, as KubernetesManifestsTest writes them. */
    public static String grantOf(String method, String pathAndQuery) {
        String path = pathAndQuery.split("\\?", 2)[0];
        String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
        List<String> parts = new ArrayList<>(List.of(path.replaceFirst("^/", "").split("/")));
        String group;
        if (parts.getFirst().equals("api")) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if (parts.getFirst().equals("apis")) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            return "nonresource " + path + " " + method.toLowerCase(java.util.Locale.ROOT);
        }
        if (parts.size() >= 2 && parts.get(0).equals("namespaces")) {
            parts = parts.subList(2, parts.size());
        }
        String resource = parts.get(0);
        boolean named = parts.size() >= 2;
        if (parts.size() >= 3) {
            resource += "/" + parts.get(2);
        }
        boolean watch = Set.of(query.split("&")).contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return group + "/" + resource + " " + verb;
    }

    /** The grants of {@code role}, written as {@link #grantOf} writes a request's. */
    public static Set<String> grantsOf(Role role) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(group + "/" + resource + " " + verb);
                    }
                }
            }
        }
        return grants;
    }

    private static int rbac(Path requests, Path roleFile) throws IOException {
        Set<String> grants = grantsOf(SERIALIZATION.unmarshal(Files.readString(roleFile), Role.class));
        Set<String> needed = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (String line : Files.readAllLines(requests)) {
            String[] request = line.split(" ", 2);
            String grant = grantOf(request[0], request[1]);
            needed.add(grant);
            if (!grants.contains(grant)) {
                missing.add(grant + "  (" + line + ")");
            }
        }
        System.out.println("the host's requests needed: " + String.join(", ", needed));
        if (!missing.isEmpty()) {
            System.out.println("not granted by " + roleFile + ":");
            missing.forEach(m -> System.out.println("  " + m));
            return 1;
        }
        return 0;
    }
}
