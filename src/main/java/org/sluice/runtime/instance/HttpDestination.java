package org.sluice.runtime.instance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Delivers each message as the body of a POST; any 2xx answer means delivered. */
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
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("X-Sluice-Message-Id", messageId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new DeliveryException("cannot deliver to " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while delivering to " + uri, e);
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
}
