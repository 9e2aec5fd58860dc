package org.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.sluice.fleet.api.HostManagement;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.RestartCause;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.NetworkInstanceConnector;
import org.sluice.runtime.ProcessInstanceLauncher;
import org.sluice.runtime.DataDirectory;
import org.sluice.runtime.HostActivityLog;
import org.sluice.runtime.HostListener;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.DataFolderInUseException;
import org.sluice.runtime.LocalHost;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.access.HostAccessException;
import org.sluice.runtime.access.HostKeys;
import org.sluice.runtime.definition.DefinitionJson;
import org.sluice.runtime.definition.DefinitionJsonException;

import ch.qos.logback.core.joran.spi.JoranException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice host --port N [--data DIR] [--define FILE] [--demo] [--manage HOST:PORT|off] [--keys-file FILE]
 * [--engine local|kubernetes [--namespace NS] [--kubeconfig FILE] --instance-image IMAGE]}: runs
 * the host headless on loopback until Ctrl-C or SIGTERM, printing each operation as it is accepted
 * and as it ends. Its role instances are child JVMs on this machine, or, with
 * {@code --engine kubernetes}, the pods of a Deployment per service (decision 0023). Its management listener (HTTPS, default {@code 127.0.0.1:7071}) lets
 * administrators outside the process run every operation.
 */
@Command(name = "host", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class HostCommand implements Callable<Integer> {
    static final int CANNOT_START = 1;
    static final int BAD_DEFINITIONS = 2;
    private static final String REQUESTER = "host:" + System.getProperty("user.name", "operator");

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070", descriptionKey = "host.option.port")
    private int port;

    @Option(names = "--data", paramLabel = "DIR", descriptionKey = "host.option.data")
    private Path data;

    @Option(names = "--define", paramLabel = "FILE", descriptionKey = "host.option.define")
    private Path define;

    @Option(names = "--overcommit", descriptionKey = "host.option.overcommit")
    private boolean overcommit;

    @Option(names = "--demo", descriptionKey = "host.option.demo")
    private boolean demo;

    @Option(names = "--manage", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + HostManagement.DEFAULT_PORT,
            descriptionKey = "host.option.manage")
    private String manage;

    @Option(names = "--manage-exposed", descriptionKey = "host.option.manageExposed")
    private boolean manageExposed;

    @Option(names = "--door-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", descriptionKey = "host.option.doorAddress")
    private String doorAddress;

    @Option(names = "--door-exposed", descriptionKey = "host.option.doorExposed")
    private boolean doorExposed;

    @Option(names = "--tls-keystore", paramLabel = "FILE", descriptionKey = "host.option.tlsKeystore")
    private Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", descriptionKey = "host.option.tlsPasswordFile")
    private Path tlsPasswordFile;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local", descriptionKey = "host.option.engine")
    private String engine;

    @Option(names = "--namespace", paramLabel = "NS", descriptionKey = "host.option.namespace")
    private String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE", descriptionKey = "host.option.kubeconfig")
    private Path kubeconfig;

    @Option(names = "--instance-image", paramLabel = "IMAGE", descriptionKey = "host.option.instanceImage")
    private String instanceImage;

    @Option(names = "--door-url", paramLabel = "URL", descriptionKey = "host.option.doorUrl")
    private String doorUrl;

    @Option(names = "--keys-file", paramLabel = "FILE", descriptionKey = "host.option.keysFile")
    private Path keysFile;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", descriptionKey = "host.option.logFormat")
    private String logFormat;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path folder = data != null ? data : DataDirectory.defaultLocation();
        List<ServiceDefinition> definitions = List.of();
        if (define != null) {
            try {
                definitions = DefinitionJson.readServices(define);
            } catch (DefinitionJsonException e) {
                err.println(Messages.get("host.error.define", define, e.getMessage()));
                return BAD_DEFINITIONS;
            } catch (IOException e) {
                err.println(Messages.get("host.error.read", define, Messages.whyUnreadable(define, e)));
                return BAD_DEFINITIONS;
            }
        }
        try {
            LogFormat format = LogFormat.parse(logFormat);
            if (format != LogFormat.TEXT) {
                format.apply();
            }
        } catch (IllegalArgumentException e) {
            err.println(Messages.get("host.error.logFormat", logFormat));
            return CANNOT_START;
        } catch (JoranException | RuntimeException e) {
            err.println(Messages.get("host.error.logSetup", logFormat, e.getMessage()));
            return CANNOT_START;
        }
        if (port < 0 || port > 65535) {
            err.println(Messages.get("host.error.port", String.valueOf(port)));
            return CANNOT_START;
        }
        Optional<InetSocketAddress> manageAt;
        try {
            manageAt = managementAddress(manage);
        } catch (IllegalArgumentException e) {
            err.println(Messages.get("host.error.manageAddress", manage));
            return CANNOT_START;
        }
        InetAddress doorAt;
        try {
            // A literal only: a listening address needs no name service, and a typo must not wait on one.
            doorAt = InetAddress.ofLiteral(doorAddress.strip());
        } catch (IllegalArgumentException e) {
            err.println(Messages.get("host.error.doorAddress", doorAddress));
            return CANNOT_START;
        }
        if (!doorAt.isLoopbackAddress() && !doorExposed) {
            err.println(Messages.get("host.error.doorExposed", doorAddress));
            return CANNOT_START;
        }
        boolean onKubernetes = engine.equals("kubernetes");
        if (!onKubernetes && !engine.equals("local")) {
            err.println(Messages.get("host.error.engine", engine));
            return CANNOT_START;
        }
        if (!onKubernetes && (namespace != null || kubeconfig != null || instanceImage != null || doorUrl != null)) {
            err.println(Messages.get("host.error.kubernetesOnly"));
            return CANNOT_START;
        }
        if (doorUrl != null && !isDoorUrl(doorUrl)) {
            err.println(Messages.get("host.error.doorUrl", doorUrl));
            return CANNOT_START;
        }
        if (doorUrl != null && doorAt.isLoopbackAddress()) {
            err.println(Messages.get("host.error.doorUrlLoopback", doorUrl, doorAt.getHostAddress()));
            return CANNOT_START;
        }
        if (onKubernetes) {
            // The desktop installers leave the client out (decision 0024): say where the engine is instead.
            Optional<String> missing = KubernetesEngineCheck.problem();
            if (missing.isPresent()) {
                err.println(missing.get());
                return CANNOT_START;
            }
        }
        if (java.nio.file.Files.exists(folder) && !java.nio.file.Files.isDirectory(folder)) {
            err.println(Messages.get("host.error.start", folder, Messages.get("io.notFolder")));
            return CANNOT_START;
        }
        // Only this branch touches the Kubernetes client: a build without it runs the local engine all the same.
        AutoCloseable engineInUse = null;
        LocalHost local;
        try {
            if (onKubernetes) {
                KubernetesEngine kubernetes = openKubernetes(err);
                if (kubernetes == null) {
                    return CANNOT_START;
                }
                engineInUse = kubernetes;
                // The cluster's scheduler decides where an instance fits, not this machine's size.
                local = LocalHost.open(folder, new InetSocketAddress(doorAt, port), true, kubernetes.launcher());
                out.println(Messages.get("host.engine.kubernetes", kubernetes.namespace(), kubernetes.server(), instanceImage));
            } else {
                local = LocalHost.open(folder, new InetSocketAddress(doorAt, port), overcommit,
                        ProcessInstanceLauncher.sameJvm(folder.resolve("instances")));
            }
        } catch (DataFolderInUseException e) {
            closeEngine(engineInUse);
            err.println(e.holder().isPresent()
                    ? Messages.get("host.error.inUse", folder, String.valueOf(e.holder().getAsLong()))
                    : Messages.get("host.error.inUseUnknown", folder));
            return CANNOT_START;
        } catch (java.net.BindException e) {
            closeEngine(engineInUse);
            err.println(Messages.get("host.error.portInUse", doorAt.getHostAddress(), String.valueOf(port)));
            return CANNOT_START;
        } catch (IOException | RuntimeException e) {
            closeEngine(engineInUse);
            err.println(Messages.get("host.error.start", folder, e.getMessage()));
            return CANNOT_START;
        }
        AutoCloseable engineToClose = engineInUse;
        HostManagement management = null;
        if (manageAt.isPresent()) {
            try {
                management = HostManagement.open(local, new HostManagement.Options(manageAt.get(), manageExposed,
                        Optional.ofNullable(tlsKeystore), Optional.ofNullable(tlsPasswordFile), Optional.ofNullable(keysFile)),
                        VersionProvider.version());
            } catch (HostManagement.ExposureRefusedException e) {
                err.println(Messages.get("host.error.manageExposed", manage));
                local.close();
                closeEngine(engineToClose);
                return CANNOT_START;
            } catch (HostAccessException e) {
                // The certificate or the keys: the message names the file and what to do with it.
                err.println(Messages.get("host.error.access", e.getMessage()));
                local.close();
                return CANNOT_START;
            } catch (IOException | RuntimeException e) {
                err.println(Messages.get("host.error.manage", manage, e.getMessage()));
                local.close();
                closeEngine(engineToClose);
                return CANNOT_START;
            }
        }
        HostManagement listener = management;
        local.host().addListener(new Printer(out));
        local.host().addListener(new HostActivityLog());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The door refuses new messages before the line says the host is stopping.
            local.door().refuseNew();
            out.println(Messages.get("host.stopping"));
            if (listener != null) {
                listener.close();
            }
            local.close();
            closeEngine(engineToClose);
            out.println(Messages.get("host.stopped"));
            out.flush();
            stopped.countDown();
        }, "sluice-host-shutdown"));
        out.println(Messages.get("host.ready", "http://127.0.0.1:" + local.door().port() + "/services/", folder));
        if (listener != null) {
            out.println(Messages.get("host.manage.ready", listener.url(), listener.fingerprint(),
                    keysFile != null ? keysFile : folder.resolve(HostKeys.FILE_NAME)));
            if (listener.exposed()) {
                out.println(Messages.get("host.manage.exposed", listener.listening()));
            }
        } else {
            out.println(Messages.get("host.manage.off"));
        }
        out.flush();
        try {
            // The demonstration services come first: they are made only when there is no service yet.
            if (demo) {
                local.demo(REQUESTER);
            }
            for (String refused : local.define(definitions, REQUESTER).refused()) {
                err.println(Messages.get("host.error.refused", define, refused));
            }
        } catch (IOException | RuntimeException e) {
            err.println(Messages.get("host.error.define", define == null ? "--demo" : define, e.getMessage()));
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The Kubernetes engine of the options, or null once the reason it cannot be used is printed. */
    private KubernetesEngine openKubernetes(PrintWriter err) {
        try {
            return KubernetesEngine.open(Optional.ofNullable(kubeconfig), Optional.ofNullable(namespace),
                    Optional.ofNullable(instanceImage), Optional.ofNullable(doorUrl).map(HostCommand::normalisedDoorUrl),
                    new NetworkInstanceConnector());
        } catch (KubernetesEngine.Unusable e) {
            err.println(Messages.get(e.key, e.arguments));
            return null;
        }
    }

    /** {@code http://HOST[:PORT]} or {@code https://…}, nothing after the authority but a slash: a door:/PATH is put after it. */
    static boolean isDoorUrl(String url) {
        // By hand rather than java.net.URI, which takes "http://door:" and has no host for a name with an underscore.
        java.util.regex.Matcher m = DOOR_URL.matcher(url.strip());
        if (!m.matches()) {
            return false;
        }
        if (m.group(2) == null) {
            return true;
        }
        int port = m.group(2).length() <= 5 ? Integer.parseInt(m.group(2)) : -1;
        return port >= 1 && port <= 65_535;
    }

    /** http(s)://, a name, an IPv4 address or a bracketed IPv6 one, an optional port, an optional slash. */
    private static final java.util.regex.Pattern DOOR_URL = java.util.regex.Pattern.compile(
            "(?i)https?://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+])(?::([0-9]+))?/?");

    /** The scheme in lower case and no trailing slash: a door:/PATH destination's path goes after it. */
    private static String normalisedDoorUrl(String url) {
        String stripped = url.strip();
        int colon = stripped.indexOf(':');
        String normal = stripped.substring(0, colon).toLowerCase(Locale.ROOT) + stripped.substring(colon);
        return normal.endsWith("/") ? normal.substring(0, normal.length() - 1) : normal;
    }

    private static void closeEngine(AutoCloseable engine) {
        if (engine == null) {
            return;
        }
        try {
            engine.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(HostCommand.class).warn("The Kubernetes client did not close cleanly: {}", e.toString());
        }
    }

    /**
     * The management address from {@code --manage}: empty for {@code off}, else {@code HOST:PORT}
     * or just a port, which means loopback.
     *
     * @throws IllegalArgumentException when it is neither
     */
    static Optional<InetSocketAddress> managementAddress(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        int colon = value.lastIndexOf(':');
        String hostPart = colon < 0 ? "127.0.0.1" : value.substring(0, colon);
        String portPart = colon < 0 ? value : value.substring(colon + 1);
        if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
            hostPart = hostPart.substring(1, hostPart.length() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(portPart);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + portPart, e);
        }
        if (number < 0 || number > 65_535 || hostPart.isEmpty()) {
            throw new IllegalArgumentException("not HOST:PORT: " + text);
        }
        InetSocketAddress address = new InetSocketAddress(hostPart, number);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unknown host: " + hostPart);
        }
        return Optional.of(address);
    }

    /** Prints each operation as it is accepted and as it ends, and instances that fail. */
    static final class Printer implements HostListener {
        private final PrintWriter out;

        Printer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void serviceChanged(ServiceView service) {
            // Operations say enough; a line per state change would repeat them.
        }

        @Override
        public void serviceRemoved(String name) {
            out.println(Messages.get("host.removed", name));
            out.flush();
        }

        @Override
        public void operationProgress(OperationRecord record) {
            String line;
            if (record.outcome() == Outcome.RUNNING) {
                line = Messages.get("host.operation.accepted", record.service(), record.operation().chartName(), record.requestId());
            } else if (record.outcome() == Outcome.SUCCEEDED) {
                line = Messages.get("host.operation.succeeded", record.service(), record.operation().chartName());
            } else {
                line = Messages.get("host.operation.failed", record.service(), record.operation().chartName(),
                        record.error().orElse(record.outcome().name()));
            }
            out.println(line);
            out.flush();
        }

        @Override
        public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
            if (event instanceof InstanceEvent.Ready ready) {
                out.println(Messages.get("host.instance.ready", service, instance.index(), ready.port()));
                out.flush();
            } else if (event instanceof InstanceEvent.Exited exited && !exited.requested()) {
                out.println(Messages.get("host.instance.exited", service, instance.index(), exited.status()));
                out.flush();
            } else if (event instanceof InstanceEvent.Problem problem) {
                out.println(Messages.get("host.instance.problem", service, instance.index(), problem.message()));
                out.flush();
            } else if (event instanceof InstanceEvent.Restarting again && again.cause() == RestartCause.HOST_RESTART) {
                out.println(Messages.get("host.instance.restartingAfterHostRestart", service, instance.index(), again.delayMs(),
                        again.attempt(), RestartCause.MAX_TRIES_IN_A_ROW));
                out.flush();
            } else if (event instanceof InstanceEvent.Restarting again) {
                out.println(Messages.get("host.instance.restarting", service, instance.index(), again.delayMs(), again.attempt()));
                out.flush();
            } else if (event instanceof InstanceEvent.GaveUp gaveUp) {
                out.println(Messages.get(gaveUp.cause() == RestartCause.HOST_RESTART ? "host.instance.gaveUpAfterHostRestart"
                        : "host.instance.gaveUp", service, instance.index(), gaveUp.crashes()));
                out.flush();
            }
        }
    }
}
