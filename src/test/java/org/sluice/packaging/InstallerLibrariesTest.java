package org.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.sluice.packaging.Pom.Dependency;
import org.sluice.packaging.Pom.Execution;

/**
 * The desktop installers do not carry the Kubernetes client (docs/decisions/0024-kubernetes-packaging.md):
 * it is a {@code provided} dependency, which the jpackage input (runtime scope) leaves out together with
 * everything only it pulls in, while {@code target/libs}, what the host's container image takes, gets it.
 * Read from pom.xml, since the installers themselves are built only with {@code -Ppackage};
 * {@code packaging/check-installer-input.sh} checks the built input in that build as well.
 */
class InstallerLibrariesTest {
    private static final String DEPENDENCY_PLUGIN = "maven-dependency-plugin";
    private static final Pom POM = Pom.read();

    @Test
    void theKubernetesClientIsProvidedSoThatNoRuntimeCopyTakesIt() {
        List<Dependency> client = POM.dependencies().stream()
                .filter(d -> d.groupId().equals("io.fabric8") && !d.scope().equals("test"))
                .toList();

        assertThat(client).extracting(Dependency::artifactId)
                .contains("kubernetes-client", "kubernetes-httpclient-jdk");
        assertThat(client).allSatisfy(d -> assertThat(d.scope())
                .as("scope of %s:%s", d.groupId(), d.artifactId()).isEqualTo("provided"));
    }

    @Test
    void theJpackageInputTakesTheRuntimeScopeAlone() {
        String input = POM.resolve("package", "${jpackage.input}");
        List<Execution> copies = POM.executions("package", DEPENDENCY_PLUGIN).stream()
                .filter(e -> e.goals().contains("copy-dependencies"))
                .filter(e -> e.parameter("outputDirectory").map(d -> POM.resolve("package", d)).orElse("").equals(input))
                .toList();

        assertThat(copies).extracting(Execution::id).containsExactly("jpackage-input-libs");
        // runtime = compile + runtime; a provided dependency and what it alone brings stay out.
        assertThat(copies.getFirst().parameter("includeScope")).contains("runtime");
        assertThat(copies.getFirst().parameter("includeGroupIds")).isEmpty();
        assertThat(copies.getFirst().parameter("includeArtifactIds")).isEmpty();
    }

    @Test
    void targetLibsHoldsTheRuntimeAndTheProvidedLibraries() {
        Set<String> scopes = POM.executions(DEPENDENCY_PLUGIN).stream()
                .filter(e -> e.goals().contains("copy-dependencies"))
                .filter(e -> e.parameter("outputDirectory").map(d -> POM.resolve("package", d)).orElse("").equals("target/libs"))
                .map(e -> e.parameter("includeScope").orElse("test"))
                .collect(Collectors.toSet());

        assertThat(scopes).containsExactlyInAnyOrder("runtime", "provided");
    }
}
