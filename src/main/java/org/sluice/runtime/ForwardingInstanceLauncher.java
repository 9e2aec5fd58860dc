package org.sluice.runtime;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.sluice.lifecycle.EngineStatus;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.ServiceDefinition;

/**
 * A launcher that wraps another and passes every call on to it; a subclass changes only what it
 * must. Each method of {@link InstanceLauncher} is forwarded here, so that a wrapper cannot hide
 * what the engine beneath it says or hears (that Kubernetes restarts its own instances, a scale
 * down, a delete) when the interface gains a method.
 */
public abstract class ForwardingInstanceLauncher implements InstanceLauncher {
    private final InstanceLauncher launcher;

    protected ForwardingInstanceLauncher(InstanceLauncher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    @Override
    public RoleInstance launch(ServiceDefinition definition, int index, boolean suspended, InstanceListener listener)
            throws IOException {
        return launcher.launch(definition, index, suspended, listener);
    }

    @Override
    public InstanceLog log(String service, int index, InstanceLog.Run run, long offset, int maxBytes) throws IOException {
        return launcher.log(service, index, run, offset, maxBytes);
    }

    @Override
    public boolean restartsInstances() {
        return launcher.restartsInstances();
    }

    @Override
    public void leftDown(String service, int index) {
        launcher.leftDown(service, index);
    }

    @Override
    public void released(String service, int from) throws IOException {
        launcher.released(service, from);
    }

    @Override
    public void deleted(String service) throws IOException {
        launcher.deleted(service);
    }

    @Override
    public EngineStatus engineStatus() {
        return launcher.engineStatus();
    }

    @Override
    public void watchEngine(Consumer<EngineStatus> listener) {
        launcher.watchEngine(listener);
    }

    @Override
    public Optional<String> frontDoorForInstances(String onThisMachine) {
        return launcher.frontDoorForInstances(onThisMachine);
    }
}
