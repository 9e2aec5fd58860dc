package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.runtime.metrics.Exposition;

/**
 * {@code GET /metrics} on the management listener, as Prometheus scrapes it: over HTTPS, with
 * the issuer and a key as HTTP Basic, like every path but the health check.
 */
@Timeout(60)
class MetricsEndpointTest {
    @TempDir
    Path data;

    private ManagementFixture fx;
    private HttpClient http;

    @BeforeEach
    void open() throws Exception {
        fx = new ManagementFixture(data);
        http = HttpClient.newBuilder().sslContext(PinnedCertificate.pinned(fx.certificate.fingerprint()).context())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void close() {
        http.close();
        fx.close();
    }

    private HttpResponse<String> scrape(String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.base() + "/metrics")).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String issuer, String key) {
        return "Basic " + Base64.getEncoder().encodeToString((issuer + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aScraperWithTheIssuerAndAKeyReadsTheHostsMetrics() throws Exception {
        fx.created("orders");

        HttpResponse<String> page = scrape(basic("owner", ManagementFixture.KEY));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        Exposition metrics = new Exposition(page.body());
        assertThat(metrics.value("sluice_service_state", "service", "orders", "sluice_service_state", "Active")).contains(1.0);
        assertThat(metrics.value("sluice_service_units", "service", "orders")).contains(2.0);
        assertThat(metrics.value("sluice_operations_total", "operation", "Create", "outcome", "succeeded")).contains(1.0);
        for (String index : new String[] {"0", "1"}) {
            assertThat(metrics.value("sluice_instance_restarts_total", "service", "orders", "role_instance", index))
                    .as("a fresh instance's crash restarts, there from the first scrape").contains(0.0);
            assertThat(metrics.value("sluice_instance_host_restart_tries_total", "service", "orders", "role_instance", index))
                    .as("a fresh instance's tries after a host restart, there from the first scrape").contains(0.0);
        }
        assertThat(scrape(basic("owner", ManagementFixture.OTHER_KEY)).statusCode()).as("the secondary key works too").isEqualTo(200);
    }

    @Test
    void aScraperWithoutCredentialsOrWithAWrongKeyIsRefusedAndToldHowToSignIn() throws Exception {
        HttpResponse<String> missing = scrape(null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"sluice\""));
        assertThat(ApiJson.MAPPER.readTree(missing.body()).path("error").asText()).contains("sluice keys show");

        HttpResponse<String> wrong = scrape(basic("owner", "not-the-key"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("sluice_");

        HttpResponse<String> bearer = scrape("Bearer " + ManagementFixture.KEY);
        assertThat(bearer.statusCode()).as("a bearer token is not how this listener signs in").isEqualTo(401);
    }

    @Test
    void onlyGetIsServed() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(fx.base() + "/metrics"))
                .header("Authorization", basic("owner", ManagementFixture.KEY)).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void aScrapeWhileTheListenerIsDownFailsCleanlyAndTheNextOneAfterItsReturnSucceeds() throws Exception {
        fx.created("orders");
        int port = fx.server().port();
        fx.server().close();

        assertThatThrownBy(() -> scrape(basic("owner", ManagementFixture.KEY))).isInstanceOf(IOException.class);

        fx.replace(fx.start(port, ManagementServer.Settings.defaults()));
        HttpResponse<String> page = scrape(basic("owner", ManagementFixture.KEY));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new Exposition(page.body()).value("sluice_service_units", "service", "orders")).contains(2.0);
        assertThat(fx.client().get("/services/orders").status()).as("the host serves on as before").isEqualTo(200);
    }
}
