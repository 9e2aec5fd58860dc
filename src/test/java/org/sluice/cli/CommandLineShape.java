package org.sluice.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code sluice} command line as picocli builds it, for tests outside this package that check
 * files naming its subcommands and options (container entrypoints, Kubernetes manifests).
 */
public final class CommandLineShape {
    private final CommandSpec root;

    private CommandLineShape(CommandSpec root) {
        this.root = root;
    }

    public static CommandLineShape sluice() {
        InputStream none = new ByteArrayInputStream(new byte[0]);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ReplayCommand.class) {
                    return type.cast(new ReplayCommand(none));
                }
                if (type == InstanceCommand.class) {
                    return type.cast(new InstanceCommand(none));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return new CommandLineShape(new CommandLine(new SluiceMain(() -> { }), factory).getCommandSpec());
    }

    /** The main class the launchers run. */
    public static String mainClass() {
        return SluiceMain.class.getName();
    }

    public Set<String> subcommands() {
        return new TreeSet<>(root.subcommands().keySet());
    }

    /** Every name of every option of {@code subcommand} (e.g. {@code --port}, {@code -h}). */
    public Set<String> options(String subcommand) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : spec(subcommand).options()) {
            names.addAll(Set.of(option.names()));
        }
        return names;
    }

    /** Whether {@code option} of {@code subcommand} takes a value (as {@code --port N}) rather than being a flag. */
    public boolean takesValue(String subcommand, String option) {
        return spec(subcommand).findOption(option).arity().max() > 0;
    }

    /** The default value of {@code option} of {@code subcommand}, as written in its annotation. */
    public Optional<String> defaultValue(String subcommand, String option) {
        return Optional.ofNullable(spec(subcommand).findOption(option)).map(OptionSpec::defaultValue);
    }

    private CommandSpec spec(String subcommand) {
        CommandLine sub = root.subcommands().get(subcommand);
        if (sub == null) {
            throw new IllegalArgumentException("sluice has no subcommand " + subcommand);
        }
        return sub.getCommandSpec();
    }
}
