package org.sluice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.sluice.runtime.instance.InstanceProcess;

/** The instance protocol over a child's standard input and output, the instance run in the test's JVM. */
class StdioInstanceProtocolTest extends InstanceProtocolContract {

    @Override
    RoleInstance start(Path definition, InstanceProcess.Options options, Recorder listener) throws Exception {
        return InProcessInstance.stdio(definition, 0, temp.resolve("work"), options).attach("orders", 0, listener);
    }

    @Override
    RoleInstance scripted(List<String> lines, Recorder listener) throws Exception {
        Pipe stdout = Pipe.open();
        for (String line : lines) {
            stdout.sink().write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        closing.add(() -> {
            stdout.sink().close();
            exit.complete(0);
        });
        Process process = new Process() {
            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream getInputStream() {
                return Channels.newInputStream(stdout.source());
            }

            @Override
            public InputStream getErrorStream() {
                return InputStream.nullInputStream();
            }

            @Override
            public int waitFor() {
                return exit.join();
            }

            @Override
            public int exitValue() {
                return exit.getNow(0);
            }

            @Override
            public void destroy() {
                try {
                    stdout.sink().close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                exit.complete(137);
            }

            @Override
            public boolean isAlive() {
                return !exit.isDone();
            }
        };
        return ProcessInstanceLauncher.attach("orders", 0, process, listener);
    }
}
