package org.sluice.runtime.instance;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes messages from a {@link PullSource} through the pipeline. Each {@link #pollOnce()} claims
 * and processes waiting messages while the instance takes messages; while it is throttled,
 * suspended or stopping it neither polls nor claims. A scheduled thread calls it every 200 ms.
 */
public final class PullLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PullLoop.class);
    /** Messages taken per poll, so a full inbox does not keep one poll running for ever. */
    private static final int MAX_PER_POLL = 100;

    private final PullSource source;
    private final InstanceGate gate;
    private final InstanceMonitor monitor;
    private final MessagePipeline pipeline;
    private final ProtocolWriter out;

    public PullLoop(PullSource source, InstanceGate gate, InstanceMonitor monitor, MessagePipeline pipeline,
                    ProtocolWriter out) {
        this.source = source;
        this.gate = gate;
        this.monitor = monitor;
        this.pipeline = pipeline;
        this.out = out;
    }

    private boolean open() {
        return gate.closedBecause().isEmpty() && !monitor.isThrottled();
    }

    /** Claims and processes waiting messages; returns how many it processed. */
    public int pollOnce() {
        int count = 0;
        try {
            while (count < MAX_PER_POLL && open()) {
                Optional<PullSource.Claimed> next = source.claimNext();
                if (next.isEmpty()) {
                    break;
                }
                process(next.get());
                count++;
            }
        } catch (IOException e) {
            LOG.warn("cannot poll the source: {}", e.toString(), e);
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log and keep polling.
            LOG.error("polling the source failed", e);
        }
        return count;
    }

    private void process(PullSource.Claimed message) throws IOException {
        monitor.received();
        Optional<InstanceMonitor.Admission> admitted = monitor.tryAdmit();
        if (admitted.isEmpty()) {
            // Throttled between the check and the claim: give it back for later.
            message.release();
            return;
        }
        InstanceMonitor.Admission admission = admitted.get();
        boolean delivered = false;
        String reason = null;
        try {
            byte[] body = message.content();
            admission.holdBytes(body.length);
            if (body.length > MessageHandler.MAX_MESSAGE_BYTES) {
                reason = "the message is over the limit of " + MessageHandler.MAX_MESSAGE_BYTES + " bytes (4 MiB)";
            } else {
                String messageId = UUID.randomUUID().toString();
                pipeline.process(messageId, body);
                delivered = true;
            }
        } catch (MessageRejectedException | DeliveryException e) {
            reason = e.getMessage();
        } finally {
            admission.finish(delivered);
        }
        if (delivered) {
            message.done();
        } else {
            LOG.warn("{} failed: {}", message.name(), reason);
            message.failed(reason);
            out.emit(new ProtocolEvent.Problem(message.name() + " moved to " + DirectoryPullSource.ERROR_FOLDER
                    + ": " + reason));
        }
    }
}
