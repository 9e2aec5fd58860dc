package org.sluice.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code sluice} command line. With no subcommand it opens the console; with one it runs that
 * command and exits with its status.
 */
@Command(name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        resourceBundle = Messages.BUNDLE,
        subcommands = {ChartCommand.class, ReplayCommand.class, HostCommand.class, LoadCommand.class, InstanceCommand.class,
                CommandLine.HelpCommand.class})
public final class SluiceMain implements Callable<Integer> {
    /** Exit status when the console cannot be opened. */
    static final int CONSOLE_UNAVAILABLE = 1;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, err));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new SluiceMain(), new Factory(in));
        commandLine.setResourceBundle(ResourceBundle.getBundle(Messages.BUNDLE, Locale.getDefault()));
        commandLine.setOut(out);
        commandLine.setErr(err);
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println(Messages.get("console.unavailable"));
        return CONSOLE_UNAVAILABLE;
    }

    /** Gives commands that read standard input the stream to read from. */
    private static final class Factory implements CommandLine.IFactory {
        private final InputStream in;

        Factory(InputStream in) {
            this.in = in;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ReplayCommand.class) {
                return type.cast(new ReplayCommand(in));
            }
            if (type == InstanceCommand.class) {
                return type.cast(new InstanceCommand(in));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
