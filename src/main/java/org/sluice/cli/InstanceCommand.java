package org.sluice.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sluice.runtime.instance.InstanceProcess;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice instance --definition FILE --index N --work DIR [--suspended]}: runs one role instance. The
 * host starts it as a child process; it is hidden from the help because people do not run it.
 * Standard output carries the instance's events and standard input the host's control words.
 */
@Command(name = "instance", hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class InstanceCommand implements Callable<Integer> {
    private final InputStream stdin;

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

    InstanceCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        return InstanceProcess.run(definition, index, work, stdin, spec.commandLine().getOut(), suspended);
    }
}
