package org.sluice.fleet.api;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.sluice.fleet.FleetEvent;
import org.sluice.fleet.FleetListener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The open event streams of a management listener. Each event of the fleet is written as
 * Server-Sent Events text once and queued for every stream; a stream whose client does not keep
 * up fills its queue, is marked dropped and lets go of what it held, so a client that never reads
 * costs the host at most one queue. The client notices the end of the stream and comes back for a
 * fresh snapshot.
 *
 * <p>Samples are most of the events (five a second per running instance: 1,500 a second at 300
 * instances), and each supersedes the one before it. So once a stream's queue is half full, a
 * sample takes the place of its instance's sample still waiting there, unless another event was
 * queued after that one: a client that falls behind gets each instance's newest sample instead of
 * losing its stream, and no event ever passes one that came before it. A client that takes nothing
 * for the stall limit while events wait for it is dropped: it is not reading.
 *
 * <p>Streams are counted per client address and in all. A new stream from an address at its
 * limit takes the place of the oldest one that address opened with the same issuer: a client
 * that vanished without closing its connection (a laptop put to sleep, a dropped NAT entry) keeps
 * its stream open here until TCP gives up, a quarter of an hour later, and must not keep the
 * client's own return out for that long. Past the limit in all, and at an address's limit with
 * no stream of the same issuer to replace, a new stream is refused.
 */
final class EventStreams implements FleetListener {
    private final int maxStreams;
    private final int maxPerAddress;
    private final int queueCapacity;
    private final long stallMs;
    private final LongSupplier clock;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private long opened;

    /**
     * @param queueCapacity events queued for one stream before its client counts as not keeping up
     * @param stallMs       how long a client may take nothing while events wait for it
     * @param clock         milliseconds
     */
    EventStreams(int maxStreams, int maxPerAddress, int queueCapacity, long stallMs, LongSupplier clock) {
        this.maxStreams = maxStreams;
        this.maxPerAddress = maxPerAddress;
        this.queueCapacity = queueCapacity;
        this.stallMs = stallMs;
        this.clock = clock;
    }

    /** An event's text in a stream's queue; a later sample of the same instance may replace it until it is taken. */
    private static final class Queued {
        private byte[] text;
        private boolean taken;

        private Queued(byte[] text) {
            this.text = text;
        }
    }

    /** The instance a sample is of. */
    private record SampleOf(String service, int index) {
    }

    /** Why a stream was not opened. */
    enum Refusal { TOO_MANY, TOO_MANY_FROM_ADDRESS }

    /** A stream of one client; events queue here from the moment it opens. */
    final class Stream implements AutoCloseable {
        private final String address;
        private final String issuer;
        private final long order;
        private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>(queueCapacity);
        /** The last sample queued of each instance, while no other event was queued after it; guarded by this stream. */
        private final Map<SampleOf, Queued> lastSamples = new HashMap<>();
        /** When the client last took an event, or events began to wait for it. */
        private volatile long takenMs;
        private volatile boolean dropped;
        private volatile boolean closed;
        private volatile Thread writer;
        private volatile boolean hostClosing;
        private volatile boolean replaced;

        private Stream(String address, String issuer, long order) {
            this.address = address;
            this.issuer = issuer;
            this.order = order;
            this.takenMs = clock.getAsLong();
        }

        /**
         * Names the thread that writes this stream to its client. A stream dropped for not keeping
         * up interrupts it, which closes the connection even while a write is blocked on it.
         */
        void writtenBy(Thread thread) {
            writer = thread;
        }

        /** The next event's text, or {@code null} when none came within the wait. */
        byte[] next(long waitMs) throws InterruptedException {
            Queued next = queue.poll(waitMs, TimeUnit.MILLISECONDS);
            if (next == null) {
                return null;
            }
            takenMs = clock.getAsLong();
            synchronized (this) {
                next.taken = true;
                return next.text;
            }
        }

        /** Whether no event waits now: the time to flush what was written. */
        boolean nextIsEmpty() {
            return queue.isEmpty();
        }

        /** Why the stream ended early, for the log. */
        String why() {
            if (hostClosing) {
                return "the listener is closing";
            }
            return replaced ? "a newer stream from the same address took its place" : "it did not keep up with the host's events";
        }

        /** Whether the stream was dropped for not keeping up, or because the listener closes. */
        boolean dropped() {
            return dropped;
        }

        private synchronized void offer(byte[] event, SampleOf sample) {
            if (dropped) {
                return;
            }
            long now = clock.getAsLong();
            if (queue.isEmpty()) {
                takenMs = now;
            } else if (now - takenMs > stallMs) {
                drop();
                return;
            }
            if (sample == null) {
                lastSamples.clear();
            } else if (queue.size() >= queueCapacity / 2) {
                Queued waiting = lastSamples.get(sample);
                if (waiting != null && !waiting.taken) {
                    waiting.text = event;
                    return;
                }
            }
            Queued queued = new Queued(event);
            if (!queue.offer(queued)) {
                drop();
                return;
            }
            if (sample != null) {
                lastSamples.put(sample, queued);
            }
        }

        private void drop() {
            dropped = true;
            queue.clear();
            synchronized (this) {
                lastSamples.clear();
            }
            Thread blocked = writer;
            if (blocked != null) {
                blocked.interrupt();
            }
        }

        @Override
        public void close() {
            synchronized (EventStreams.this) {
                if (!closed) {
                    closed = true;
                    open.remove(this);
                    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
                    queue.clear();
                    EventStreams.this.notifyAll();
                }
            }
        }
    }

    /** Opens a stream for {@code issuer}'s client at {@code address}, or says why not. */
    synchronized Object open(String address, String issuer) {
        if (perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            Stream oldest = null;
            for (Stream stream : open) {
                if (stream.address.equals(address) && stream.issuer.equals(issuer) && (oldest == null || stream.order < oldest.order)) {
                    oldest = stream;
                }
            }
            if (oldest == null) {
                return Refusal.TOO_MANY_FROM_ADDRESS;
            }
            // Its place is freed now; the thread writing it notices and lets go of the connection.
            oldest.replaced = true;
            oldest.drop();
            oldest.close();
        }
        if (open.size() >= maxStreams) {
            return Refusal.TOO_MANY;
        }
        perAddress.merge(address, 1, Integer::sum);
        Stream stream = new Stream(address, issuer, opened++);
        open.add(stream);
        return stream;
    }

    int openCount() {
        return open.size();
    }

    /** Waits until at most {@code count} streams are open; returns whether that happened in time. */
    synchronized boolean awaitAtMost(int count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (open.size() > count) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Drops every stream, as the listener closes. */
    void dropAll() {
        for (Stream stream : open) {
            stream.hostClosing = true;
            stream.drop();
        }
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    int maxStreams() {
        return maxStreams;
    }

    @Override
    public void onEvent(FleetEvent event) {
        if (open.isEmpty()) {
            return;
        }
        byte[] text = format(ApiJson.eventName(event), ApiJson.event(event));
        SampleOf sample = event instanceof FleetEvent.InstanceSampled sampled ? new SampleOf(sampled.service(), sampled.index()) : null;
        for (Stream stream : open) {
            stream.offer(text, sample);
        }
    }

    /** One Server-Sent Event: its name and its JSON on one data line. */
    static byte[] format(String name, JsonNode data) {
        try {
            return ("event: " + name + "\ndata: " + ApiJson.MAPPER.writeValueAsString(data) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    /** A comment line that keeps an idle stream open and tells the client the host is still there. */
    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
}
