package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.store.Store;
import org.sluice.runtime.store.StoredService;

/**
 * The host as a real process, killed with SIGKILL and started again on the same data folder:
 * every service keeps its state, running services run again, and an operation that was under way
 * lands in its failure state with the log saying it was interrupted.
 */
@Timeout(180)
class HostCrashRecoveryTest {
    @TempDir
    Path temp;

    private final List<HostProcess> hosts = new ArrayList<>();

    @AfterEach
    void killEverything() throws InterruptedException {
        for (HostProcess host : hosts) {
            host.close();
        }
    }

    private HostProcess host(String... extra) throws IOException, InterruptedException {
        HostProcess host = new HostProcess(temp.resolve("data"), temp.resolve("host-" + hosts.size() + ".err"), extra);
        hosts.add(host);
        return host;
    }

    @Test
    void afterKillNineEveryServiceIsWhereItWasAndInterruptedOperationsFail() throws Exception {
        Path outbox = temp.resolve("outbox");
        Path definitions = temp.resolve("services.json");
        Files.writeString(definitions, "{\"services\":[{\"name\":\"orders\",\"units\":2,\"memoryMb\":128,"
                + "\"destination\":\"dir:" + outbox + "\"}]}");
        Path more = temp.resolve("more.json");
        Files.writeString(more, "{\"services\":[{\"name\":\"billing\",\"memoryMb\":128,\"destination\":\"dir:" + outbox + "\"}]}");

        HostProcess first = host("--define", definitions.toString());
        first.await("orders: Create succeeded");
        assertThat(first.post("orders", "before the crash")).isEqualTo(200);
        first.killHard();

        // Started again: orders runs again. A Create is accepted and the host is killed while it runs.
        HostProcess second = host("--define", more.toString());
        second.await("billing: Create accepted");
        second.killHard();

        HostProcess third = host();
        third.await("orders: instance 0 ready");
        third.await("orders: instance 1 ready");
        assertThat(third.post("orders", "after the crash")).isEqualTo(200);
        assertThat(third.post("billing", "x")).as("billing never became Active").isEqualTo(409);

        try (Store store = Store.open(temp.resolve("data"))) {
            assertThat(store.loadServices()).extracting(StoredService::name, StoredService::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("billing", ServiceState.CREATE_FAILED),
                            org.assertj.core.groups.Tuple.tuple("orders", ServiceState.ACTIVE));
            List<OperationRecord> billing = store.operations(OperationQuery.all(100).forService("billing"));
            assertThat(billing).singleElement().satisfies(r -> {
                assertThat(r.operation()).isEqualTo(Operation.CREATE);
                assertThat(r.outcome()).isEqualTo(Outcome.INTERRUPTED);
                assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("interrupted").doesNotContain("Exception"));
            });
            assertThat(store.runningOperations()).isEmpty();
        }
        try (var files = Files.list(outbox)) {
            assertThat(files.filter(f -> f.toString().endsWith(".msg")).count()).isEqualTo(2);
        }
    }
}
