package org.sluice.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;

import org.sluice.console.ConsoleLauncher;

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
        subcommands = {ChartCommand.class, ReplayCommand.class, HostCommand.class, KeysCommand.class, CtlCommand.class,
                LoadCommand.class, InstanceCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class SluiceMain implements Callable<Integer> {
    /** The hidden subcommand a host starts each role instance with. */
    private static final String INSTANCE = "instance";
    /** Exit status when the console cannot be opened. */
    static final int CONSOLE_UNAVAILABLE = 1;

    /** Opens the console and returns when it is closed. */
    @FunctionalInterface
    interface ConsoleOpener {
        void open();
    }

    @Spec
    private CommandSpec spec;

    private final ConsoleOpener console;

    SluiceMain(ConsoleOpener console) {
        this.console = console;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, err));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, in, out, err, () -> ConsoleLauncher.launch(new String[0]));
    }

    /** Runs the command line with the given streams and way to open the console; returns the exit status. */
    static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, ConsoleOpener console) {
        if (args.length == 0) {
            // The desktop entry's launch: there is nothing to parse, and building the command line
            // with every subcommand cost the console's start about as much CPU as its first frame.
            return open(console, err);
        }
        CommandLine commandLine;
        if (INSTANCE.equals(args[0])) {
            Optional<InstanceCommand> plain = InstanceCommand.readPlainly(args, in, System::getenv);
            if (plain.isPresent()) {
                int status = plain.get().run(out);
                out.flush();
                err.flush();
                return status;
            }
            // Not a plain launch (help, a wrong or missing option): picocli answers, with only the
            // instance's command built, since every subcommand's model took most of a launch to ready
            // (decision 0059). The root is named as the full one, so that usage lines and bundle keys
            // stay "sluice instance".
            commandLine = new CommandLine(CommandSpec.create().name("sluice"));
            commandLine.addSubcommand(INSTANCE, new CommandLine(new InstanceCommand(in)));
        } else {
            commandLine = new CommandLine(new SluiceMain(console), new Factory(in));
            CtlCommand.describeExitStatuses(commandLine.getSubcommands().get("ctl"));
        }
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
        return open(console, spec.commandLine().getErr());
    }

    private static int open(ConsoleOpener console, PrintWriter err) {
        try {
            console.open();
            return 0;
        } catch (RuntimeException e) {
            // Typically no display: say so where the user typed the command.
            err.println(Messages.get("console.unavailable", String.valueOf(e.getMessage())));
            err.flush();
            return CONSOLE_UNAVAILABLE;
        }
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
