package org.sluice.runtime.instance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * {@code POST /messages}: answers as the table in docs/runtime.md says. A suspended or stopping
 * instance answers 409 and a throttled one 503 without processing the body; it reads and discards
 * it, so the answer reaches the sender intact.
 */
final class MessageHandler implements HttpHandler {
    /** The largest message an instance takes: 4 MiB. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** The body of every 503, exactly. */
    static final String BUSY = "Server is busy. Please try again.";

    private static final Logger LOG = LoggerFactory.getLogger(MessageHandler.class);
    /**
     * Where the bodies of refused messages are read to, by every thread at once: nothing ever
     * reads it back, so a refusal needs no buffer of its own.
     */
    private static final byte[] DISCARDED = new byte[8192];

    private final int index;
    private final InstanceGate gate;
    private final InstanceMonitor monitor;
    private final MessagePipeline pipeline;
    private final DeliveryProblems problems;

    MessageHandler(int index, InstanceGate gate, InstanceMonitor monitor, MessagePipeline pipeline,
                   DeliveryProblems problems) {
        this.index = index;
        this.gate = gate;
        this.monitor = monitor;
        this.pipeline = pipeline;
        this.problems = problems;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/messages".equals(exchange.getRequestURI().getPath())) {
                text(exchange, 404, "not found: only POST /messages");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                text(exchange, 405, "only POST");
                return;
            }
            if (exchange.getRequestHeaders().containsKey("Origin")) {
                // A web page in a browser on this machine can post to any loopback port without
                // asking first; browsers name the page's origin, programs that send messages do not.
                discardBody(exchange);
                text(exchange, 403, "refused: requests from web pages are not taken; send messages from a program");
                return;
            }
            monitor.received();
            Optional<String> closed = gate.closedBecause();
            if (closed.isPresent()) {
                discardBody(exchange);
                text(exchange, 409, closed.get());
                return;
            }
            Optional<InstanceMonitor.Admission> admitted = monitor.tryAdmit();
            if (admitted.isEmpty()) {
                discardBody(exchange);
                exchange.getResponseHeaders().set("Retry-After", "1");
                text(exchange, 503, BUSY);
                return;
            }
            process(exchange, admitted.get());
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", exchange.getRemoteAddress(), e.toString());
        } catch (RuntimeException e) {
            LOG.error("failed to handle a message", e);
            throw e;
        }
    }

    private void process(HttpExchange exchange, InstanceMonitor.Admission admission) throws IOException {
        boolean delivered = false;
        try {
            byte[] body = readBody(exchange, admission);
            if (body == null) {
                text(exchange, 413, "the message is over the limit of " + MAX_MESSAGE_BYTES + " bytes (4 MiB)");
                return;
            }
            String messageId = UUID.randomUUID().toString();
            try {
                pipeline.process(messageId, body);
            } catch (MessageRejectedException e) {
                text(exchange, 400, e.getMessage());
                return;
            } catch (DeliveryException e) {
                LOG.warn("message {} not delivered: {}", messageId, e.getMessage());
                problems.report(e.getMessage());
                text(exchange, 502, e.getMessage());
                return;
            }
            delivered = true;
            send(exchange, 200, "application/json",
                    "{\"messageId\":\"" + messageId + "\",\"instance\":" + index + "}");
        } finally {
            admission.finish(delivered);
        }
    }

    /**
     * Reads a refused message's body without keeping it. Closing a connection with unread bytes
     * makes the socket reset it, and the reset can overtake the answer: the sender would see a
     * broken connection instead of 503 or 409.
     */
    private static void discardBody(HttpExchange exchange) throws IOException {
        byte[] scrap = DISCARDED;
        long left = MAX_MESSAGE_BYTES + 1L;
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while (left > 0 && (n = in.read(scrap, 0, (int) Math.min(scrap.length, left))) > 0) {
                left -= n;
            }
        }
    }

    /** The body, or null when it is over the limit; read as it arrives (see {@link MessageBody}). */
    private static byte[] readBody(HttpExchange exchange, InstanceMonitor.Admission admission) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_MESSAGE_BYTES) {
                    return null;
                }
            } catch (NumberFormatException e) {
                LOG.debug("ignoring a Content-Length that is not a number: {}", length);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = MessageBody.readLimited(in, MAX_MESSAGE_BYTES);
            if (body != null) {
                admission.holdBytes(body.length);
            }
            return body;
        }
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
