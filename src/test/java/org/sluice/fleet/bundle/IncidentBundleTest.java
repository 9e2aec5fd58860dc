package org.sluice.fleet.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.Sample;
import org.sluice.throttle.SampleWindow;
import org.sluice.throttle.ThrottleEpisode;

@Timeout(30)
public class IncidentBundleTest {
    private final BundleFixture fixture;
    private final IncidentBundle bundle;

    @TempDir
    Path folder;

    IncidentBundleTest() throws IOException {
        fixture = new BundleFixture();
        bundle = new IncidentBundle(fixture.fleet, "local", "1.2.3", () -> java.time.Instant.ofEpochMilli(99_000));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Every entry of the zip at {@code file}, by name, as text. */
    public static Map<String, String> entries(Path file) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private void twoEpisodesOnInstanceOne() {
        fixture.drive("orders", 1,
                new Sample(10_000, 50.0, 0, 1),
                new Sample(10_200, 70.0, 0, 1),
                new Sample(10_400, 70.0, 100, 1),
                new Sample(10_600, 55.0, 100, 1),
                new Sample(10_800, 55.0, 10, 1),
                new Sample(11_000, 55.0, 10, 1),
                new Sample(11_200, 80.0, 0, 1));
    }

    @Test
    void aBundleHoldsSamplesEpisodesOperationsLogsDefinitionExtrasAndAReadmeNamingEachFile() throws Exception {
        fixture.create("orders", 2);
        fixture.launcher.writeLog("orders", 1, "instance 1 was busy\n");
        twoEpisodesOnInstanceOne();

        Path written = bundle.write("orders", List.of(1), 10_000, 11_200,
                List.of(new IncidentBundle.Extra("charts/instance-1.png", "the tile of instance 1 as the console drew it", new byte[] {1, 2})),
                folder.resolve("incident.zip"));

        assertThat(written).isEqualTo(folder.resolve("incident.zip"));
        Map<String, String> entries = entries(written);
        assertThat(entries.keySet()).first().isEqualTo("README.txt");
        assertThat(entries).containsKeys("samples/instance-1.csv", "episodes.csv", "operations.json", "definition.json",
                "logs/instance-1-current.log", "charts/instance-1.png");
        assertThat(entries.get("samples/instance-1.csv")).startsWith("time_ms,memory_percent,concurrent_messages,cores\n10000,50.0,0,1\n")
                .endsWith("11200,80.0,0,1\n");
        assertThat(entries.get("episodes.csv")).isEqualTo("""
                instance,start_ms,end_ms,duration_ms,causes,cause_history,cut_short
                1,10200,10800,600,MEMORY+CONCURRENCY,10200:MEMORY;10400:MEMORY+CONCURRENCY;10600:CONCURRENCY,false
                1,11200,,,MEMORY,11200:MEMORY,false
                """);
        assertThat(entries.get("logs/instance-1-current.log")).isEqualTo("instance 1 was busy\n");
        assertThat(entries.get("definition.json")).contains("\"orders\"");
        assertThat(entries.get("operations.json")).startsWith("[");
        String readme = entries.get("README.txt");
        for (String name : entries.keySet()) {
            assertThat(readme).as("the README names " + name).contains(name);
        }
        assertThat(readme).contains("orders").contains("local").contains("1.2.3")
                .contains("1970-01-01T00:00:10Z").contains("1970-01-01T00:00:11.200Z")
                .contains("the tile of instance 1 as the console drew it")
                .contains("sluice replay --episodes samples/instance-1.csv");
    }

    @Test
    void aBundleWithoutChartsSaysTheyComeFromTheConsole() throws Exception {
        fixture.create("orders", 1);

        Map<String, String> entries = entries(bundle.write("orders", List.of(), 0, Long.MAX_VALUE, List.of(), folder.resolve("b.zip")));

        assertThat(entries.keySet()).noneMatch(n -> n.startsWith("charts/"));
        assertThat(entries.get("operations.json")).contains("\"Create\"").contains("\"orders\"");
        assertThat(entries.get("README.txt")).contains("Charts").contains("console");
    }

    @Test
    void aRangeWithNoSamplesAndNoEpisodesStillGivesABundleWhoseReadmeSaysSo() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();

        Map<String, String> entries = entries(bundle.write("orders", List.of(), 1_000, 5_000, List.of(), folder.resolve("empty.zip")));

        assertThat(entries.get("README.txt")).contains("No samples and no throttle episodes")
                .contains("1970-01-01T00:00:01Z").contains("1970-01-01T00:00:05Z");
        assertThat(entries.get("episodes.csv")).isEqualTo("instance,start_ms,end_ms,duration_ms,causes,cause_history,cut_short\n");
        assertThat(entries.keySet()).noneMatch(n -> n.startsWith("samples/"));
    }

    @Test
    void theSamplesBeginAtTheStartOfAnEpisodeUnderWayAtTheRangesStartSoThatAReplayHasItsWholeHistory() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();

        Map<String, String> entries = entries(bundle.write("orders", List.of(1), 10_500, 10_700, List.of(), folder.resolve("mid.zip")));

        assertThat(entries.get("samples/instance-1.csv").lines().skip(1).map(l -> l.split(",")[0]))
                .containsExactly("10200", "10400", "10600");
        assertThat(entries.get("README.txt")).contains("10200");
    }

    @Test
    void eachRunOfAnInstanceGetsItsOwnSamplesFileBecauseEachProcessStartsWithAFreshGovernor() throws Exception {
        fixture.create("orders", 1);
        fixture.drive("orders", 0, new Sample(1_000, 75.0, 0, 1), new Sample(1_200, 65.0, 0, 1));
        fixture.fleet.perform("orders", org.sluice.lifecycle.Operation.RESTART).completion().get(10, java.util.concurrent.TimeUnit.SECONDS);
        fixture.drive("orders", 0, new Sample(1_400, 65.0, 0, 1));

        Map<String, String> entries = entries(bundle.write("orders", List.of(0), 0, 2_000, List.of(), folder.resolve("runs.zip")));

        assertThat(entries.get("samples/instance-0-part-1.csv").lines()).containsExactly(
                "time_ms,memory_percent,concurrent_messages,cores", "1000,75.0,0,1", "1200,65.0,0,1");
        assertThat(entries.get("samples/instance-0-part-2.csv").lines()).containsExactly(
                "time_ms,memory_percent,concurrent_messages,cores", "1400,65.0,0,1");
        assertThat(entries.get("README.txt")).contains("samples/instance-0-part-2.csv").contains("started again");
    }

    @Test
    void anUnknownServiceIsRefusedBeforeAnyFileIsMade() throws Exception {
        assertThatThrownBy(() -> bundle.write("nosuch", List.of(), 0, 1, List.of(), folder.resolve("x.zip")))
                .isInstanceOf(UnknownServiceException.class);
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFolderThatCannotBeWrittenIsAClearErrorNamingItAndTheWayOutAndLeavesNothing() throws Exception {
        fixture.create("orders", 1);
        Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");

        assertThatThrownBy(() -> bundle.write("orders", List.of(), 0, 1, List.of(), notAFolder.resolve("b.zip")))
                .isInstanceOfSatisfying(BundleWriteException.class, e -> {
                    assertThat(e.folder()).isEqualTo(notAFolder);
                    assertThat(e.getMessage()).contains(notAFolder.toString()).contains("Choose a folder");
                });
        assertThatThrownBy(() -> bundle.write("orders", List.of(), 0, 1, List.of(), folder.resolve("missing").resolve("b.zip")))
                .isInstanceOf(BundleWriteException.class).hasMessageContaining(folder.resolve("missing").toString());
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).containsExactly(notAFolder);
        }
    }

    @Test
    void aBundleThatFailsAfterItsTemporaryFileWasMadeLeavesNoHalfWrittenFile() throws Exception {
        fixture.create("orders", 1);
        Path taken = Files.createDirectories(folder.resolve("taken.zip"));
        Files.writeString(taken.resolve("inside"), "x");

        assertThatThrownBy(() -> bundle.write("orders", List.of(), 0, 1, List.of(), taken))
                .isInstanceOf(BundleWriteException.class).hasMessageContaining(folder.toString());
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).containsExactly(taken);
        }
    }

    @Test
    void anEpisodesRangeIsTheEpisodeWithAMinuteEitherSideNeverPastNowAndAnEpisodeUnderWayEndsNow() {
        ThrottleEpisode ended = new ThrottleEpisode(600_000, OptionalLong.of(700_000), Set.of(Cause.MEMORY));
        assertThat(IncidentBundle.episodeRange(ended, 10_000_000)).isEqualTo(new IncidentBundle.Range(540_000, 760_000));
        assertThat(IncidentBundle.episodeRange(ended, 730_000)).as("made within the margin after it ended")
                .isEqualTo(new IncidentBundle.Range(540_000, 730_000));
        assertThat(IncidentBundle.episodeRange(ThrottleEpisode.opening(600_000, Set.of(Cause.MEMORY)), 650_000))
                .isEqualTo(new IncidentBundle.Range(540_000, 650_000));
        assertThat(IncidentBundle.episodeRange(ThrottleEpisode.opening(20_000, Set.of(Cause.MEMORY)), 30_000))
                .as("no time before 1970").isEqualTo(new IncidentBundle.Range(0, 30_000));
    }

    @Test
    void anEpisodesBundleHoldsItsInstanceOverItsRangeAndTheReadmeSaysWhichEpisodeAndTheMargin() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();
        InstanceEpisode first = bundle.findEpisode("orders", 1, 10_200);
        assertThat(first.episode().endMs()).isPresent();

        Path written = bundle.writeEpisode(first, IncidentBundle.episodeRange(first.episode(), 99_000), folder.resolve("episode.zip"));

        Map<String, String> entries = entries(written);
        assertThat(entries).containsKey("samples/instance-1.csv").doesNotContainKey("samples/instance-0.csv");
        assertThat(entries.get("README.txt")).contains("Instances: 1\n")
                .contains("Range:     1970-01-01T00:00:00Z to " + java.time.Instant.ofEpochMilli(first.episode().endMs().getAsLong() + 60_000))
                .contains("Episode:   instance 1, from 1970-01-01T00:00:10.200Z to ")
                .contains("1 minute before and after");
    }

    @Test
    void anEpisodeTheFleetDoesNotHaveIsRefusedNamingTheInstanceAndTheTime() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();

        assertThatThrownBy(() -> bundle.findEpisode("orders", 1, 10_201)).isInstanceOf(UnknownEpisodeException.class)
                .hasMessageContaining("Instance 1 of orders").hasMessageContaining("1970-01-01T00:00:10.201Z");
        assertThatThrownBy(() -> bundle.findEpisode("orders", 0, 10_200)).isInstanceOf(UnknownEpisodeException.class);
        assertThatThrownBy(() -> bundle.findEpisode("nowhere", 0, 10_200)).isInstanceOf(UnknownServiceException.class);
    }

    @Test
    void theChartsAreDrawnOverTheBundlesRangeFromExactlyTheSamplesItsCsvHolds() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();
        List<String> asked = new ArrayList<>();
        List<Sample> drawn = new ArrayList<>();
        IncidentBundle charted = bundle.withCharts((service, index, fromMs, toMs, samples, episodes) -> {
            asked.add(service + " " + index + " " + fromMs + ".." + toMs + " " + episodes.stream().map(ThrottleEpisode::startMs).toList());
            drawn.addAll(samples);
            return Optional.of(new byte[] {7});
        });

        Map<String, String> entries = entries(charted.write("orders", List.of(1), 10_500, 11_000, List.of(), folder.resolve("c.zip")));

        assertThat(asked).containsExactly("orders 1 10500..11000 [10200]");
        assertThat(IncidentBundle.samplesCsv(drawn)).isEqualTo(entries.get("samples/instance-1.csv"));
        assertThat(entries.get("charts/instance-1.png")).isEqualTo("\u0007");
        assertThat(entries.get("README.txt")).contains("- charts/instance-1.png: ").doesNotContain("this bundle has none");
    }

    @Test
    void anEpisodeOlderThanTheSamplesTheHostKeepsGivesABundleWhoseReadmeSaysItHasNoSamplesOfIt() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();
        InstanceEpisode first = bundle.findEpisode("orders", 1, 10_200);
        Sample[] later = new Sample[SampleWindow.MAX_SAMPLES];
        for (int i = 0; i < later.length; i++) {
            later[i] = new Sample(11_400 + i * 200L, 50.0, 0, 1);
        }
        fixture.drive("orders", 1, later);

        Map<String, String> entries = entries(bundle.writeEpisode(first, new IncidentBundle.Range(0, 11_300), folder.resolve("old.zip")));

        assertThat(entries.keySet()).noneMatch(n -> n.startsWith("samples/"));
        assertThat(entries.get("episodes.csv")).contains("1,10200,");
        assertThat(entries.get("README.txt")).contains("only since 1970-01-01T00:00:11.400Z, after the range ends")
                .contains("no samples of instance 1");
    }

    @Test
    void anEpisodeThatEndedSinceTheConsoleListedItIsNamedInTheReadmeAsTheFleetHasItNow() throws Exception {
        fixture.create("orders", 2);
        twoEpisodesOnInstanceOne();
        InstanceEpisode ended = bundle.findEpisode("orders", 1, 10_200);
        InstanceEpisode asListed = new InstanceEpisode("orders", 1, ThrottleEpisode.opening(10_200, Set.of(Cause.MEMORY)));

        Map<String, String> entries = entries(bundle.writeEpisode(asListed, new IncidentBundle.Range(0, 99_000), folder.resolve("s.zip")));

        assertThat(entries.get("README.txt"))
                .contains("Episode:   instance 1, from 1970-01-01T00:00:10.200Z to "
                        + java.time.Instant.ofEpochMilli(ended.episode().endMs().getAsLong()))
                .doesNotContain("to now (still under way)");
    }
}
