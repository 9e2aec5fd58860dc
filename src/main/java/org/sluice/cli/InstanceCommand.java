package org.sluice.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.sluice.runtime.instance.InstanceProcess;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice instance --definition FILE --index N --work DIR [--suspended] [--transport network
 * --bind ADDRESS --port N]}: runs one role instance. The host starts it as a child process; it is
 * hidden from the help because people do not run it. Standard output carries the instance's events
 * and standard input the host's control words; a networked instance serves both on its port
 * instead, to holders of the token in {@value InstanceProcess#TOKEN_VARIABLE}.
 */
@Command(name = "instance", hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class InstanceCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceCommand.class);

    /** How the instance and its host talk. */
    enum Transport { STDIO, NETWORK }

    private final InputStream stdin;
    private final UnaryOperator<String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--definition", required = true, paramLabel = "FILE", descriptionKey = "instance.option.definition")
    private Path definition;

    @Option(names = "--index", required = true, paramLabel = "N", descriptionKey = "instance.option.index")
    private int index;

    @Option(names = "--work", required = true, paramLabel = "DIR", descriptionKey = "instance.option.work")
    private Path work;

    @Option(names = "--suspended", descriptionKey = "instance.option.suspended")
    private boolean suspended;

    @Option(names = "--transport", paramLabel = "stdio|network", defaultValue = "stdio",
            converter = TransportConverter.class, descriptionKey = "instance.option.transport")
    private Transport transport;

    @Option(names = "--bind", paramLabel = "ADDRESS", descriptionKey = "instance.option.bind")
    private InetAddress bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", descriptionKey = "instance.option.port")
    private int port;

    InstanceCommand(InputStream stdin) {
        this(stdin, System::getenv);
    }

    /** @param environment the value of an environment variable, null when it is not set */
    InstanceCommand(InputStream stdin, UnaryOperator<String> environment) {
        this.stdin = stdin;
        this.environment = environment;
    }

    /** {@code stdio} or {@code network}, in any case. */
    static final class TransportConverter implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "stdio" -> Transport.STDIO;
                case "network" -> Transport.NETWORK;
                default -> throw new CommandLine.TypeConversionException(Messages.get("instance.error.transport", value));
            };
        }
    }

    /** A whole number as picocli reads one with no doubt: no sign, no leading zero, no base. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("0|[1-9][0-9]{0,8}");

    /**
     * Reads {@code instance OPTIONS} without picocli, for the host's launches: building picocli's
     * model of this one command (annotations, method handles) took about two thirds of an
     * instance's launch to ready. Only a plain, complete and unambiguous command line is read
     * here; anything else (help, a missing or repeated option, a value picocli could read
     * otherwise or would refuse) is left to picocli, which gives its usual answer (decision 0059).
     * An option added to this command must be added here too, or it falls to picocli.
     *
     * @param args the whole command line, {@code instance} first
     * @return the command, empty when picocli must read the command line
     */
    static Optional<InstanceCommand> readPlainly(String[] args, InputStream stdin, UnaryOperator<String> environment) {
        if (args.length == 0 || !"instance".equals(args[0])) {
            return Optional.empty();
        }
        InstanceCommand command = new InstanceCommand(stdin, environment);
        Set<String> seen = new HashSet<>();
        try {
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                String value = null;
                int equals = name.indexOf('=');
                if (equals > 0) {
                    value = name.substring(equals + 1);
                    name = name.substring(0, equals);
                }
                if (!seen.add(name)) {
                    return Optional.empty();
                }
                if (name.equals("--suspended")) {
                    if (value != null) {
                        return Optional.empty();
                    }
                    command.suspended = true;
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        return Optional.empty();
                    }
                    value = args[++i];
                }
                if (value.isEmpty() || value.startsWith("-")) {
                    return Optional.empty();
                }
                switch (name) {
                    case "--definition" -> command.definition = Path.of(value);
                    case "--work" -> command.work = Path.of(value);
                    case "--index" -> command.index = plainNumber(value);
                    case "--port" -> command.port = plainNumber(value);
                    case "--transport" -> command.transport = new TransportConverter().convert(value);
                    case "--bind" -> command.bind = InetAddress.getByName(value);
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        } catch (InvalidPathException | UnknownHostException | CommandLine.TypeConversionException | NumberFormatException e) {
            return Optional.empty();
        }
        if (!seen.containsAll(Set.of("--definition", "--index", "--work"))) {
            return Optional.empty();
        }
        if (command.transport == null) {
            command.transport = Transport.STDIO;
        }
        return Optional.of(command);
    }

    private static int plainNumber(String value) {
        if (!PLAIN_NUMBER.matcher(value).matches()) {
            throw new NumberFormatException(value);
        }
        return Integer.parseInt(value);
    }

    /** What the options say, for tests that compare this reading with picocli's. */
    String options() {
        return "definition=" + definition + " index=" + index + " work=" + work + " suspended=" + suspended
                + " transport=" + transport + " bind=" + bind + " port=" + port;
    }

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut());
    }

    /** Runs the instance, its events on {@code out}; returns the exit status. */
    int run(PrintWriter out) {
        InstanceProcess.Options options = InstanceProcess.Options.stdio(suspended);
        if (transport == Transport.NETWORK) {
            String token = Optional.ofNullable(environment.apply(InstanceProcess.TOKEN_VARIABLE)).orElse("");
            InetAddress address = bind != null ? bind : InetAddress.getLoopbackAddress();
            options = options.networked(new InstanceProcess.Network(address, port, token,
                    InstanceProcess.START_PROBLEM_LINGER, bound -> LOG.info("listening on {}", bound)));
        }
        return InstanceProcess.run(definition, index, work, stdin, out, options);
    }
}
