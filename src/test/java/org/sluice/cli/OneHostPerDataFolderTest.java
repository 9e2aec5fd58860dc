package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second host on a data folder that a running host holds is refused with one line that names
 * the folder and the running host's process, and exit status 1; the running host goes on serving.
 */
@Timeout(90)
class OneHostPerDataFolderTest {
    private static final Pattern READY = Pattern.compile("Sluice host on (http://127\\.0\\.0\\.1:\\d+/services/)");

    @TempDir
    Path temp;

    private Process first;

    @AfterEach
    void stop() throws InterruptedException {
        if (first != null) {
            first.destroy();
            if (!first.waitFor(20, TimeUnit.SECONDS)) {
                first.destroyForcibly();
            }
        }
    }

    @Test
    void aSecondHostOnTheSameFolderIsRefusedAndTheFirstKeepsServing() throws Exception {
        Path data = temp.resolve("data");
        first = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.language=en", "-Duser.country=US", "-cp", System.getProperty("java.class.path"),
                SluiceMain.class.getName(), "host", "--port", "0", "--manage", "0", "--data", data.toString()))
                .redirectError(temp.resolve("first.err").toFile()).start();
        String doors = readyLine(first);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // On its own thread: without the lock a second host would start and wait for Ctrl-C.
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> SluiceMain.run(
                new String[] {"host", "--port", "0", "--manage", "0", "--data", data.toString()}, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int status = second.get(30, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(1);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .contains(data.toString())
                .contains("process " + first.pid())
                .contains("another Sluice host");
        assertThat(out.toString()).doesNotContain("Sluice host on");
        assertThat(first.isAlive()).isTrue();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(doors + "nothing/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("the first host's front door still answers").isEqualTo(404);
    }

    private static String readyLine(Process host) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return ready.group(1);
            }
        }
        throw new AssertionError("the first host ended before it was ready");
    }
}
