package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.sluice.FreshClasses;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

/**
 * A host launches every role instance with {@code sluice instance OPTIONS}; those launches are read
 * without picocli ({@link InstanceCommand#readPlainly}), and whatever that reading takes must mean
 * exactly what picocli would make of it.
 */
class InstanceCommandReadingTest {

    @Test
    void aHostsLaunchOfAnInstanceBuildsNoCommandLine() throws Exception {
        try (FreshClasses loader = new FreshClasses()) {
            StringWriter out = new StringWriter();
            int status = FreshMain.run(loader, new String[] {"instance", "--definition", "/nonexistent/definition.json",
                    "--index", "0", "--work", "/nonexistent/work"}, out, () -> {
                throw new UnsupportedOperationException("open");
            });
            // The same answer as through picocli: the problem, then a failed start.
            assertThat(status).isEqualTo(1);
            assertThat(out.toString()).startsWith("{\"event\":\"problem\"").contains("/nonexistent/definition.json");
            assertThat(loader.loaded("picocli.CommandLine")).as("picocli's command line, built for a host's launch").isFalse();
        }
    }

    @Test
    void theHostsOwnCommandLinesAreReadPlainly() {
        assertThat(plain("instance", "--definition", "d.json", "--index", "3", "--work", "w")).isPresent();
        assertThat(plain("instance", "--definition", "d.json", "--index", "0", "--work", "w", "--suspended",
                "--transport", "network", "--bind", "127.0.0.1", "--port", "7000")).isPresent();
        assertThat(plain("instance", "--definition=d.json", "--index=1", "--work=w")).isPresent();
    }

    @Test
    void whatIsNotPlainIsLeftToPicocli() {
        assertThat(plain("instance", "--help")).isEmpty();
        assertThat(plain("instance", "--definition", "d.json", "--index", "0")).isEmpty();
        assertThat(plain("instance", "--definition", "d.json", "--index", "0", "--work", "w", "--index", "1")).isEmpty();
        assertThat(plain("instance", "--definition", "d.json", "--index", "010", "--work", "w")).isEmpty();
        assertThat(plain("instance", "--definition", "d.json", "--index", "0", "--work", "w", "--transport", "pigeon")).isEmpty();
        assertThat(plain("instance", "--definition", "d.json", "--index", "0", "--work", "w", "--suspended=true")).isEmpty();
        assertThat(plain("instance", "--definition", "d.json", "--index", "0", "--work", "w", "extra")).isEmpty();
    }

    @Property(tries = 400)
    void whatIsReadPlainlyMeansWhatPicocliReads(@ForAll("commandLines") List<String> options) {
        net.jqwik.api.statistics.Statistics.label("read plainly").collect(
                InstanceCommand.readPlainly(withCommand(options), InputStream.nullInputStream(), name -> null).isPresent());
        String[] args = withCommand(options);
        Optional<InstanceCommand> plain = InstanceCommand.readPlainly(args, InputStream.nullInputStream(), name -> null);
        if (plain.isEmpty()) {
            return;
        }
        InstanceCommand byPicocli = new InstanceCommand(InputStream.nullInputStream(), name -> null);
        CommandLine commandLine = new CommandLine(byPicocli);
        commandLine.setResourceBundle(java.util.ResourceBundle.getBundle(Messages.BUNDLE));
        commandLine.parseArgs(Arrays.copyOfRange(args, 1, args.length));
        assertThat(plain.get().options()).isEqualTo(byPicocli.options());
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        // Mostly what a host gives (the three options it always gives, some of the others), in any
        // order, now and then with a piece that is not plain.
        Arbitrary<List<List<String>>> usual = net.jqwik.api.Combinators.combine(
                Arbitraries.of("d.json", "defs/a b.json", "").map(v -> List.of("--definition", v)),
                Arbitraries.of(List.of("--work", "w"), List.of("--work=/tmp/work"), List.of("--work", "work dir")),
                Arbitraries.of("0", "7", "12", "007", "-1", "x", "2147483647", "2147483648").map(v -> List.of("--index", v)),
                Arbitraries.of("0", "8080", "65536", "0x10").map(v -> List.of("--port=" + v)).injectNull(0.5),
                Arbitraries.of("stdio", "NETWORK", "Network", "udp").map(v -> List.of("--transport", v)).injectNull(0.5),
                Arbitraries.of("127.0.0.1", "0.0.0.0", "::1", "localhost").map(v -> List.of("--bind", v)).injectNull(0.5),
                Arbitraries.of(List.of("--suspended"), List.of("--suspended=true")).injectNull(0.5),
                Arbitraries.of(List.of("--oops"), List.of("-h"), List.of("--index"), List.of("--work", "again"), List.of("extra"))
                        .injectNull(0.7))
                .as((definition, work, index, port, transport, bind, suspended, odd) -> {
                    List<List<String>> pieces = new ArrayList<>(List.of(definition, work, index));
                    for (List<String> piece : Arrays.asList(port, transport, bind, suspended, odd)) {
                        if (piece != null) {
                            pieces.add(piece);
                        }
                    }
                    return pieces;
                });
        return usual.flatMap(pieces -> Arbitraries.shuffle(pieces)).map(pieces -> {
            List<String> all = new ArrayList<>();
            pieces.forEach(all::addAll);
            return all;
        });
    }

    private static String[] withCommand(List<String> options) {
        List<String> args = new ArrayList<>(options);
        args.add(0, "instance");
        return args.toArray(String[]::new);
    }

    private static Optional<InstanceCommand> plain(String... args) {
        return InstanceCommand.readPlainly(args, InputStream.nullInputStream(), name -> null);
    }
}
