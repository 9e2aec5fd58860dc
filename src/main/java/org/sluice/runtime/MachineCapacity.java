package org.sluice.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.sluice.lifecycle.ServiceDefinition;

/**
 * What this machine can give role instances: its memory and its processors. A definition that
 * asks for more than that is refused when it is created, scaled or reconfigured, with the figures,
 * instead of starting instances that the machine then pages or kills.
 *
 * @param memoryMb the machine's memory in MiB
 * @param cores    the processors the JVM sees
 */
public record MachineCapacity(long memoryMb, int cores) {

    /** This machine, as Linux reports it ({@code /proc/meminfo}); empty where its memory cannot be read. */
    public static Optional<MachineCapacity> ofThisMachine() {
        OptionalLong memory = linuxMemoryMb(Path.of("/proc/meminfo"));
        return memory.isPresent()
                ? Optional.of(new MachineCapacity(memory.getAsLong(), Runtime.getRuntime().availableProcessors()))
                : Optional.empty();
    }

    static OptionalLong linuxMemoryMb(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    String kib = line.substring("MemTotal:".length()).replace("kB", "").trim();
                    return OptionalLong.of(Long.parseLong(kib) / 1024);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException unreadable) {
            // Not Linux, or not readable: no figure, so no check.
        }
        return OptionalLong.empty();
    }

    /**
     * Refuses a definition this machine cannot run.
     *
     * @throws IllegalArgumentException with the figures and what to change
     */
    public void admit(ServiceDefinition definition) {
        long asked = (long) definition.memoryMb() * definition.units();
        if (asked > memoryMb) {
            throw new IllegalArgumentException(definition.name() + " asks for " + definition.units() + " × " + definition.memoryMb()
                    + " MiB = " + asked + " MiB of memory, more than this machine's " + memoryMb
                    + " MiB; give it fewer units or less memory per instance (or start the host with --overcommit)");
        }
        if (definition.coresPerInstance() > cores) {
            throw new IllegalArgumentException(definition.name() + " asks for " + definition.coresPerInstance()
                    + " cores per instance, more than this machine's " + cores
                    + "; give it at most " + cores + " (or start the host with --overcommit)");
        }
    }
}
