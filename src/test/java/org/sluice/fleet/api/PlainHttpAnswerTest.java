package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine behind the management port's answer to plain HTTP, driven the way the JDK's server
 * drives it: unwrap what arrived, wrap when asked to, stop at CLOSED.
 */
class PlainHttpAnswerTest {
    private SSLEngine engine;

    @BeforeEach
    void open() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        engine = PlainHttpAnswer.context(tls, "127.0.0.1", 7071).createSSLEngine("client", 50_000);
        engine.setUseClientMode(false);
    }

    private SSLEngineResult unwrap(String text) throws SSLException {
        return unwrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private SSLEngineResult unwrap(byte[] bytes) throws SSLException {
        return engine.unwrap(ByteBuffer.wrap(bytes), ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
    }

    @Test
    void aRequestThatArrivesOneByteAtATimeIsAnsweredOnceWholeAndThenTheEngineIsClosed() throws Exception {
        String request = "GET /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1:7071\r\n\r\n";
        for (int i = 0; i < request.length() - 1; i++) {
            SSLEngineResult part = unwrap(request.substring(i, i + 1));
            assertThat(part.bytesConsumed()).isEqualTo(1);
            assertThat(part.getHandshakeStatus()).as("after byte %d", i).isEqualTo(HandshakeStatus.NEED_UNWRAP);
        }
        SSLEngineResult last = unwrap(request.substring(request.length() - 1));
        assertThat(last.getStatus()).isEqualTo(Status.OK);
        assertThat(last.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);

        assertThat(engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(16)).getStatus())
                .as("too little room: the caller makes more").isEqualTo(Status.BUFFER_OVERFLOW);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult answered = engine.wrap(ByteBuffer.allocate(0), out);
        assertThat(answered.getStatus()).isEqualTo(Status.CLOSED);
        assertThat(answered.bytesProduced()).isPositive();
        String answer = new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .endsWith("\"url\":\"https://127.0.0.1:7071/api/v1/services\"}");
        assertThat(answer).contains("Content-Length: " + answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8).length);

        SSLEngineResult after = engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(1024));
        assertThat(after.getStatus()).isEqualTo(Status.CLOSED);
        assertThat(after.bytesProduced()).as("the answer goes out once").isZero();
        assertThat(engine.isOutboundDone()).isTrue();
    }

    @Test
    void theDeclaredBodyIsReadAndDroppedBeforeTheAnswer() throws Exception {
        SSLEngineResult head = unwrap("PUT /api/v1/services/a/units HTTP/1.1\r\nHost: [::1]:7071\r\nContent-Length: 10\r\n\r\n{\"un");
        assertThat(head.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_UNWRAP);
        SSLEngineResult rest = unwrap("its\":3}");
        assertThat(rest.bytesConsumed()).isEqualTo(6);
        assertThat(rest.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);
        ByteBuffer out = ByteBuffer.allocate(4096);
        engine.wrap(ByteBuffer.allocate(0), out);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.UTF_8)).contains("https://[::1]:7071/api/v1/services/a/units");
    }

    @Test
    void withoutAHostHeaderTheListenersOwnAddressIsGivenAndWithoutOneEitherNoUrlIsMadeUp() throws Exception {
        assertThat(text(PlainHttpAnswer.answer("GET /api/v1/health HTTP/1.0\r\n\r\n", "127.0.0.1", 7071)))
                .contains("\"url\":\"https://127.0.0.1:7071/api/v1/health\"");
        String everywhere = text(PlainHttpAnswer.answer("GET /api/v1/health HTTP/1.0\r\n\r\n", null, 7071));
        assertThat(everywhere).contains("https:// in place of http://").doesNotContain("\"url\"");
        assertThat(text(PlainHttpAnswer.answer("GET /x HTTP/1.1\r\nHost: sluice.example.com\r\n\r\n", null, 7071)))
                .as("a Host without a port came to the listener's port").contains("https://sluice.example.com:7071/x");
    }

    @Test
    void aFirstByteThatCanStartATlsRecordGoesToTheRealEngineAsItCame() throws Exception {
        SSLEngineResult partial = unwrap(new byte[] {0x16, 0x03});
        assertThat(partial.getStatus()).as("the real engine waits for the rest of the record").isEqualTo(Status.BUFFER_UNDERFLOW);
        assertThat(partial.bytesConsumed()).isZero();
    }

    @Test
    void bytesThatCannotBeTheStartOfARequestEndTheConnectionAtOnce() throws Exception {
        assertThatThrownBy(() -> unwrap("Hello")).isInstanceOf(SSLException.class);
        assertThat(engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(1024)).bytesProduced()).isZero();
    }

    @Test
    void aHeadThatNeverEndsIsCutOffAtItsLimit() throws Exception {
        unwrap("GET /" + "a".repeat(PlainHttpAnswer.MAX_HEAD - 6));
        assertThatThrownBy(() -> unwrap("aa")).isInstanceOf(SSLException.class).hasMessageContaining("over " + PlainHttpAnswer.MAX_HEAD);
    }

    /** A method a later JDK adds to SSLEngine or SSLContextSpi would bypass the real engine; this says so. */
    @Test
    void everyOverridableMethodOfTheEngineAndTheContextGoesThroughTheWrapper() throws Exception {
        assertThat(notOverridden(SSLEngine.class, engine.getClass())).isEmpty();
        Class<?> context = Arrays.stream(PlainHttpAnswer.class.getDeclaredClasses())
                .filter(SSLContextSpi.class::isAssignableFrom).findFirst().orElseThrow();
        assertThat(notOverridden(SSLContextSpi.class, context)).isEmpty();
    }

    private static List<String> notOverridden(Class<?> base, Class<?> wrapper) {
        List<String> missing = new ArrayList<>();
        for (Method m : base.getDeclaredMethods()) {
            int modifiers = m.getModifiers();
            if (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers) || Modifier.isPrivate(modifiers) || m.isSynthetic()) {
                continue;
            }
            try {
                wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        return missing;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
