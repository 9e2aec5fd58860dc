package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Outcome;

/**
 * {@code GET /api/v1/services} as administrators who poll it see it: an entity tag that stays the
 * same while the services do, {@code 304} without a body to a client that already has that list,
 * and every change in the very next answer, under a new tag.
 */
@Timeout(60)
class ServiceListTagTest {
    @TempDir
    Path data;

    private ManagementFixture fx;
    private HttpClient http;

    @BeforeEach
    void open() throws Exception {
        fx = new ManagementFixture(data);
        http = HttpClient.newBuilder().sslContext(PinnedCertificate.pinned(fx.certificate.fingerprint()).context()).build();
    }

    @AfterEach
    void close() {
        http.close();
        fx.close();
    }

    @Test
    void anUnchangedListKeepsItsTagAndIsNotSentAgainToAClientThatHasIt() throws Exception {
        fx.created("orders");

        HttpResponse<String> first = services(null, ManagementFixture.KEY);
        assertThat(first.statusCode()).isEqualTo(200);
        String tag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag on " + first.headers().map()));
        assertThat(tag).as("a strong tag, quoted").matches("\"[^\"]+\"");
        assertThat(services(null, ManagementFixture.KEY).headers().firstValue("ETag")).hasValue(tag);

        HttpResponse<String> unchanged = services(tag, ManagementFixture.KEY);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(tag);
        assertThat(services("W/" + tag, ManagementFixture.KEY).statusCode()).as("If-None-Match compares weakly").isEqualTo(304);
        assertThat(services("\"other\", " + tag, ManagementFixture.KEY).statusCode()).as("one of a list").isEqualTo(304);

        HttpResponse<String> other = services("\"other\"", ManagementFixture.KEY);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(first.body());
    }

    @Test
    void twoLooksAtAnUnchangedHostAreEqualSoTheWrittenListIsReused() throws Exception {
        fx.created("orders");
        ManagementClient.Answer stop = fx.client().post("/services/orders/stop", null);
        assertThat(fx.endOf(stop.body().path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        fx.created("payments");

        // The listener writes the list again only when the services differ from those it last wrote.
        assertThat(fx.fleet("one").snapshot().services()).isEqualTo(fx.fleet("another").snapshot().services());
    }

    @Test
    void aChangedServiceIsInTheNextAnswerUnderANewTag() throws Exception {
        fx.created("orders");
        HttpResponse<String> before = services(null, ManagementFixture.KEY);
        String tag = before.headers().firstValue("ETag").orElseThrow();

        ManagementClient.Answer stop = fx.client().post("/services/orders/stop", null);
        assertThat(fx.endOf(stop.body().path("requestId").asText()).outcome()).isEqualTo(Outcome.SUCCEEDED);

        HttpResponse<String> after = services(tag, ManagementFixture.KEY);
        assertThat(after.statusCode()).as("the client's copy is stale").isEqualTo(200);
        assertThat(ApiJson.MAPPER.readTree(after.body()).get(0).path("state").asText()).isEqualTo("Stopped");
        assertThat(after.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(tag));
    }

    @Test
    void aClientWithoutTheKeyLearnsNothingFromATag() throws Exception {
        fx.created("orders");
        String tag = services(null, ManagementFixture.KEY).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> stranger = services(tag, "guess");
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.headers().firstValue("ETag")).isEmpty();
    }

    private HttpResponse<String> services(String ifNoneMatch, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.base() + ManagementServer.API + "/services"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("owner:" + key).getBytes(StandardCharsets.UTF_8)));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
