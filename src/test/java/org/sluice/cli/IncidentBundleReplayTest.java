package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.bundle.BundleFixture;
import org.sluice.fleet.bundle.IncidentBundle;
import org.sluice.throttle.Sample;

/**
 * What the incident bundle promises: {@code sluice replay} on a bundle's samples gives the
 * episodes the bundle lists, from samples that went through the host's own keeping.
 */
@Timeout(30)
class IncidentBundleReplayTest {
    @TempDir
    Path folder;

    private static Map<String, String> entries(Path zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream read = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = read.getNextEntry()) != null; ) {
                entries.put(entry.getName(), new String(read.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    /** A day of traffic on two cores: memory climbs and falls, bursts come and go, with values between the thresholds. */
    private static Sample[] incident(long startMs) {
        List<Sample> samples = new ArrayList<>();
        double[] memory = {40.0, 55.5, 69.9, 70.0, 68.4, 64.2, 61.7, 60.1, 60.0, 58.3, 59.9, 71.2, 69.0, 66.6, 63.3, 60.0, 45.0, 45.0,
                45.0, 45.0, 45.0, 62.0, 66.0, 50.0, 73.4, 72.0, 59.2, 30.0};
        long[] concurrent = {0, 10, 150, 199, 200, 230, 120, 81, 80, 79, 50, 10, 205, 300, 90, 60, 200, 81, 80, 79, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < memory.length; i++) {
            samples.add(new Sample(startMs + i * 200L, memory[i], concurrent[i], 2));
        }
        return samples.toArray(Sample[]::new);
    }

    @Test
    void replayingABundlesSamplesGivesTheEpisodesTheBundleLists() throws Exception {
        Map<String, String> entries;
        try (BundleFixture fixture = new BundleFixture()) {
            fixture.create("orders", 2);
            fixture.drive("orders", 0, incident(1_000_000));
            fixture.drive("orders", 1, incident(1_000_100));
            Path zip = new IncidentBundle(fixture.fleet, "local", "test", InstantSource.system())
                    .write("orders", List.of(), 1_000_000, 1_010_000, List.of(), folder.resolve("incident.zip"));
            entries = entries(zip);
        }

        for (int instance = 0; instance < 2; instance++) {
            Path samples = Files.writeString(folder.resolve("instance-" + instance + ".csv"), entries.get("samples/instance-" + instance + ".csv"));
            CommandLineRun replay = CommandLineRun.run("replay", "--episodes", samples.toString());
            assertThat(replay.err()).isEmpty();
            assertThat(replay.status()).isZero();

            String prefix = instance + ",";
            List<String> listed = entries.get("episodes.csv").lines().skip(1).filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length(), l.lastIndexOf(','))).toList();
            List<String> replayed = replay.out().lines().skip(1).toList();
            assertThat(listed).as("instance %d throttled more than once, with cause changes", instance).hasSizeGreaterThanOrEqualTo(3)
                    .anyMatch(l -> l.contains("MEMORY+CONCURRENCY")).anyMatch(l -> l.contains(";"));
            assertThat(replayed).as("instance %d", instance).isEqualTo(listed);
        }
    }
}
