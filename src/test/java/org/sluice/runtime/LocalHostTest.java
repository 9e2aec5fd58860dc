package org.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.lifecycle.Outcome;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

@Timeout(60)
class LocalHostTest {
    @TempDir
    Path temp;

    @Test
    void aRefusedDefinitionDoesNotStopTheOthersFromBeingCreated() throws Exception {
        try (LocalHost local = LocalHost.open(temp.resolve("data"), 0)) {
            ServiceDefinition tooBig = new ServiceDefinition("too-big", 9, 1, 128, Validation.NONE, null, null, "dir:" + temp.resolve("a"));
            ServiceDefinition fine = new ServiceDefinition("fine", 1, 1, 128, Validation.NONE, null, null, "dir:" + temp.resolve("b"));
            LocalHost.Defined defined = local.define(List.of(tooBig, fine), "test");
            assertThat(defined.refused()).singleElement().satisfies(r -> assertThat(r).startsWith("too-big: ").contains("units"));
            assertThat(defined.accepted()).singleElement()
                    .satisfies(a -> assertThat(a.completion().get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.SUCCEEDED));
            assertThat(local.host().services()).extracting(ServiceView::name).containsExactly("fine");
            assertThat(local.define(List.of(fine), "test").accepted()).as("an existing service is left alone").isEmpty();
        }
    }
}
