package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class LoopbackHttpServerTest {
    private static final List<String> SETTINGS = List.of(LoopbackHttpServer.NO_DELAY,
            LoopbackHttpServer.MAX_IDLE_CONNECTIONS, "sun.net.httpserver.maxReqTime", "jdk.httpserver.maxConnections");
    private final Map<String, String> before = new HashMap<>();
    private HttpServer server;

    @BeforeEach
    void remember() {
        for (String setting : SETTINGS) {
            before.put(setting, System.getProperty(setting));
        }
    }

    @AfterEach
    void restore() {
        if (server != null) {
            server.stop(0);
        }
        for (String setting : SETTINGS) {
            if (before.get(setting) == null) {
                System.clearProperty(setting);
            } else {
                System.setProperty(setting, before.get(setting));
            }
        }
    }

    @Test
    void opensOnLoopbackWithNoDelayAndRoomForTenTimesTheThresholdOfIdleConnections() throws Exception {
        SETTINGS.forEach(System::clearProperty);
        server = LoopbackHttpServer.create(0, 16);
        assertThat(server.getAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(server.getAddress().getPort()).isPositive();
        assertThat(System.getProperty(LoopbackHttpServer.NO_DELAY)).isEqualTo("true");
        assertThat(System.getProperty(LoopbackHttpServer.MAX_IDLE_CONNECTIONS))
                .isEqualTo(String.valueOf(1000 * Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void leavesSettingsGivenOnTheCommandLineAlone() throws Exception {
        System.setProperty(LoopbackHttpServer.NO_DELAY, "false");
        System.setProperty(LoopbackHttpServer.MAX_IDLE_CONNECTIONS, "7");
        server = LoopbackHttpServer.create(0, 16);
        assertThat(System.getProperty(LoopbackHttpServer.NO_DELAY)).isEqualTo("false");
        assertThat(System.getProperty(LoopbackHttpServer.MAX_IDLE_CONNECTIONS)).isEqualTo("7");
    }

    @Test
    void cutsOffARequestThatDoesNotArriveWholeWithinThirtySecondsAndBoundsTheConnections() throws Exception {
        SETTINGS.forEach(System::clearProperty);
        server = LoopbackHttpServer.create(0, 16);
        // A sender that stops half-way through its body would otherwise hold its connection, and
        // the handler waiting for the rest, for ever.
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("30");
        assertThat(System.getProperty("jdk.httpserver.maxConnections"))
                .isEqualTo(String.valueOf(2000 * Runtime.getRuntime().availableProcessors()));
    }
}
