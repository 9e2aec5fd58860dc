package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What reaches the HTTPS management port in something other than TLS: a plain-HTTP request (an
 * operator who typed http://) is told, in the API's error shape, to use https:// and where; bytes
 * that are neither are dropped as before; and neither changes what HTTPS clients get.
 */
@Timeout(60)
class PlainHttpOnTheHttpsPortTest {
    /** How long a read may wait before the test counts the server as hanging; a guard, never a pause. */
    private static final int READ_GUARD_MS = 20_000;

    @TempDir
    Path data;

    private ManagementFixture fx;

    @BeforeEach
    void open() throws Exception {
        fx = new ManagementFixture(data);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private int port() {
        return fx.server().port();
    }

    @Test
    void aPlainHttpRequestIsAnswered400WithTheHttpsUrlToUseAndHttpsClientsAreStillServed() throws Exception {
        String answer = exchange("GET /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nUser-Agent: curl/8.5.0\r\n"
                + "Accept: */*\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(head(answer)).containsIgnoringCase("Content-Type: application/json").containsIgnoringCase("Connection: close");
        JsonNode body = ApiJson.MAPPER.readTree(body(answer));
        String url = "https://127.0.0.1:" + port() + "/api/v1/services";
        assertThat(body.path("url").asText()).isEqualTo(url);
        assertThat(body.path("error").asText()).contains("HTTPS").contains(url);
        assertThat(fx.client().get("/services").status()).as("an HTTPS client afterwards").isEqualTo(200);
    }

    @Test
    void aPostWithABodyGetsTheSameAnswerWholeAndTheQueryIsKeptInTheUrl() throws Exception {
        String json = "{\"name\":\"orders\",\"units\":2}";
        String answer = exchange("POST /api/v1/services?dry=1 HTTP/1.1\r\nHost: localhost:" + port()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(ApiJson.MAPPER.readTree(body(answer)).path("url").asText())
                .isEqualTo("https://localhost:" + port() + "/api/v1/services?dry=1");
        assertThat(fx.client().get("/health").status()).isEqualTo(200);
    }

    @Test
    void aHeadRequestGetsTheStatusAndHeadersWithoutABody() throws Exception {
        String answer = exchange("HEAD /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(body(answer)).isEmpty();
    }

    @Test
    void aHostOrPathThatCouldNotBeAnAddressIsNotRepeatedAndTheListenersOwnAddressIsGivenInstead() throws Exception {
        String answer = exchange("GET /api/v1/<script>\"x\" HTTP/1.1\r\nHost: <img src=x onerror=alert(1)>\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        JsonNode body = ApiJson.MAPPER.readTree(body(answer));
        assertThat(body.path("url").asText()).isEqualTo("https://127.0.0.1:" + port() + "/");
        assertThat(answer).doesNotContain("<", "script", "img", "alert");
    }

    @Test
    void bytesThatAreNeitherTlsNorHttpAreDroppedWithoutAnAnswerAndTheHostKeepsServing() throws Exception {
        for (byte[] junk : new byte[][] {
                {0, 1, 2, 3, 4, 5, 6, 7, (byte) 0xff, '\r', '\n', '\r', '\n'},
                "Hello, is anybody there?\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "GET /api/v1/services SMTP/2\r\n\r\n".getBytes(StandardCharsets.US_ASCII)}) {
            byte[] answer = send(junk);
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).as(Arrays.toString(junk)).doesNotContain("HTTP/");
        }
        assertThat(fx.client().get("/services").status()).isEqualTo(200);
    }

    @Test
    void aHugeFirstLineIsCutOffWithoutBeingReadWhole() throws Exception {
        byte[] line = ("GET /" + "a".repeat(4 << 20) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = socket()) {
            boolean cutOff;
            try {
                socket.getOutputStream().write(line);
                cutOff = socket.getInputStream().read() < 0;
            } catch (SocketException reset) {
                cutOff = true;
            }
            assertThat(cutOff).as("the host closed the connection before taking 4 MiB of request line").isTrue();
        }
        assertThat(fx.client().get("/services").status()).isEqualTo(200);
    }

    @Test
    void aClientThatSendsOneByteAndStallsHoldsUpNoOne() throws Exception {
        try (Socket stalled = socket(); Socket halfWay = socket()) {
            stalled.getOutputStream().write('G');
            stalled.getOutputStream().flush();
            halfWay.getOutputStream().write("GET /api/v1/services HTTP/1.1\r\nHost: 127.".getBytes(StandardCharsets.US_ASCII));
            halfWay.getOutputStream().flush();

            assertThat(fx.client().get("/services").status()).isEqualTo(200);
            assertThat(exchange("GET / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        }
        assertThat(fx.client().get("/services").status()).isEqualTo(200);
    }

    @Test
    void aClientGivenAnHttpAddressByMistakeSaysToUseHttpsBeforeItSendsAnything() {
        assertThatThrownBy(() -> new ManagementClient(URI.create("http://10.0.0.5:7072/"), "owner", ManagementFixture.KEY,
                fx.certificate.fingerprint()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTPS only").hasMessageContaining("https://10.0.0.5:7072");
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port());
        socket.setSoTimeout(READ_GUARD_MS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends {@code request} in plain text and reads until the host closes the connection. */
    private String exchange(String request) throws IOException {
        return new String(send(request.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private byte[] send(byte[] bytes) throws IOException {
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                in.transferTo(answer);
            } catch (SocketException reset) {
                // A reset ends the answer just as a close does; what came before it is what counts.
            }
            return answer.toByteArray();
        }
    }

    private static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }

    private static String body(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? "" : answer.substring(end + 4);
    }
}
