package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class LoopbackHttpServerTest {
    private final String before = System.getProperty(LoopbackHttpServer.NO_DELAY);
    private HttpServer server;

    @AfterEach
    void restore() {
        if (server != null) {
            server.stop(0);
        }
        if (before == null) {
            System.clearProperty(LoopbackHttpServer.NO_DELAY);
        } else {
            System.setProperty(LoopbackHttpServer.NO_DELAY, before);
        }
    }

    @Test
    void opensOnLoopbackWithNoDelayOnAcceptedConnections() throws Exception {
        System.clearProperty(LoopbackHttpServer.NO_DELAY);
        server = LoopbackHttpServer.create(0, 16);
        assertThat(server.getAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(server.getAddress().getPort()).isPositive();
        assertThat(System.getProperty(LoopbackHttpServer.NO_DELAY)).isEqualTo("true");
    }

    @Test
    void leavesASettingGivenOnTheCommandLineAlone() throws Exception {
        System.setProperty(LoopbackHttpServer.NO_DELAY, "false");
        server = LoopbackHttpServer.create(0, 16);
        assertThat(System.getProperty(LoopbackHttpServer.NO_DELAY)).isEqualTo("false");
    }
}
