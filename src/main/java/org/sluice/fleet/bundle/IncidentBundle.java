package org.sluice.fleet.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.InstanceSnapshot;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.fleet.api.ApiJson;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.RecordedSample;
import org.sluice.throttle.Sample;
import org.sluice.throttle.SampleWindow;
import org.sluice.throttle.ThrottleEpisode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes the incident bundle of a service: one zip with the samples of the chosen instances in the
 * input format of {@code sluice replay}, their throttle episodes, the service's operation log, the
 * instances' logs, the service's definition, any extra entries the caller adds (the console's
 * charts) and a README that names each file.
 *
 * <p>Everything is read from the fleet first; only then is the zip written, to a temporary file in
 * the target folder that is moved into place at once when it is complete. A bundle that fails
 * leaves nothing behind.
 */
public final class IncidentBundle {
    /** The header of a samples file: that of {@code sluice replay}'s input. */
    public static final String SAMPLES_HEADER = "time_ms,memory_percent,concurrent_messages,cores";
    /** The header of the episodes file: {@code sluice replay --episodes}'s columns after the instance, then whether it was cut short. */
    public static final String EPISODES_HEADER = "instance,start_ms,end_ms,duration_ms,causes,cause_history,cut_short";
    /** The most operation log entries a bundle holds, newest first. */
    public static final int MAX_OPERATIONS = 1_000;

    static final String README = "README.txt";

    /**
     * A file the caller adds to the bundle, such as a chart.
     *
     * @param name        its path inside the zip, e.g. {@code charts/instance-1.png}
     * @param description what it is, for the README
     */
    public record Extra(String name, String description, byte[] content) {
        public Extra {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            content = content.clone();
        }
    }

    /** What a bundle of one episode holds before the episode begins and after it ends. */
    public static final Duration EPISODE_MARGIN = Duration.ofMinutes(1);

    /** A bundle's time range in epoch milliseconds, both ends included. */
    public record Range(long fromMs, long toMs) {
        public Range {
            if (toMs < fromMs) {
                throw new IllegalArgumentException("A bundle's range cannot end (" + time(toMs) + ") before it begins (" + time(fromMs) + ")");
            }
        }
    }

    /**
     * Draws the chart of one instance for a bundle, such as the console's throttle tile painter.
     * It is called while the bundle is written, off the FX thread, once for each chosen instance
     * that has samples.
     */
    @FunctionalInterface
    public interface Charts {
        /**
         * The chart of instance {@code index} from {@code fromMs} to {@code toMs} as PNG; empty when
         * it draws none.
         *
         * @param samples  exactly the samples the bundle's samples files of the instance hold, oldest first;
         *                 they may begin before {@code fromMs}, where an episode under way at the start began
         * @param episodes the instance's throttle episodes that overlap the range, oldest first
         */
        Optional<byte[]> draw(String service, int index, long fromMs, long toMs, List<Sample> samples, List<ThrottleEpisode> episodes);
    }

    /**
     * The range of a bundle of {@code episode} made at {@code nowMs}: the episode with
     * {@link #EPISODE_MARGIN} before and after it, never past now nor before 1970. An episode
     * still under way ends now.
     */
    public static Range episodeRange(ThrottleEpisode episode, long nowMs) {
        long margin = EPISODE_MARGIN.toMillis();
        long end = episode.endMs().isPresent() ? episode.endMs().getAsLong() + margin : nowMs;
        long to = Math.max(episode.startMs(), Math.min(end, nowMs));
        return new Range(Math.max(0, episode.startMs() - margin), to);
    }

    private final Fleet fleet;
    private final String host;
    private final String version;
    private final InstantSource clock;
    private final Charts charts;

    /**
     * @param host    the host's name as the reader knows it, for the README
     * @param version Sluice's version, for the README
     * @param clock   when the bundle is made, for the README
     */
    public IncidentBundle(Fleet fleet, String host, String version, InstantSource clock) {
        this(fleet, host, version, clock, null);
    }

    private IncidentBundle(Fleet fleet, String host, String version, InstantSource clock, Charts charts) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.host = Objects.requireNonNull(host, "host");
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.charts = charts;
    }

    /** This bundle with a chart of each instance's samples over the range, drawn by {@code charts}. */
    public IncidentBundle withCharts(Charts charts) {
        return new IncidentBundle(fleet, host, version, clock, Objects.requireNonNull(charts, "charts"));
    }

    /**
     * The episode instance {@code index} of {@code service} started at {@code startMs}, as the
     * fleet has it now (an episode listed as under way may have ended since).
     *
     * @throws UnknownServiceException when there is no such service
     * @throws UnknownEpisodeException when the instance started no episode then
     */
    public InstanceEpisode findEpisode(String service, int index, long startMs) {
        if (fleet.snapshot().services().stream().noneMatch(s -> s.name().equals(service))) {
            throw new UnknownServiceException(service);
        }
        return fleet.episodes(service, startMs, startMs == Long.MAX_VALUE ? startMs : startMs + 1).stream()
                .filter(e -> e.instance() == index && e.episode().startMs() == startMs)
                .findFirst().orElseThrow(() -> new UnknownEpisodeException(service, index, startMs));
    }

    /**
     * Writes the bundle of {@code episode}'s instance over {@code range}, as {@link #episodeRange}
     * gives it, with a README that names the episode and the margin.
     *
     * @return {@code target}
     * @throws UnknownServiceException when the service is gone; no file is made
     * @throws BundleWriteException    when the zip cannot be written to the target's folder; nothing is left there
     */
    public Path writeEpisode(InstanceEpisode episode, Range range, Path target) {
        // The caller's copy may be older than the fleet's: an episode listed as under way may have ended since.
        long start = episode.episode().startMs();
        ThrottleEpisode e = fleet.episodes(episode.service(), start, start == Long.MAX_VALUE ? start : start + 1).stream()
                .filter(found -> found.instance() == episode.instance() && found.episode().startMs() == start)
                .map(InstanceEpisode::episode).findFirst().orElse(episode.episode());
        String margin = EPISODE_MARGIN.toMinutes() + (EPISODE_MARGIN.toMinutes() == 1 ? " minute" : " minutes");
        String line = "instance " + episode.instance() + ", from " + time(e.startMs()) + " to "
                + (e.endMs().isPresent() ? time(e.endMs().getAsLong()) + (e.cutShort() ? " (cut short)" : "") : "now (still under way)")
                + ", " + causes(e.causes()) + ". The range is the episode with " + margin + " before and after it, "
                + "and ends no later than when the bundle was made.";
        return write(episode.service(), List.of(episode.instance()), range.fromMs(), range.toMs(), List.of(), target, line);
    }

    /**
     * Writes the bundle of {@code service}'s instances {@code instances} (all of them when empty)
     * from {@code fromMs} to {@code toMs} to {@code target}, replacing a file of that name.
     *
     * @return {@code target}
     * @throws UnknownServiceException  when there is no such service; no file is made
     * @throws IllegalArgumentException for a range that ends before it begins or an instance number out of range
     * @throws BundleWriteException     when the zip cannot be written to the target's folder; nothing is left there
     * @throws RuntimeException         whatever the fleet throws while the bundle is gathered; no file is made
     */
    public Path write(String service, List<Integer> instances, long fromMs, long toMs, List<Extra> extras, Path target) {
        return write(service, instances, fromMs, toMs, extras, target, null);
    }

    private Path write(String service, List<Integer> instances, long fromMs, long toMs, List<Extra> extras, Path target, String episodeLine) {
        if (toMs < fromMs) {
            throw new IllegalArgumentException("A bundle's range cannot end (" + time(toMs) + ") before it begins (" + time(fromMs) + ")");
        }
        ServiceSnapshot snapshot = fleet.snapshot().services().stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new UnknownServiceException(service));
        List<Integer> chosen = instances.isEmpty()
                ? snapshot.instances().stream().map(InstanceSnapshot::index).sorted().toList()
                : instances.stream().distinct().sorted().toList();

        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> contents = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        List<InstanceEpisode> episodes = fleet.episodes(service, fromMs, toMs).stream()
                .filter(e -> chosen.contains(e.instance()) && overlaps(e.episode(), fromMs, toMs))
                .sorted(Comparator.comparingInt(InstanceEpisode::instance).thenComparingLong(e -> e.episode().startMs()))
                .toList();
        Map<Integer, List<Sample>> samples = addSamples(service, chosen, fromMs, toMs, episodes, files, contents, notes);
        int samplesWritten = samples.values().stream().mapToInt(List::size).sum();
        boolean charted = addCharts(service, fromMs, toMs, samples, episodes, files, contents);
        files.put("episodes.csv", utf8(episodesCsv(episodes)));
        contents.add(describe("episodes.csv", "the throttle episodes of the chosen instances that overlap the range, "
                + "one a line: " + EPISODES_HEADER + ". cause_history lists each change of the causes as time:causes; "
                + "an episode with no end was still under way; cut_short is true when it ended because its instance "
                + "stopped or crashed, or its host died, while it lasted"));
        addOperations(service, fromMs, toMs, files, contents);
        addLogs(service, chosen, files, contents);
        files.put("definition.json", json(ApiJson.definition(snapshot.definition())));
        contents.add(describe("definition.json", "the service's definition now, as GET /api/v1/services/{name}/definition gives it"));
        for (Extra extra : extras) {
            files.put(extra.name(), extra.content());
            contents.add(describe(extra.name(), extra.description()));
        }
        if (!charted && extras.stream().noneMatch(e -> e.name().endsWith(".png"))) {
            notes.add("Charts: this bundle has none. Charts of the instances' samples over the bundle's range, as PNG, come with a bundle "
                    + "saved from the console.");
        }
        if (samplesWritten == 0 && episodes.isEmpty()) {
            notes.add(0, "No samples and no throttle episodes of the chosen instances between " + time(fromMs) + " and "
                    + time(toMs) + ": the host kept no data for that range. The other files are as they are now.");
        }
        String readme = readme(service, chosen, fromMs, toMs, episodeLine, contents, notes);
        Map<String, byte[]> zip = new LinkedHashMap<>();
        zip.put(README, utf8(readme));
        zip.putAll(files);
        writeAtomically(zip, target);
        return target;
    }

    /** Adds each instance's samples files; returns each instance's samples that were written, oldest first. */
    private Map<Integer, List<Sample>> addSamples(String service, List<Integer> chosen, long fromMs, long toMs, List<InstanceEpisode> episodes,
            Map<String, byte[]> files, List<String> contents, List<String> notes) {
        Map<Integer, List<Sample>> written = new TreeMap<>();
        for (int index : chosen) {
            // A replay that starts while an episode is under way would start Normal and miss it: begin at its start.
            long from = episodes.stream().filter(e -> e.instance() == index).mapToLong(e -> e.episode().startMs())
                    .filter(start -> start < fromMs).min().orElse(fromMs);
            SampleWindow window = fleet.samples(service, index, from, toMs);
            if (from < fromMs && !window.samples().isEmpty()) {
                notes.add("The samples of instance " + index + " begin at " + from + " (" + time(from)
                        + "), before the range, where the episode under way at the range's start began.");
            }
            if (window.samples().isEmpty() && window.keptSinceMs().isPresent() && window.keptSinceMs().getAsLong() > toMs) {
                notes.add("The host keeps the samples of instance " + index + " only since " + time(window.keptSinceMs().getAsLong())
                        + ", after the range ends (it keeps an hour of them): this bundle has no samples of instance " + index
                        + ", and no chart of it.");
            } else if (window.keptSinceMs().isPresent() && window.keptSinceMs().getAsLong() > from) {
                notes.add("The host keeps the samples of instance " + index + " only since " + time(window.keptSinceMs().getAsLong())
                        + "; those before are gone, so a replay may begin inside an episode.");
            }
            Map<Integer, List<Sample>> runs = new TreeMap<>();
            for (RecordedSample s : window.samples()) {
                runs.computeIfAbsent(s.run(), r -> new ArrayList<>()).add(s.sample());
            }
            int part = 0;
            for (List<Sample> run : runs.values()) {
                part++;
                String name = runs.size() == 1 ? "samples/instance-" + index + ".csv" : "samples/instance-" + index + "-part-" + part + ".csv";
                files.put(name, utf8(samplesCsv(run)));
                written.computeIfAbsent(index, i -> new ArrayList<>()).addAll(run);
                contents.add(describe(name, "every sample instance " + index + "'s throttle governor saw"
                        + (runs.size() == 1 ? "" : ", part " + part + " of " + runs.size() + ": the instance was started again "
                        + "between the parts, with a fresh governor, so each part replays on its own")
                        + ". `sluice replay --episodes " + name + "` gives its episodes as episodes.csv lists them for instance "
                        + index + " (an episode cut short, or still under way at the range's end, shows with no end there)"));
            }
        }
        return written;
    }

    /** Adds a chart of each instance that has samples, when there is something to draw them; true when one was added. */
    private boolean addCharts(String service, long fromMs, long toMs, Map<Integer, List<Sample>> samples, List<InstanceEpisode> episodes,
            Map<String, byte[]> files, List<String> contents) {
        if (charts == null) {
            return false;
        }
        boolean added = false;
        for (Map.Entry<Integer, List<Sample>> instance : samples.entrySet()) {
            int index = instance.getKey();
            List<ThrottleEpisode> own = episodes.stream().filter(e -> e.instance() == index).map(InstanceEpisode::episode).toList();
            Optional<byte[]> png = charts.draw(service, index, fromMs, toMs, List.copyOf(instance.getValue()), own);
            if (png.isPresent()) {
                String name = "charts/instance-" + index + ".png";
                files.put(name, png.get());
                contents.add(describe(name, "instance " + index + "'s memory in use and messages in process from " + time(fromMs)
                        + " to " + time(toMs) + ", against their thresholds, with the periods it was throttled shaded, "
                        + "drawn from the samples files of instance " + index + " above"));
                added = true;
            }
        }
        return added;
    }

    private void addOperations(String service, long fromMs, long toMs, Map<String, byte[]> files, List<String> contents) {
        List<OperationRecord> operations = fleet.operations(OperationQuery.all(MAX_OPERATIONS).forService(service)
                .withRange(fromMs, toMs == Long.MAX_VALUE ? toMs : toMs + 1));
        files.put("operations.json", json(ApiJson.operations(operations)));
        contents.add(describe("operations.json", "the service's operation log entries started in the range, newest first, as "
                + "GET /api/v1/operations gives them" + (operations.size() == MAX_OPERATIONS ? "; only the newest "
                + MAX_OPERATIONS + " of them" : "")));
    }

    private void addLogs(String service, List<Integer> chosen, Map<String, byte[]> files, List<String> contents) {
        for (int index : chosen) {
            for (InstanceLog.Run run : InstanceLog.Run.values()) {
                InstanceLog log = fleet.instanceLog(service, index, run, -1, InstanceLog.MAX_BYTES);
                if (log.text().isEmpty()) {
                    continue;
                }
                String which = run == InstanceLog.Run.CURRENT ? "current" : "previous";
                String name = "logs/instance-" + index + "-" + which + ".log";
                files.put(name, utf8(log.text()));
                contents.add(describe(name, "the last " + InstanceLog.MAX_BYTES / 1024 + " KiB at most of what instance " + index
                        + " wrote to its standard error in its " + which + " run" + (log.from() > 0 ? ", from byte " + log.from() : "")));
            }
        }
    }

    private String readme(String service, List<Integer> chosen, long fromMs, long toMs, String episodeLine, List<String> contents,
                          List<String> notes) {
        StringBuilder text = new StringBuilder();
        text.append("Sluice incident bundle\n\n");
        text.append("Service:   ").append(service).append('\n');
        text.append("Instances: ").append(chosen.stream().map(String::valueOf).collect(Collectors.joining(", "))).append('\n');
        text.append("Range:     ").append(time(fromMs)).append(" to ").append(time(toMs))
                .append(" (").append(fromMs).append(" to ").append(toMs).append(" ms)\n");
        if (episodeLine != null) {
            text.append("Episode:   ").append(episodeLine).append('\n');
        }
        text.append("Host:      ").append(host).append('\n');
        text.append("Version:   Sluice ").append(version).append('\n');
        text.append("Made:      ").append(clock.instant()).append("\n\n");
        if (!notes.isEmpty()) {
            notes.forEach(n -> text.append(n).append("\n\n"));
        }
        text.append("Files\n\n");
        text.append(describe(README, "this file"));
        contents.forEach(text::append);
        text.append("\nTimes are milliseconds since 1970-01-01T00:00:00Z on the host's clock. "
                + "A samples file has the columns of `sluice replay`'s input: " + SAMPLES_HEADER + ".\n");
        return text.toString();
    }

    private static String describe(String name, String what) {
        return "- " + name + ": " + what + "\n";
    }

    private void writeAtomically(Map<String, byte[]> entries, Path target) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(folder, "." + absolute.getFileName() + ".", ".part");
            try (OutputStream out = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(entry.getKey()));
                    zip.write(entry.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            BundleWriteException failure = new BundleWriteException(folder, reason(e), e);
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    private static String reason(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    private static boolean overlaps(ThrottleEpisode episode, long fromMs, long toMs) {
        return episode.startMs() <= toMs && (episode.endMs().isEmpty() || episode.endMs().getAsLong() >= fromMs);
    }

    static String samplesCsv(List<Sample> samples) {
        StringBuilder csv = new StringBuilder(SAMPLES_HEADER).append('\n');
        for (Sample s : samples) {
            // Plain digits: the replay reads no exponent, and the figure reads back to the same double.
            csv.append(s.timeMs()).append(',').append(BigDecimal.valueOf(s.memoryPercent()).toPlainString()).append(',')
                    .append(s.concurrentMessages()).append(',').append(s.cores()).append('\n');
        }
        return csv.toString();
    }

    static String episodesCsv(List<InstanceEpisode> episodes) {
        StringBuilder csv = new StringBuilder(EPISODES_HEADER).append('\n');
        for (InstanceEpisode e : episodes) {
            ThrottleEpisode episode = e.episode();
            String history = episode.history().stream().map(step -> step.atMs() + ":" + causes(step.causes())).collect(Collectors.joining(";"));
            csv.append(e.instance()).append(',').append(episode.startMs()).append(',')
                    .append(episode.endMs().isPresent() ? Long.toString(episode.endMs().getAsLong()) : "").append(',')
                    .append(episode.durationMs().isPresent() ? Long.toString(episode.durationMs().getAsLong()) : "").append(',')
                    .append(causes(episode.causes())).append(',').append(history).append(',').append(episode.cutShort()).append('\n');
        }
        return csv.toString();
    }

    private static String causes(Set<Cause> causes) {
        return causes.stream().map(Cause::name).collect(Collectors.joining("+"));
    }

    private static byte[] json(JsonNode node) {
        try {
            return ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written: " + e.getMessage(), e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String time(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
