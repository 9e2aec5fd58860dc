package org.sluice.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.InstanceStatus;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.HostListener;
import org.sluice.runtime.InstanceEvent;
import org.sluice.runtime.InstanceView;
import org.sluice.runtime.ServiceView;
import org.sluice.runtime.instance.LatencyHistogram;
import org.sluice.runtime.metrics.Exposition;
import org.sluice.throttle.Cause;
import org.sluice.throttle.InstanceSample;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The alert rules and the Grafana dashboard under {@code packaging/monitoring/} against what a
 * host really serves on {@code /metrics}: every metric they use must be on the page, or an alert
 * would never fire and a panel would stay empty without anyone noticing.
 */
@Timeout(60)
class MonitoringFilesTest {
    private static final Path MONITORING = Path.of("packaging", "monitoring");
    private static final Path RULES = MONITORING.resolve("sluice-alerts.yml");
    private static final Path DASHBOARD = MONITORING.resolve("sluice-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bsluice_[a-z0-9_]+");
    private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$", Pattern.MULTILINE);
    private static final Pattern ALERT = Pattern.compile("^\\s*- alert:\\s*(\\S+)", Pattern.MULTILINE);

    @TempDir
    Path data;

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsOnTheHostsPage() throws Exception {
        Set<String> served = servedNames();
        Set<String> used = new TreeSet<>();
        used.addAll(metricsIn(String.join("\n", ruleExpressions())));
        used.addAll(metricsIn(String.join("\n", dashboardExpressions())));

        assertThat(used).as("metrics the files use").isNotEmpty();
        assertThat(served).as("what the host serves").containsAll(used);
    }

    @Test
    void theRulesAlertOnWhatTheIssueAsksFor() throws Exception {
        String rules = Files.readString(RULES);
        List<String> alerts = new ArrayList<>();
        Matcher m = ALERT.matcher(rules);
        while (m.find()) {
            alerts.add(m.group(1));
        }
        assertThat(alerts).containsExactlyInAnyOrder("SluiceInstanceThrottledTooLong", "SluiceInstanceThrottleFlapping",
                "SluiceServiceFailed", "SluiceInstanceRestartingRepeatedly", "SluiceInstanceNotBackAfterHostRestart",
                "SluiceHostUnreachable");
        List<String> expressions = ruleExpressions();
        assertThat(expressions).hasSize(alerts.size());
        assertThat(expressions).anySatisfy(e -> assertThat(e).contains("up{job=\"sluice\"}"));
        assertThat(expressions).anySatisfy(e -> assertThat(e).contains("Failed"));
        assertThat(expressions).anySatisfy(e -> assertThat(e).contains("sluice_instance_host_restart_tries_total"));
    }

    @Test
    void theDashboardIsGrafanaJsonWithAPanelForEachFigureOfTheConsolesDashboard() throws Exception {
        JsonNode dashboard = ApiJson.MAPPER.readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(6);
        Set<String> used = metricsIn(String.join("\n", dashboardExpressions()));
        assertThat(used).contains("sluice_instance_memory_ratio", "sluice_instance_memory_high_ratio",
                "sluice_instance_messages_in_process", "sluice_instance_messages_in_process_high",
                "sluice_instance_throttled", "sluice_service_state", "sluice_instance_restarts_total",
                "sluice_instance_host_restart_tries_total");
    }

    private static List<String> ruleExpressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        Matcher m = EXPR.matcher(Files.readString(RULES));
        while (m.find()) {
            expressions.add(m.group(1));
        }
        return expressions;
    }

    private static List<String> dashboardExpressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        ApiJson.MAPPER.readTree(Files.readString(DASHBOARD)).findValues("expr").forEach(e -> expressions.add(e.asText()));
        ApiJson.MAPPER.readTree(Files.readString(DASHBOARD)).findValues("query").forEach(e -> {
            if (e.isTextual()) {
                expressions.add(e.asText());
            }
        });
        return expressions;
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /**
     * Brings a host to where every metric has a series (an operation ended, an instance throttled,
     * restarted and measured with latencies) and scrapes it over HTTPS.
     */
    private Set<String> servedNames() throws Exception {
        try (ManagementFixture fx = new ManagementFixture(data)) {
            fx.created("orders");
            FakeLauncher.Fake first = fx.launcher.alive("orders").get(0);
            CountDownLatch restarted = new CountDownLatch(1);
            CountDownLatch measured = new CountDownLatch(1);
            fx.host.addListener(new HostListener() {
                @Override
                public void serviceChanged(ServiceView service) {
                }

                @Override
                public void serviceRemoved(String name) {
                }

                @Override
                public void operationProgress(OperationRecord record) {
                }

                @Override
                public void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
                    if (event instanceof InstanceEvent.Restarting) {
                        restarted.countDown();
                    }
                    if (event instanceof InstanceEvent.Throttle && instance.throttle() == ThrottleState.THROTTLED) {
                        measured.countDown();
                    }
                }
            });
            fx.launcher.alive("orders").get(1).crash(1);
            assertThat(restarted.await(10, TimeUnit.SECONDS)).as("the crashed instance is restarted").isTrue();
            long now = System.currentTimeMillis();
            first.emit(new InstanceEvent.Sampled(new InstanceSample(now, 75, 3, 2, 10, 8, 1, 1, 4, 30),
                    Optional.of(new LatencyHistogram(List.of(5L, 50L), List.of(5L, 3L, 1L), 300))));
            first.emit(new InstanceEvent.Throttle(new ThrottleTransition(now, ThrottleState.NORMAL, ThrottleState.THROTTLED,
                    Set.of(Cause.MEMORY), Optional.empty())));
            assertThat(measured.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(fx.host.service("orders").orElseThrow().instances().get(0).status()).isEqualTo(InstanceStatus.RUNNING);

            HttpClient http = HttpClient.newBuilder()
                    .sslContext(PinnedCertificate.pinned(fx.certificate.fingerprint()).context()).build();
            try (http) {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(fx.base() + "/metrics"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                ("owner:" + ManagementFixture.KEY).getBytes(StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                return new Exposition(page.body()).names();
            }
        }
    }
}
