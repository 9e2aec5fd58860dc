package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.EngineStatus;
import org.sluice.runtime.HostActivityLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code sluice host --log-format}: the same log line, for a person or for a log shipper. */
class LogFormatTest {
    private static final Logger LOG = LoggerFactory.getLogger("org.sluice.runtime.HostActivityLog");
    private final PrintStream original = System.err;

    @AfterEach
    void restore() throws Exception {
        System.setErr(original);
        LogFormat.TEXT.apply();
    }

    private String logged(LogFormat format) throws Exception {
        return logged(format, () -> {
            LOG.atWarn().addKeyValue("event", "throttle").addKeyValue("service", "orders")
                    .log("{} instance {} is throttled by memory", "orders", 1);
            LOG.debug("not at the default level");
        });
    }

    private String logged(LogFormat format, Runnable logging) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // The appender takes standard error as it is when the format is applied.
            format.apply();
            logging.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonWritesEachLineAsOneObjectWithTheMessageAndItsFields() throws Exception {
        String text = logged(LogFormat.JSON);

        String[] lines = text.strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("loggerName").asText()).isEqualTo("org.sluice.runtime.HostActivityLog");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("orders instance 1 is throttled by memory");
        assertThat(line.path("timestamp").asLong()).isPositive();
        assertThat(line.path("kvpList").toString()).contains("\"service\":\"orders\"").contains("\"event\":\"throttle\"");
    }

    @Test
    void textIsTheDefaultAndWritesOneHumanLine() throws Exception {
        String text = logged(LogFormat.TEXT);

        assertThat(text).isEqualTo("[" + Thread.currentThread().getName()
                + "] WARN org.sluice.runtime.HostActivityLog - orders instance 1 is throttled by memory" + System.lineSeparator());
    }

    /**
     * Logback prints its whole status on standard output when a configuration warns; on a role
     * instance, standard output is its protocol to the host, and the console would get noisier.
     */
    @Test
    void neitherFormatLeavesAWarningThatLogbackWouldPrint() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (LogFormat format : LogFormat.values()) {
            context.getStatusManager().clear();
            format.apply();
            assertThat(context.getStatusManager().getCopyOfStatusList()).as(format.name())
                    .allSatisfy(status -> assertThat(status.getLevel()).as(status.getMessage()).isLessThan(Status.WARN));
        }
    }

    @Test
    void theFormatIsNamedOnTheCommandLineInEitherCase() {
        assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse("TEXT")).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void theEngineGoingAndComingBackIsALineInEitherFormat() throws Exception {
        Runnable engine = () -> {
            HostActivityLog activity = new HostActivityLog();
            activity.engineStatusChanged(EngineStatus.unavailable(EngineStatus.Kind.KUBERNETES, "the API server refused the host", 2_000));
            activity.engineStatusChanged(EngineStatus.available(EngineStatus.Kind.KUBERNETES, 3_000));
        };

        String thread = Thread.currentThread().getName();
        assertThat(logged(LogFormat.TEXT, engine)).isEqualTo(
                "[" + thread + "] WARN org.sluice.runtime.HostActivityLog - The Kubernetes engine is unavailable: the API server refused the host"
                + System.lineSeparator()
                + "[" + thread + "] INFO org.sluice.runtime.HostActivityLog - The Kubernetes engine is available again" + System.lineSeparator());

        String[] lines = logged(LogFormat.JSON, engine).strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode down = new ObjectMapper().readTree(lines[0]);
        assertThat(down.path("level").asText()).isEqualTo("WARN");
        assertThat(down.path("kvpList").toString()).contains("\"event\":\"engine\"").contains("\"engine\":\"kubernetes\"")
                .contains("\"available\":\"false\"").contains("\"reason\":\"the API server refused the host\"");
        JsonNode up = new ObjectMapper().readTree(lines[1]);
        assertThat(up.path("formattedMessage").asText()).isEqualTo("The Kubernetes engine is available again");
        assertThat(up.path("kvpList").toString()).contains("\"available\":\"true\"");
    }
}
