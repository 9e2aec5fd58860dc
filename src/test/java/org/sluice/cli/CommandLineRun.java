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

    /** {@code sluice host} on {@code data}, any free door port and no management listener, then {@code options}. */
    static CommandLineRun host(java.nio.file.Path data, String... options) {
        String[] args = new String[options.length + 6];
        args[0] = "host";
        args[1] = "--data";
        args[2] = data.toString();
        args[3] = "--port";
        args[4] = "0";
        args[5] = "--manage=off";
        System.arraycopy(options, 0, args, 6, options.length);
        return run(args);
    }

    static CommandLineRun run(String... args) {
        return withInput("", args);
    }
}
