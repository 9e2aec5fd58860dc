package org.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.sluice.throttle.Cause;
import org.sluice.throttle.InvalidSampleException;
import org.sluice.throttle.Sample;
import org.sluice.throttle.ThrottleEpisode;
import org.sluice.throttle.ThrottleGovernor;
import org.sluice.throttle.ThrottleTransition;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice replay [FILE]}: runs recorded samples of one instance through the throttle governor
 * and prints each change of state or causes, or with {@code --episodes} each throttle episode.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class ReplayCommand implements Callable<Integer> {
    static final int BAD_INPUT = 2;
    static final String TRANSITIONS_HEADER = "time_ms,state,causes";
    static final String EPISODES_HEADER = "start_ms,end_ms,duration_ms,causes,cause_history";
    private static final String STDIN = "-";

    private final InputStream stdin;
    private long replayTimeMs;

    @Spec
    private CommandSpec spec;

    @Option(names = "--episodes", descriptionKey = "replay.option.episodes")
    private boolean episodes;

    @Parameters(arity = "0..1", paramLabel = "FILE", descriptionKey = "replay.param.file")
    private String file;

    ReplayCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Reader reader = open()) {
            replay(new SampleCsvReader(new BufferedReader(reader)), out);
            return 0;
        } catch (SampleCsvReader.BadInputException e) {
            out.flush();
            err.println(e.getMessage());
            return BAD_INPUT;
        } catch (IOException e) {
            out.flush();
            err.println(Messages.get("replay.error.read", file == null ? STDIN : file, Messages.whyUnreadable(file == null ? null : java.nio.file.Path.of(file), e)));
            return BAD_INPUT;
        }
    }

    private Reader open() throws IOException {
        if (file == null || STDIN.equals(file)) {
            return new InputStreamReader(stdin, StandardCharsets.UTF_8);
        }
        return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    }

    private void replay(SampleCsvReader samples, PrintWriter out) throws IOException {
        samples.readHeader();
        // The replay's clock is the recording's: the time of the last sample read.
        ThrottleGovernor governor = new ThrottleGovernor(() -> Instant.ofEpochMilli(replayTimeMs));
        out.println(episodes ? EPISODES_HEADER : TRANSITIONS_HEADER);
        Optional<Sample> next;
        while ((next = samples.next()).isPresent()) {
            Sample sample = next.get();
            Optional<ThrottleTransition> change;
            try {
                change = governor.accept(sample);
            } catch (InvalidSampleException e) {
                throw samples.problem(e);
            }
            replayTimeMs = sample.timeMs();
            change.ifPresent(t -> {
                if (!episodes) {
                    out.println(t.timeMs() + "," + t.state() + "," + causes(t.causes()));
                } else {
                    t.endedEpisode().ifPresent(e -> out.println(episode(e)));
                }
            });
        }
        if (episodes) {
            governor.currentEpisode().ifPresent(e -> out.println(episode(e)));
        }
    }

    private static String episode(ThrottleEpisode e) {
        String end = e.endMs().isPresent() ? Long.toString(e.endMs().getAsLong()) : "";
        String duration = e.durationMs().isPresent() ? Long.toString(e.durationMs().getAsLong()) : "";
        // Each change of the causes as time:causes, as the host's store keeps it: 200:MEMORY;300:MEMORY+CONCURRENCY.
        String history = e.history().stream().map(step -> step.atMs() + ":" + causes(step.causes())).collect(Collectors.joining(";"));
        return e.startMs() + "," + end + "," + duration + "," + causes(e.causes()) + "," + history;
    }

    private static String causes(Set<Cause> causes) {
        return causes.stream().map(Cause::name).collect(Collectors.joining("+"));
    }
}
