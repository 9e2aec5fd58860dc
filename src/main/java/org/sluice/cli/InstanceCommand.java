package org.sluice.cli;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Locale;
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

    @Override
    public Integer call() {
        InstanceProcess.Options options = InstanceProcess.Options.stdio(suspended);
        if (transport == Transport.NETWORK) {
            String token = Optional.ofNullable(environment.apply(InstanceProcess.TOKEN_VARIABLE)).orElse("");
            InetAddress address = bind != null ? bind : InetAddress.getLoopbackAddress();
            options = options.networked(new InstanceProcess.Network(address, port, token,
                    InstanceProcess.START_PROBLEM_LINGER, bound -> LOG.info("listening on {}", bound)));
        }
        return InstanceProcess.run(definition, index, work, stdin, spec.commandLine().getOut(), options);
    }
}
