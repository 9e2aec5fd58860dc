package org.sluice.fleet.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Posts load messages to one URL with the JDK's HTTP client. */
public final class HttpSender implements LoadGenerator.Sender {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final URI url;
    private final LoadBody body;

    public HttpSender(URI url, LoadBody body, Executor executor) {
        this.url = url;
        this.body = body;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
    }

    @Override
    public CompletableFuture<LoadGenerator.Reply> send(long seq) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.fromPublisher(BodyPublishers.ofByteArrays(body.parts(seq)), body.size()))
                .build();
        return client.sendAsync(request, BodyHandlers.discarding())
                .thenApply(response -> new LoadGenerator.Reply(response.statusCode(),
                        retryAfter(response.headers().firstValue("Retry-After").orElse(null))));
    }

    /** A Retry-After given as a number of seconds; a date or anything else reads as absent. */
    static OptionalLong retryAfter(String header) {
        if (header == null || !header.strip().matches("\\d{1,9}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(header.strip()));
    }
}
