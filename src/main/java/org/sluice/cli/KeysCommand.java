package org.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sluice.runtime.DataDirectory;
import org.sluice.runtime.access.HostAccessException;
import org.sluice.runtime.access.HostKeys;
import org.sluice.runtime.access.HostKeys.Keys;
import org.sluice.runtime.access.HostKeys.Slot;
import org.sluice.runtime.access.NoKeysException;
import org.sluice.runtime.store.StoreException;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice keys show|regenerate --primary|--secondary [--data DIR]}: prints or rolls the keys
 * of the management API's issuer. Both work while the host runs; a rolled key stops working
 * within a second.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {KeysCommand.Show.class, KeysCommand.Regenerate.class})
final class KeysCommand {
    /** Exit status when there is no data folder, no keys in it, or they cannot be read or rolled. */
    static final int FAILED = 1;

    private KeysCommand() {
    }

    /** What both subcommands share: the data folder, and one line on the error stream when it fails. */
    abstract static class OnDataFolder implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR", descriptionKey = "keys.option.data")
        private Path data;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path folder = data != null ? data : DataDirectory.defaultLocation();
            if (!Files.isDirectory(folder)) {
                err.println(Messages.get("keys.error.noData", folder));
                return FAILED;
            }
            try {
                run(folder, out);
                return 0;
            } catch (NoKeysException e) {
                err.println(Messages.get("keys.error.noKeys", folder));
                return FAILED;
            } catch (HostAccessException | StoreException e) {
                err.println(Messages.get("keys.error.failed", folder, e.getMessage()));
                return FAILED;
            }
        }

        abstract void run(Path folder, PrintWriter out);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class Show extends OnDataFolder {

        @Override
        void run(Path folder, PrintWriter out) {
            Keys keys = HostKeys.show(folder);
            out.println(Messages.get("keys.show.issuer", keys.issuer()));
            out.println(Messages.get("keys.show.primary", shown(keys, Slot.PRIMARY)));
            out.println(Messages.get("keys.show.secondary", shown(keys, Slot.SECONDARY)));
        }

        /** The key, or what to do when keys.json lost it. */
        private static String shown(Keys keys, Slot slot) {
            String key = keys.key(slot);
            if (key != null) {
                return key;
            }
            return Messages.get("keys.show.unknown", slot == Slot.PRIMARY ? "--primary" : "--secondary");
        }
    }

    @Command(name = "regenerate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class Regenerate extends OnDataFolder {

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Which which;

        /** Exactly one of the two. */
        static final class Which {
            @Option(names = "--primary", required = true, descriptionKey = "keys.option.primary")
            private boolean primary;

            @Option(names = "--secondary", required = true, descriptionKey = "keys.option.secondary")
            private boolean secondary;
        }

        @Override
        void run(Path folder, PrintWriter out) {
            Slot slot = which.primary ? Slot.PRIMARY : Slot.SECONDARY;
            Keys keys = HostKeys.regenerate(folder, slot);
            if (slot == Slot.PRIMARY) {
                out.println(Messages.get("keys.regenerated.primary", keys.issuer(), keys.primary()));
                out.println(Messages.get("keys.regenerated.primary.note"));
            } else {
                out.println(Messages.get("keys.regenerated.secondary", keys.issuer(), keys.secondary()));
                out.println(Messages.get("keys.regenerated.secondary.note"));
            }
        }
    }
}
