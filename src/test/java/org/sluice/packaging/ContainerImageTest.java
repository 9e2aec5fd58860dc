package org.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sluice.cli.CommandLineShape;
import org.sluice.packaging.Dockerfile.Instruction;
import org.sluice.packaging.Dockerfile.Stage;

/**
 * What can be checked of packaging/container/Dockerfile without a container engine: pinned base
 * images, an unprivileged user, the runtime's modules against the package build's, and entrypoints
 * that name real subcommands and options of {@code sluice}.
 */
class ContainerImageTest {
    static final Path FILE = Path.of("packaging/container/Dockerfile");
    /** The targets the release workflow builds and packaging/kubernetes/ runs. */
    static final List<String> TARGETS = List.of("host", "instance");
    /** Where the host keeps its data in the image: a volume. */
    static final String HOST_DATA = "/var/lib/sluice";

    private static final Dockerfile DOCKERFILE = Dockerfile.read(FILE);
    private static final CommandLineShape SLUICE = CommandLineShape.sluice();

    @Test
    void everyBaseImageIsPinnedToAVersion() {
        for (Stage stage : DOCKERFILE.stages().values()) {
            if (DOCKERFILE.stages().containsKey(stage.from())) {
                continue; // one of this file's own stages
            }
            String image = DOCKERFILE.baseImage(stage);
            String afterRegistry = image.substring(image.lastIndexOf('/') + 1);
            assertThat(image.contains("@sha256:") || afterRegistry.contains(":"))
                    .as("%s (stage %s) names a tag or a digest", image, stage.name()).isTrue();
            assertThat(afterRegistry).as("stage %s", stage.name()).doesNotEndWith(":latest");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "instance"})
    void theImageRunsAsANumericUserThatIsNotRoot(String target) {
        Instruction user = DOCKERFILE.inherited(DOCKERFILE.stage(target), "USER").orElseThrow(
                () -> new AssertionError("target " + target + " sets no USER: it would run as root"));

        // Numeric, so that Kubernetes can check runAsNonRoot without reading /etc/passwd.
        assertThat(user.arguments()).matches("[0-9]+(:[0-9]+)?");
        assertThat(Integer.parseInt(user.arguments().split(":")[0])).isPositive();
    }

    @Test
    void theRuntimeHasThePackageBuildsModules() {
        Pom pom = Pom.read();
        Set<String> packageModules = modules(pom.property("package", "jpackage.modules").orElseThrow());
        Stage runtime = DOCKERFILE.stage("runtime");

        assertThat(modules(runtime.argDefault("JLINK_MODULES").orElseThrow())).isEqualTo(packageModules);
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .startsWith("jlink ").contains("--add-modules \"${JLINK_MODULES}\""));
        assertThat(packageModules).noneMatch(module -> module.startsWith("javafx."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "instance"})
    void theEntrypointRunsARealSubcommandWithRealOptions(String target) {
        Stage stage = DOCKERFILE.stage(target);
        List<String> entrypoint = DOCKERFILE.inherited(stage, "ENTRYPOINT").orElseThrow().execForm();
        List<String> cmd = stage.last("CMD").map(Instruction::execForm).orElse(List.of());

        int main = entrypoint.indexOf(CommandLineShape.mainClass());
        assertThat(main).as("%s names the main class %s", entrypoint, CommandLineShape.mainClass()).isPositive();
        assertThat(entrypoint.getFirst()).isEqualTo("/opt/sluice/runtime/bin/java");
        String subcommand = entrypoint.get(main + 1);
        assertThat(subcommand).isEqualTo(target);
        assertThat(SLUICE.subcommands()).contains(subcommand);
        List<String> arguments = new java.util.ArrayList<>(entrypoint.subList(main + 2, entrypoint.size()));
        arguments.addAll(cmd);
        assertThat(unknownOptions(SLUICE, subcommand, arguments, Set.of())).isEmpty();
    }

    @Test
    void theHostKeepsItsDataOnAVolumeAndExposesItsDefaultPorts() {
        Stage host = DOCKERFILE.stage("host");
        List<String> cmd = host.last("CMD").orElseThrow().execForm();

        assertThat(host.last("VOLUME").orElseThrow().execForm()).containsExactly(HOST_DATA);
        assertThat(cmd.get(cmd.indexOf("--data") + 1)).isEqualTo(HOST_DATA);
        Set<String> exposed = new TreeSet<>(Arrays.asList(host.last("EXPOSE").orElseThrow().arguments().split("\\s+")));
        assertThat(exposed).containsExactlyInAnyOrder(
                SLUICE.defaultValue("host", "--port").orElseThrow(),
                String.valueOf(HostDefaults.managementPort(SLUICE)));
        // The management API listens beyond loopback in a container, which the host allows only when told.
        assertThat(cmd).contains("--manage-exposed");
        assertThat(cmd.get(cmd.indexOf("--manage") + 1)).endsWith(":" + HostDefaults.managementPort(SLUICE));
    }

    /**
     * packaging/container/check-contents.sh reproduces the image by reading this file: the
     * runtime stage's JLINK_MODULES and its one jlink, the jars stage's COPYs and its one
     * {@code rm -f}, and each target's ENTRYPOINT. A change the script cannot read fails here, in
     * {@code mvn verify}, rather than when the script is next run.
     */
    @Test
    void theDockerfileKeepsTheShapeTheContentsCheckReads() {
        Stage runtime = DOCKERFILE.stage("runtime");
        assertThat(runtime.argDefault("JLINK_MODULES")).isPresent();
        assertThat(runtime.all("RUN")).filteredOn(run -> run.arguments().startsWith("jlink ")).singleElement()
                .satisfies(run -> assertThat(run.arguments()).contains("\"${JLINK_MODULES}\"").doesNotContain("'"));

        Stage jars = DOCKERFILE.stage("jars");
        assertThat(jars.all("COPY")).isNotEmpty().allSatisfy(copy -> assertThat(copy.arguments().split("\\s+")).hasSize(2));
        assertThat(jars.all("RUN")).singleElement().satisfies(run -> {
            assertThat(run.arguments()).startsWith("rm -f ");
            assertThat(run.arguments().substring("rm -f ".length()).strip().split("\\s+"))
                    .allSatisfy(path -> assertThat(path).startsWith("/opt/sluice/lib/"));
        });

        for (String target : TARGETS) {
            String entrypoint = DOCKERFILE.inherited(DOCKERFILE.stage(target), "ENTRYPOINT").orElseThrow().arguments();
            assertThat(entrypoint).as("%s's ENTRYPOINT: plain strings, no escapes", target).doesNotContain("\\");
        }
        assertThat(Path.of("packaging/container/check-contents.sh")).exists();
    }

    /**
     * The options in {@code arguments} that {@code subcommand} does not have, leaving out
     * {@code pending}: options that other work is adding and files here already use.
     */
    static Set<String> unknownOptions(CommandLineShape sluice, String subcommand, List<String> arguments, Set<String> pending) {
        Set<String> known = sluice.options(subcommand);
        Set<String> unknown = new TreeSet<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("-")) {
                continue;
            }
            String name = argument.split("=", 2)[0];
            if (known.contains(name)) {
                if (!argument.contains("=") && sluice.takesValue(subcommand, name)) {
                    i++;
                }
            } else if (pending.contains(name)) {
                i++; // every pending option takes a value
            } else {
                unknown.add(name);
            }
        }
        return unknown;
    }

    private static Set<String> modules(String list) {
        return new TreeSet<>(Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
