package org.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * The package rules of Sluice. Data flows one way (runtime, fleet, view models, views) and the
 * domain packages stay pure. Rules about packages that do not exist yet pass while they are empty
 * and bind as soon as the first class arrives.
 */
@AnalyzeClasses(packages = "org.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String LIFECYCLE = "org.sluice.lifecycle..";
    private static final String THROTTLE = "org.sluice.throttle..";
    private static final String RUNTIME = "org.sluice.runtime..";
    private static final String FLEET = "org.sluice.fleet..";
    private static final String CONSOLE = "org.sluice.console..";
    private static final String VIEW_MODEL = "org.sluice.console.viewmodel..";
    private static final String VIEW = "org.sluice.console.view..";
    private static final String CONTROLS = "org.sluice.console.controls..";
    private static final String CLI = "org.sluice.cli..";

    @ArchTest
    static final ArchRule everyClassLivesInAKnownPackage = classes()
            .should().resideInAnyPackage(LIFECYCLE, THROTTLE, RUNTIME, FLEET, CONSOLE, CLI);

    @ArchTest
    static final ArchRule layersDependOneWay = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("Domain").definedBy(LIFECYCLE, THROTTLE)
            .layer("Runtime").definedBy(RUNTIME)
            .layer("Fleet").definedBy(FLEET)
            .layer("Console").definedBy(CONSOLE)
            .layer("Cli").definedBy(CLI)
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("Console").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Fleet").mayOnlyBeAccessedByLayers("Console", "Cli")
            .whereLayer("Runtime").mayOnlyBeAccessedByLayers("Fleet", "Cli");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = SlicesRuleDefinition.slices()
            .matching("org.sluice.(**)")
            .should().beFreeOfCycles()
            .because("a package that both uses and is used by another cannot be read, tested or replaced on its own");

    private static final String KUBERNETES = "org.sluice.runtime.kubernetes..";
    private static final String KUBERNETES_WIRING = "org.sluice.cli.KubernetesEngine";

    @ArchTest
    static final ArchRule onlyTheKubernetesEngineKnowsTheKubernetesClient = noClasses()
            .that().resideOutsideOfPackage(KUBERNETES)
            .and().doNotHaveFullyQualifiedName(KUBERNETES_WIRING)
            .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
            .because("the desktop installers leave the Kubernetes client out: a host on the local engine must never "
                    + "touch one of its classes, so only the engine and the one class that wires it may know them");

    @ArchTest
    static final ArchRule theKubernetesEngineIsWiredInOnePlace = noClasses()
            .that().resideOutsideOfPackage(KUBERNETES)
            .and().doNotHaveFullyQualifiedName(KUBERNETES_WIRING)
            .should().dependOnClassesThat().resideInAPackage(KUBERNETES)
            .because("loading the engine loads the Kubernetes client; the host command reaches it through one class, "
                    + "and only when --engine kubernetes is chosen");

    @ArchTest
    static final ArchRule onlyTheFrontDoorAndTheInstanceEndpointKnowNetty = noClasses()
            .that().haveNameNotMatching("org\\.sluice\\.runtime\\.(FrontDoor|DoorConnection|InstanceLinks|DoorTransport)(\\$.*)?")
            .and().haveNameNotMatching("org\\.sluice\\.runtime\\.instance\\.(MessageEndpoint|InstanceConnection)(\\$.*)?")
            .and().haveNameNotMatching("org\\.sluice\\.runtime\\.http\\.(HttpTurns|ServerCodec|LoopDeadline)(\\$.*)?")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the front door (decision 0034; DoorTransport picks its epoll or NIO loops) and a role instance's "
                    + "endpoint (decision 0057) are Sluice's event-loop servers, and share one shape of connection (HttpTurns, "
                    + "with its codec ServerCodec and its deadlines in LoopDeadline); "
                    + "the handlers that decide the answers and the rest of the host keep off Netty");

    @ArchTest
    static final ArchRule theIncidentBundleIsGatheredThroughTheFleetAlone = noClasses()
            .that().resideInAPackage("org.sluice.fleet.bundle..")
            .should().dependOnClassesThat().resideInAnyPackage(RUNTIME, "org.sluice.fleet.local..", "org.sluice.fleet.remote..")
            .because("a bundle of a remote host's service must hold what one of the own host's holds, so it reads only what the Fleet answers");

    @ArchTest
    static final ArchRule theFleetInterfaceKnowsNoRuntime = noClasses()
            .that().resideInAPackage("org.sluice.fleet")
            .should().dependOnClassesThat().resideInAPackage(RUNTIME)
            .because("the console reaches a local host and a remote one through the same interface; "
                    + "only its implementations (fleet.local) may know the runtime");

    @ArchTest
    static final ArchRule domainIsPure = classes()
            .that().resideInAnyPackage(LIFECYCLE, THROTTLE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java.lang..", "java.util..", "java.time..", "java.text..", "java.math..",
                    "java.io..", "java.nio.charset..", LIFECYCLE, THROTTLE)
            .because("lifecycle and throttle are pure domain: no files, sockets, databases or JavaFX");

    @ArchTest
    static final ArchRule domainReadsNoFiles = noClasses()
            .that().resideInAnyPackage(LIFECYCLE, THROTTLE)
            .should().dependOnClassesThat().haveNameMatching("java\\.io\\.(File|RandomAccessFile).*")
            .because("the domain reads only the chart bundled on the class path");

    @ArchTest
    static final ArchRule lifecycleAndThrottleAreIndependent = noClasses()
            .that().resideInAPackage(LIFECYCLE)
            .should().dependOnClassesThat().resideInAPackage(THROTTLE);

    @ArchTest
    static final ArchRule onlyTheConsoleUsesJavaFx = noClasses()
            .that().resideOutsideOfPackage(CONSOLE)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..", "org.kordamp..")
            .because("the runtime, the fleet and the command line run without a display");

    @ArchTest
    static final ArchRule viewModelsNeverTouchTheSceneGraph = noClasses()
            .that().resideInAPackage(VIEW_MODEL)
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "org.controlsfx..", "atlantafx..")
            .allowEmptyShould(true)
            .because("view models use javafx.beans and javafx.collections only, and are tested without the toolkit");

    @ArchTest
    static final ArchRule controlsDoNotReachBackIntoTheViews = noClasses()
            .that().resideInAPackage(CONTROLS)
            .should().dependOnClassesThat().resideInAPackage(VIEW)
            .because("views are assembled from controls; a control that used a view would tie both packages into one cycle");

    @ArchTest
    static final ArchRule onlyTheCommandLinePrintsToTheTerminal = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("errors are shown to the user or logged through SLF4J, never printed");

    @ArchTest
    static final ArchRule noStackTracesPrinted = noClasses()
            .should().callMethod(Throwable.class, "printStackTrace");

    @ArchTest
    static final ArchRule noJavaUtilLogging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}
