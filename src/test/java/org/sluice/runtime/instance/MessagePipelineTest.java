package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.xml.transform.TransformerConfigurationException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.ServiceDefinition.Validation;

import com.sun.net.httpserver.HttpServer;

@Timeout(20)
class MessagePipelineTest {
    private static final String STYLESHEET = """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:output method="xml" omit-xml-declaration="yes"/>
              <xsl:template match="/order"><invoice id="{@id}"/></xsl:template>
            </xsl:stylesheet>
            """;

    @TempDir
    Path temp;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private Path out() {
        return temp.resolve("out");
    }

    private MessagePipeline pipeline(Validation validation) throws Exception {
        return MessagePipeline.create(validation, Optional.empty(), new DirectoryDestination(out()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String delivered(String messageId) throws IOException {
        return Files.readString(out().resolve(messageId + ".msg"));
    }

    @Test
    void xmlMustBeWellFormed() throws Exception {
        MessagePipeline pipeline = pipeline(Validation.XML);
        pipeline.process("m1", bytes("<order id='1'/>"));
        assertThat(delivered("m1")).isEqualTo("<order id='1'/>");
        assertThatThrownBy(() -> pipeline.process("m2", bytes("<order>")))
                .isInstanceOf(MessageRejectedException.class).hasMessageStartingWith("not well-formed XML");
        assertThat(out().resolve("m2.msg")).doesNotExist();
    }

    @Test
    void aRejectionSaysWhereInOurOwnWordsWithoutTheParsersInternals() throws Exception {
        MessagePipeline json = pipeline(Validation.JSON);
        for (String bad : List.of("{\"a\":", "{\"a\" 1}", "{} {}", "<a/>", "[1,,2]")) {
            assertThatThrownBy(() -> json.process("bad", bytes(bad))).as(bad)
                    .hasMessageMatching("not well-formed JSON(: [a-z ]+)? \\(line \\d+, column \\d+\\)")
                    .message().doesNotContain("Source", "REDACTED", "code", "Feature", "jackson", "token");
        }
        assertThatThrownBy(() -> json.process("cut", bytes("{\"a\":"))).hasMessage("not well-formed JSON: it ends inside a value (line 1, column 6)");
        MessagePipeline xml = pipeline(Validation.XML);
        for (String bad : List.of("<order>", "<a><b></a>", "not xml", "<a x='1' x='2'/>")) {
            assertThatThrownBy(() -> xml.process("bad", bytes(bad))).as(bad)
                    .hasMessageMatching("not well-formed XML(: [a-z ]+)? \\(line \\d+, column \\d+\\)");
        }
    }

    @Test
    void xmlMayNotReadLocalFiles() throws Exception {
        Path secret = Files.writeString(temp.resolve("secret.txt"), "top secret");
        String xxe = "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY s SYSTEM '" + secret.toUri() + "'>]><r>&s;</r>";
        MessagePipeline pipeline = MessagePipeline.create(Validation.XML, Optional.of(Files.writeString(
                temp.resolve("copy.xsl"), """
                        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
                          <xsl:output method="text"/>
                          <xsl:template match="/">[<xsl:value-of select="."/>]</xsl:template>
                        </xsl:stylesheet>
                        """)), new DirectoryDestination(out()));
        pipeline.process("m", bytes(xxe));
        assertThat(delivered("m")).doesNotContain("top secret");
    }

    @Test
    void jsonMustBeWellFormed() throws Exception {
        MessagePipeline pipeline = pipeline(Validation.JSON);
        pipeline.process("m1", bytes("{\"a\":[1,2]}"));
        assertThat(delivered("m1")).isEqualTo("{\"a\":[1,2]}");
        for (String bad : List.of("{\"a\":", "", "{} {}", "<a/>")) {
            assertThatThrownBy(() -> pipeline.process("bad", bytes(bad))).as(bad)
                    .isInstanceOf(MessageRejectedException.class).hasMessageStartingWith("not well-formed JSON");
        }
    }

    @Test
    void noneTakesAnyBytes() throws Exception {
        pipeline(Validation.NONE).process("m1", new byte[] {0, 1, 2});
        assertThat(Files.readAllBytes(out().resolve("m1.msg"))).containsExactly(0, 1, 2);
    }

    @Test
    void transformsWithTheStylesheet() throws Exception {
        Path xsl = Files.writeString(temp.resolve("t.xsl"), STYLESHEET);
        MessagePipeline pipeline = MessagePipeline.create(Validation.XML, Optional.of(xsl), new DirectoryDestination(out()));
        pipeline.process("m1", bytes("<order id='42'/>"));
        assertThat(delivered("m1")).isEqualTo("<invoice id=\"42\"/>");
    }

    @Test
    void aTransformThatFailsRejectsTheMessage() throws Exception {
        Path xsl = Files.writeString(temp.resolve("t.xsl"), STYLESHEET);
        MessagePipeline pipeline = MessagePipeline.create(Validation.NONE, Optional.of(xsl), new DirectoryDestination(out()));
        assertThatThrownBy(() -> pipeline.process("m1", bytes("not xml")))
                .isInstanceOf(MessageRejectedException.class).hasMessageStartingWith("the transform failed");
    }

    @Test
    void aStylesheetThatDoesNotCompileIsRefusedAtCreation() throws Exception {
        Path xsl = Files.writeString(temp.resolve("t.xsl"), "<xsl:stylesheet version='1.0' "
                + "xmlns:xsl='http://www.w3.org/1999/XSL/Transform'><xsl:bogus/></xsl:stylesheet>");
        assertThatThrownBy(() -> MessagePipeline.create(Validation.NONE, Optional.of(xsl), new DirectoryDestination(out())))
                .isInstanceOf(TransformerConfigurationException.class);
        assertThatThrownBy(() -> MessagePipeline.create(Validation.NONE, Optional.of(temp.resolve("missing.xsl")),
                new DirectoryDestination(out()))).isInstanceOf(TransformerConfigurationException.class);
    }

    @Test
    void directoryDeliveryLeavesNoTemporaryFiles() throws Exception {
        MessagePipeline pipeline = pipeline(Validation.NONE);
        for (int i = 0; i < 5; i++) {
            pipeline.process("m" + i, bytes("x" + i));
        }
        try (var files = Files.list(out())) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("m0.msg", "m1.msg", "m2.msg", "m3.msg", "m4.msg");
        }
    }

    private URI serve(int status, List<String> received) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/in", exchange -> {
            try (exchange) {
                received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in");
    }

    @Test
    void httpDeliveryPostsTheMessage() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        URI uri = serve(202, received);
        MessagePipeline.create(Validation.NONE, Optional.empty(), new HttpDestination(uri)).process("m1", bytes("hello"));
        assertThat(received).containsExactly("hello");
    }

    @Test
    void httpDeliveryFailsOnAnAnswerOutside2xx() throws Exception {
        URI uri = serve(500, new CopyOnWriteArrayList<>());
        MessagePipeline pipeline = MessagePipeline.create(Validation.NONE, Optional.empty(), new HttpDestination(uri));
        assertThatThrownBy(() -> pipeline.process("m1", bytes("hello")))
                .isInstanceOf(DeliveryException.class).hasMessageEndingWith("answered 500");
    }

    @Test
    void httpDeliveryFailsWhenNobodyListens() throws Exception {
        URI uri = serve(200, new CopyOnWriteArrayList<>());
        server.stop(0);
        server = null;
        MessagePipeline pipeline = MessagePipeline.create(Validation.NONE, Optional.empty(), new HttpDestination(uri));
        assertThatThrownBy(() -> pipeline.process("m1", bytes("hello")))
                .isInstanceOf(DeliveryException.class).hasMessageStartingWith("cannot deliver to");
    }
}
