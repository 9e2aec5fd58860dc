package org.sluice.runtime.instance;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /messages}: answers as the table in docs/runtime.md says. Its checks are made on the
 * endpoint's event loop as soon as a request's line and headers have arrived ({@link #begin}), in
 * this order: 404 for another path, 405 for another method, 403 for a request from a web page
 * (one with an {@code Origin} header), then the message is counted as received, and a suspended or
 * stopping instance answers 409 and a throttled one 503 with {@code Retry-After: 1} and the body
 * {@value #BUSY}. A refused message's body is read and dropped by the endpoint, not kept, so that
 * the answer reaches the sender intact; the refusal is written on the loop, without a thread.
 *
 * <p>An admitted message's body is gathered on the loop; one over {@value #MAX_MESSAGE_BYTES} bytes
 * (by its {@code Content-Length}, or as it arrives) is answered 413. A whole one is
 * {@linkplain #process processed} on a worker thread, since delivery blocks (a folder write, an HTTP
 * destination), and the endpoint writes its answer and then {@linkplain InstanceMonitor.Admission#finish
 * finishes} the admission.
 *
 * <p>Not final only so that a benchmark can measure the endpoint with a handler that checks nothing.
 */
class MessageHandler {
    /** The largest message an instance takes: 4 MiB. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** The body of every 503, exactly. */
    static final String BUSY = "Server is busy. Please try again.";
    /** Where messages are posted. */
    static final String PATH = "/messages";

    private static final Logger LOG = LoggerFactory.getLogger(MessageHandler.class);
    private static final Reply.Answer NOT_FOUND = Reply.Answer.text(404, "not found: only POST /messages");
    private static final Reply.Answer WRONG_METHOD = Reply.Answer.text(405, "only POST").with("Allow", "POST");
    private static final Reply.Answer FROM_WEB_PAGE = Reply.Answer.text(403,
            "refused: requests from web pages are not taken; send messages from a program");
    private static final Reply.Answer BUSY_ANSWER = Reply.Answer.text(503, BUSY).with("Retry-After", "1");
    private static final Reply.Answer TOO_LARGE = Reply.Answer.text(413,
            "the message is over the limit of " + MAX_MESSAGE_BYTES + " bytes (4 MiB)");

    /** What becomes of a request once its headers are read. */
    sealed interface Start {
    }

    /** Refused: its body is dropped as it arrives, then {@code answer} is written. */
    record Refused(Reply.Answer answer) implements Start {
    }

    /**
     * Admitted: its body is gathered, unless {@code tooLarge} (its {@code Content-Length} is over the
     * limit), and the admission is finished once its answer is written.
     */
    record Admitted(InstanceMonitor.Admission admission, boolean tooLarge) implements Start {
    }

    /** What became of an admitted message: the answer, and whether it was delivered. */
    record Outcome(Reply.Answer answer, boolean delivered) {
    }

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

    /** The checks of a request whose line and headers have arrived; made on the event loop, never blocks. */
    Start begin(EndpointRequest request) {
        if (!PATH.equals(request.path())) {
            return new Refused(NOT_FOUND);
        }
        if (!"POST".equals(request.method())) {
            return new Refused(WRONG_METHOD);
        }
        if (request.header("Origin") != null) {
            // A web page in a browser on this machine can post to any loopback port without
            // asking first; browsers name the page's origin, programs that send messages do not.
            return new Refused(FROM_WEB_PAGE);
        }
        monitor.received();
        Optional<String> closed = gate.closedBecause();
        if (closed.isPresent()) {
            return new Refused(Reply.Answer.text(409, closed.get()));
        }
        Optional<InstanceMonitor.Admission> admitted = monitor.tryAdmit();
        if (admitted.isEmpty()) {
            return new Refused(BUSY_ANSWER);
        }
        return new Admitted(admitted.get(), overLimit(request.header("Content-Length")));
    }

    private static boolean overLimit(String length) {
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) > MAX_MESSAGE_BYTES;
        } catch (NumberFormatException e) {
            LOG.debug("ignoring a Content-Length that is not a number: {}", length);
            return false;
        }
    }

    /** The answer to an admitted message whose body is over the limit. */
    Reply.Answer tooLarge() {
        return TOO_LARGE;
    }

    /**
     * Processes an admitted message's whole body: validates and delivers it. Blocks while the
     * destination takes it, so it runs on a worker thread. The admission is not finished here.
     */
    Outcome process(byte[] body) {
        String messageId = UUID.randomUUID().toString();
        try {
            pipeline.process(messageId, body);
        } catch (MessageRejectedException e) {
            return new Outcome(Reply.Answer.text(400, e.getMessage()), false);
        } catch (DeliveryException e) {
            LOG.warn("message {} not delivered: {}", messageId, e.getMessage());
            problems.report(e.getMessage());
            return new Outcome(Reply.Answer.text(502, e.getMessage()), false);
        }
        return new Outcome(Reply.Answer.of(200, "application/json",
                "{\"messageId\":\"" + messageId + "\",\"instance\":" + index + "}"), true);
    }
}
