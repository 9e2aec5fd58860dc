package org.sluice.runtime.instance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Delivers each message as the body of a POST; any 2xx answer means delivered.
 *
 * <p>The body is handed to the HTTP client in slices that it copies one at a time, and the
 * request lets go of the message once it is answered. {@code BodyPublishers.ofByteArray} would
 * copy the whole message first, doubling the memory of every message in process, and the client
 * keeps the last request of each idle pooled connection for as long as the connection lives
 * (20 minutes by default): after a burst of large messages the instance would hold all of them,
 * twice, and stay throttled on memory.
 */
public final class HttpDestination implements Destination {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI uri;
    private final HttpClient client;

    public HttpDestination(URI uri) {
        this.uri = uri;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void deliver(String messageId, byte[] message) throws DeliveryException {
        Slices body = new Slices(message);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("X-Sluice-Message-Id", messageId)
                .POST(message.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(body), message.length))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new DeliveryException("cannot deliver to " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while delivering to " + uri, e);
        } finally {
            body.release();
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new DeliveryException(uri + " answered " + status, null);
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    /** The message in slices, as often as the client asks, until it is released. */
    private static final class Slices implements Iterable<byte[]> {
        private volatile byte[] message;

        Slices(byte[] message) {
            this.message = message;
        }

        void release() {
            message = null;
        }

        @Override
        public Iterator<byte[]> iterator() {
            byte[] whole = message;
            if (whole == null) {
                throw new IllegalStateException("the message was delivered or given up");
            }
            return new SliceIterator(whole);
        }
    }

    /** Hands out slices of a message and drops it after the last: the client may keep the iterator. */
    private static final class SliceIterator implements Iterator<byte[]> {
        private static final int SLICE = 64 * 1024;
        private byte[] rest;
        private int offset;

        SliceIterator(byte[] message) {
            this.rest = message;
        }

        @Override
        public boolean hasNext() {
            return rest != null;
        }

        @Override
        public byte[] next() {
            if (rest == null) {
                throw new NoSuchElementException();
            }
            int end = Math.min(rest.length, offset + SLICE);
            byte[] slice = Arrays.copyOfRange(rest, offset, end);
            offset = end;
            if (offset >= rest.length) {
                rest = null;
            }
            return slice;
        }
    }
}
