package org.sluice.fleet.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final Fleet fleet;
    private final String host;
    private final String version;
    private final InstantSource clock;

    /**
     * @param host    the host's name as the reader knows it, for the README
     * @param version Sluice's version, for the README
     * @param clock   when the bundle is made, for the README
     */
    public IncidentBundle(Fleet fleet, String host, String version, InstantSource clock) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.host = Objects.requireNonNull(host, "host");
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        int samplesWritten = addSamples(service, chosen, fromMs, toMs, episodes, files, contents, notes);
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
        if (extras.stream().noneMatch(e -> e.name().endsWith(".png"))) {
            notes.add("Charts: this bundle has none. Charts of the instances' tiles as PNG come with a bundle saved from the console.");
        }
        if (samplesWritten == 0 && episodes.isEmpty()) {
            notes.add(0, "No samples and no throttle episodes of the chosen instances between " + time(fromMs) + " and "
                    + time(toMs) + ": the host kept no data for that range. The other files are as they are now.");
        }
        String readme = readme(service, chosen, fromMs, toMs, contents, notes);
        Map<String, byte[]> zip = new LinkedHashMap<>();
        zip.put(README, utf8(readme));
        zip.putAll(files);
        writeAtomically(zip, target);
        return target;
    }

    private int addSamples(String service, List<Integer> chosen, long fromMs, long toMs, List<InstanceEpisode> episodes,
            Map<String, byte[]> files, List<String> contents, List<String> notes) {
        int written = 0;
        for (int index : chosen) {
            // A replay that starts while an episode is under way would start Normal and miss it: begin at its start.
            long from = episodes.stream().filter(e -> e.instance() == index).mapToLong(e -> e.episode().startMs())
                    .filter(start -> start < fromMs).min().orElse(fromMs);
            SampleWindow window = fleet.samples(service, index, from, toMs);
            if (from < fromMs && !window.samples().isEmpty()) {
                notes.add("The samples of instance " + index + " begin at " + from + " (" + time(from)
                        + "), before the range, where the episode under way at the range's start began.");
            }
            if (window.keptSinceMs().isPresent() && window.keptSinceMs().getAsLong() > from) {
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
                written += run.size();
                contents.add(describe(name, "every sample instance " + index + "'s throttle governor saw"
                        + (runs.size() == 1 ? "" : ", part " + part + " of " + runs.size() + ": the instance was started again "
                        + "between the parts, with a fresh governor, so each part replays on its own")
                        + ". `sluice replay --episodes " + name + "` gives its episodes as episodes.csv lists them for instance "
                        + index + " (an episode cut short, or still under way at the range's end, shows with no end there)"));
            }
        }
        return written;
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

    private String readme(String service, List<Integer> chosen, long fromMs, long toMs, List<String> contents, List<String> notes) {
        StringBuilder text = new StringBuilder();
        text.append("Sluice incident bundle\n\n");
        text.append("Service:   ").append(service).append('\n');
        text.append("Instances: ").append(chosen.stream().map(String::valueOf).collect(Collectors.joining(", "))).append('\n');
        text.append("Range:     ").append(time(fromMs)).append(" to ").append(time(toMs))
                .append(" (").append(fromMs).append(" to ").append(toMs).append(" ms)\n");
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
