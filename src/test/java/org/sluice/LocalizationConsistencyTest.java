package org.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;
import org.sluice.throttle.InvalidSampleException;

/**
 * Every user-visible string is in English and Korean, and every key is used: a key named in code
 * must exist, a key that exists must be named somewhere (literally, or by one of the documented
 * patterns built from an enum).
 */
class LocalizationConsistencyTest {
    private static final Path SOURCES = Path.of("src/main/java");

    /** The bundles, where their code lives, and how the code names keys. */
    enum Bundle {
        CLI("/org/sluice/cli/messages", "org/sluice/cli",
                Pattern.compile("(?:Messages\\.get\\(|descriptionKey\\s*=\\s*)\"([A-Za-z0-9_.]+)\""),
                cliDynamicKeys()),
        CONSOLE("/org/sluice/console/messages", "org/sluice/console",
                Pattern.compile("(?:i18n\\.get\\(|KEY\\s*=\\s*)\"([A-Za-z0-9_.]*[A-Za-z0-9_])\""),
                consoleDynamicKeys());

        final String resource;
        final String sources;
        final Pattern keyInCode;
        final Predicate<String> dynamic;

        Bundle(String resource, String sources, Pattern keyInCode, Predicate<String> dynamic) {
            this.resource = resource;
            this.sources = sources;
            this.keyInCode = keyInCode;
            this.dynamic = dynamic;
        }
    }

    /** Keys the command line parser reads by convention, and one message per sample problem. */
    private static Predicate<String> cliDynamicKeys() {
        Pattern parser = Pattern.compile("(usage\\..+|sluice(\\.[a-z][a-z-]*)*\\.usage\\..+|mixinStandardHelpOptions\\..+|helpCommand\\..+)");
        Set<String> problems = Stream.of(InvalidSampleException.Problem.values())
                .map(p -> "replay.error." + p.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return key -> parser.matcher(key).matches() || problems.contains(key);
    }

    /** Labels built from enums: state.X, operation.X, verb.X, action.X.tooltip, bulk.run.X, outcome.X, health.X, ... */
    private static Predicate<String> consoleDynamicKeys() {
        Set<String> keys = new HashSet<>();
        for (ServiceState state : ServiceState.values()) {
            keys.add("state." + state.chartName());
        }
        for (Operation operation : Operation.values()) {
            keys.add("operation." + operation.chartName());
            keys.add("verb." + operation.chartName());
            keys.add("action." + operation.chartName() + ".tooltip");
            keys.add("bulk.run." + operation.chartName());
        }
        // A definition problem names the field it is about: one of the definition's components.
        for (java.lang.reflect.RecordComponent field : org.sluice.lifecycle.ServiceDefinition.class.getRecordComponents()) {
            keys.add("definition.problem." + field.getName());
        }
        for (org.sluice.lifecycle.ServiceDefinition.Validation validation : org.sluice.lifecycle.ServiceDefinition.Validation.values()) {
            keys.add("definition.validate." + validation.fileName());
        }
        for (org.sluice.console.viewmodel.StateFilter filter : org.sluice.console.viewmodel.StateFilter.values()) {
            keys.add("filter." + filter.name());
        }
        for (org.sluice.lifecycle.InstanceStatus status : org.sluice.lifecycle.InstanceStatus.values()) {
            keys.add("instance." + status.name());
        }
        for (org.sluice.console.viewmodel.ServiceHealth health : org.sluice.console.viewmodel.ServiceHealth.values()) {
            keys.add("health." + health.name());
        }
        for (org.sluice.throttle.ThrottleState state : org.sluice.throttle.ThrottleState.values()) {
            keys.add("throttle." + state.name());
        }
        for (org.sluice.throttle.Cause cause : org.sluice.throttle.Cause.values()) {
            keys.add("cause." + cause.name());
        }
        for (long window : org.sluice.console.viewmodel.DashboardViewModel.WINDOWS) {
            keys.add("dashboard.window." + window / 60_000);
        }
        for (org.sluice.lifecycle.Outcome outcome : org.sluice.lifecycle.Outcome.values()) {
            keys.add("outcome." + outcome.name());
        }
        // A failure's problem, by its code (and what an instance was asked to confirm).
        keys.addAll(org.sluice.console.viewmodel.ProblemWords.keys());
        for (org.sluice.console.viewmodel.IncidentBundleViewModel.Span span : org.sluice.console.viewmodel.IncidentBundleViewModel.Span.values()) {
            keys.add("bundle.span." + span.name());
        }
        return keys::contains;
    }

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = LocalizationConsistencyTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Set<String> keys(Properties properties) {
        return properties.stringPropertyNames().stream().collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest
    @EnumSource(Bundle.class)
    void englishAndKoreanHaveTheSameKeysAndNoEmptyText(Bundle bundle) {
        Properties english = load(bundle.resource + ".properties");
        Properties korean = load(bundle.resource + "_ko.properties");
        assertThat(keys(korean)).isEqualTo(keys(english));
        for (String key : keys(korean)) {
            assertThat(korean.getProperty(key)).as(key).isNotBlank();
        }
    }

    @ParameterizedTest
    @EnumSource(Bundle.class)
    void koreanTextIsActuallyKorean(Bundle bundle) {
        Properties korean = load(bundle.resource + "_ko.properties");
        Set<String> notHangul = keys(korean).stream()
                .filter(key -> korean.getProperty(key).codePoints()
                        .noneMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL))
                .collect(Collectors.toCollection(TreeSet::new));
        // A few entries are the same in both languages: headings made of symbols, a line that is only a
        // name, or figures alone (the grid's badge in a narrow State column, "1/2").
        assertThat(notHangul).as("entries not written in Hangul").hasSizeLessThanOrEqualTo(6);
    }

    @ParameterizedTest
    @EnumSource(Bundle.class)
    void everyKeyNamedInCodeExists(Bundle bundle) throws IOException {
        Set<String> defined = keys(load(bundle.resource + ".properties"));
        Set<String> named = keysNamedInCode(bundle);
        assertThat(named).isNotEmpty();
        assertThat(named).allSatisfy(key -> assertThat(defined).as("defined keys of " + bundle).contains(key));
    }

    @ParameterizedTest
    @EnumSource(Bundle.class)
    void everyDefinedKeyIsUsed(Bundle bundle) throws IOException {
        String code = sourceText(bundle);
        Set<String> unused = keys(load(bundle.resource + ".properties")).stream()
                .filter(key -> !code.contains("\"" + key + "\"") && !bundle.dynamic.test(key))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unused).as("keys no code reads").isEmpty();
    }

    /**
     * An apostrophe shows as written: text formatted with {@link java.text.MessageFormat} (every
     * message of the command line's, and a console message with arguments) doubles it, and a
     * console message without arguments, shown as it is, does not.
     */
    @ParameterizedTest
    @EnumSource(Bundle.class)
    void apostrophesShowAsWritten(Bundle bundle) throws IOException {
        Pattern lone = Pattern.compile("(?<!')'(?!')");
        // The command line parser reads its usage texts and option descriptions as they are.
        Set<String> asWritten = bundle == Bundle.CLI ? keysNamedInCode(bundle, Pattern.compile("descriptionKey\\s*=\\s*\"([A-Za-z0-9_.]+)\"")) : null;
        Pattern parser = Pattern.compile("(usage\\..+|sluice(\\.[a-z][a-z-]*)*\\.usage\\..+|mixinStandardHelpOptions\\..+|helpCommand\\..+)");
        Set<String> wrong = new TreeSet<>();
        for (String language : new String[] {"", "_ko"}) {
            Properties texts = load(bundle.resource + language + ".properties");
            for (String key : keys(texts)) {
                String text = texts.getProperty(key);
                boolean throughMessageFormat = bundle == Bundle.CLI
                        ? !asWritten.contains(key) && !parser.matcher(key).matches()
                        : Pattern.compile("\\{\\d").matcher(text).find();
                if (throughMessageFormat ? lone.matcher(text).find() : text.contains("''")) {
                    wrong.add(key + language);
                }
            }
        }
        assertThat(wrong).as("texts whose apostrophes show wrongly: a lone ' in a formatted text is dropped, "
                + "'' in a text shown as written shows twice").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Bundle.class, names = "CONSOLE")
    void everyStateAndOperationHasALabel(Bundle bundle) {
        Set<String> defined = keys(load(bundle.resource + ".properties"));
        for (ServiceState state : ServiceState.values()) {
            assertThat(defined).contains("state." + state.chartName());
        }
        for (Operation operation : Operation.values()) {
            assertThat(defined).contains("operation." + operation.chartName());
            if (operation.byHost()) {
                // The host's own entries of the log are never offered as actions: they have a name, no verb.
                assertThat(defined).doesNotContain("verb." + operation.chartName(), "action." + operation.chartName() + ".tooltip");
            } else {
                assertThat(defined).contains("verb." + operation.chartName(), "action." + operation.chartName() + ".tooltip");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Bundle.class, names = "CLI")
    void everySampleProblemHasAMessage(Bundle bundle) {
        Set<String> defined = keys(load(bundle.resource + ".properties"));
        for (InvalidSampleException.Problem problem : InvalidSampleException.Problem.values()) {
            assertThat(defined).contains("replay.error." + problem.name().toLowerCase(Locale.ROOT));
        }
    }

    /** All the bundle's code as one text: a key written anywhere in it as a string literal counts as used. */
    private static String sourceText(Bundle bundle) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(bundle.sources))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return text.toString();
    }

    private static Set<String> keysNamedInCode(Bundle bundle) throws IOException {
        return keysNamedInCode(bundle, bundle.keyInCode);
    }

    private static Set<String> keysNamedInCode(Bundle bundle, Pattern keyInCode) throws IOException {
        Set<String> keys = new HashSet<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(bundle.sources))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = keyInCode.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    keys.add(matcher.group(1));
                }
            }
        }
        return keys;
    }
}
