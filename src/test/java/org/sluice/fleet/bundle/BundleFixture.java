package org.sluice.fleet.bundle;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.sluice.fleet.local.LocalFleet;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;
import org.sluice.runtime.InstanceEvent;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleGovernor;
import org.sluice.throttle.ThrottleTransition;

/**
 * A local fleet over a host whose instances are fakes, with samples driven through a real
 * throttle governor and reported as an instance's monitor reports them: every sample, each change
 * of state or causes, each episode that ends.
 */
public final class BundleFixture implements AutoCloseable {
    public final FakeLauncher launcher = new FakeLauncher();
    public final InMemoryJournal journal = new InMemoryJournal();
    public final Host host = new Host(launcher, journal, InstantSource.system(), new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    public final LocalFleet fleet;
    private final FrontDoor door;
    private final Map<FakeLauncher.Fake, ThrottleGovernor> governors = new HashMap<>();
    private long governorTimeMs;

    public BundleFixture() throws IOException {
        door = FrontDoor.open(host, 0);
        fleet = new LocalFleet(host, door, "console:test", () -> {
            door.close();
            host.close();
        });
    }

    /** Creates service {@code name} with {@code units} instances, all running. */
    public void create(String name, int units) throws Exception {
        fleet.create(new ServiceDefinition(name, units, 1, 256, Validation.NONE, null, null, "dir:/tmp/" + name))
                .completion().get(10, TimeUnit.SECONDS);
    }

    /** Feeds {@code samples} to instance {@code index} of {@code service}'s governor and reports what it decides. */
    public void drive(String service, int index, Sample... samples) {
        FakeLauncher.Fake instance = launcher.alive(service).stream().filter(f -> f.index() == index).findFirst().orElseThrow();
        ThrottleGovernor governor = governors.computeIfAbsent(instance, i -> new ThrottleGovernor(() -> java.time.Instant.ofEpochMilli(governorTimeMs)));
        for (Sample s : samples) {
            governorTimeMs = s.timeMs();
            Optional<ThrottleTransition> change = governor.accept(s);
            instance.emit(new InstanceEvent.Sampled(new InstanceSample(s.timeMs(), s.memoryPercent(), s.concurrentMessages(), s.cores(),
                    0, 0, 0, 0, 0, 0)));
            change.ifPresent(t -> {
                instance.emit(new InstanceEvent.Throttle(new ThrottleTransition(t.timeMs(), t.previous(), t.state(), t.causes(), Optional.empty())));
                t.endedEpisode().ifPresent(e -> instance.emit(new InstanceEvent.EpisodeEnded(
                        new ThrottleEpisode(e.startMs(), OptionalLong.of(e.endMs().orElseThrow()), e.causes()))));
            });
        }
    }

    @Override
    public void close() {
        fleet.close();
    }
}
