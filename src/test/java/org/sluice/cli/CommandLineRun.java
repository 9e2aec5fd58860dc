package org.sluice.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** One run of the {@code sluice} command line in process, with what it printed. */
record CommandLineRun(int status, String out, String err) {

    static CommandLineRun withInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SluiceMain.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandLineRun(status, out.toString(), err.toString());
    }

    static CommandLineRun run(String... args) {
        return withInput("", args);
    }
}
