package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code sluice host --log-format json}: a real host whose log a shipper can read line by line. */
@Timeout(120)
class HostLogEndToEndTest {
    @TempDir
    Path temp;

    @Test
    void withJsonEveryLineOfTheLogIsAnObjectAndOperationsAreAmongThem() throws Exception {
        Path definitions = temp.resolve("services.json");
        Files.writeString(definitions, "{\"services\":[{\"name\":\"orders\",\"units\":1,\"memoryMb\":96,"
                + "\"destination\":\"dir:" + temp.resolve("out") + "\"}]}");
        Path errors = temp.resolve("host.err");
        try (HostProcess host = new HostProcess(temp.resolve("data"), errors, "--manage", "off", "--log-format", "json",
                "--define", definitions.toString())) {
            host.await("orders: Create succeeded");
            assertThat(host.terminate()).isEqualTo(143);
        }

        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(errors, StandardCharsets.UTF_8)) {
            // The JVM's own warnings (native access, here without the launcher's options) are not the log.
            if (!line.isBlank() && !line.startsWith("WARNING: ")) {
                lines.add(json.readTree(line));
            }
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("formattedMessage").asText()).startsWith("Create of orders succeeded in ");
            assertThat(line.path("kvpList").toString()).contains("\"event\":\"operation\"", "\"outcome\":\"succeeded\"");
        });
    }

    @Test
    void anUnknownFormatIsRefusedBeforeTheHostOpens() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = SluiceMain.run(new String[] {"host", "--port", "0", "--manage", "off", "--log-format", "yaml",
                        "--data", temp.resolve("data").toString()},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintWriter(errors, true, StandardCharsets.UTF_8), () -> { });

        assertThat(status).isEqualTo(HostCommand.CANNOT_START);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--log-format yaml is neither text nor json");
        assertThat(temp.resolve("data")).doesNotExist();
    }
}
