package org.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.sluice.throttle.InvalidSampleException;

/**
 * Every user-visible string is in English and Korean, and every key is used: a key named in code
 * must exist, a key that exists must be named somewhere.
 */
class LocalizationConsistencyTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String CLI_BUNDLE = "/org/sluice/cli/messages";

    /** Keys read by the command line parser itself, by naming convention rather than from our code. */
    private static final Pattern PARSER_KEYS =
            Pattern.compile("(usage\\..+|sluice(\\.[a-z]+)*\\.usage\\..+|mixinStandardHelpOptions\\..+|helpCommand\\..+)");
    private static final Pattern KEY_IN_CODE =
            Pattern.compile("(?:Messages\\.get\\(|descriptionKey\\s*=\\s*)\"([A-Za-z0-9_.]+)\"");

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = LocalizationConsistencyTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Set<String> keys(Properties properties) {
        return properties.stringPropertyNames().stream().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void englishAndKoreanHaveTheSameKeysAndNoEmptyText() {
        Properties english = load(CLI_BUNDLE + ".properties");
        Properties korean = load(CLI_BUNDLE + "_ko.properties");
        assertThat(keys(korean)).isEqualTo(keys(english));
        for (String key : keys(korean)) {
            assertThat(korean.getProperty(key)).as(key).isNotBlank();
        }
    }

    @Test
    void koreanTextIsActuallyKorean() {
        Properties korean = load(CLI_BUNDLE + "_ko.properties");
        long hangul = keys(korean).stream()
                .filter(key -> korean.getProperty(key).codePoints()
                        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL))
                .count();
        assertThat(hangul).as("entries written in Hangul")
                .isGreaterThanOrEqualTo(keys(korean).size() - 3L);
    }

    @Test
    void everyKeyNamedInCodeExists() throws IOException {
        Set<String> defined = keys(load(CLI_BUNDLE + ".properties"));
        assertThat(keysNamedInCode()).isNotEmpty().allSatisfy(key -> assertThat(defined).as("defined keys").contains(key));
    }

    @Test
    void everyDefinedKeyIsUsed() throws IOException {
        Set<String> named = keysNamedInCode();
        Set<String> problems = Stream.of(InvalidSampleException.Problem.values())
                .map(p -> "replay.error." + p.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Set<String> unused = new TreeSet<>();
        for (String key : keys(load(CLI_BUNDLE + ".properties"))) {
            boolean used = named.contains(key) || problems.contains(key) || PARSER_KEYS.matcher(key).matches();
            if (!used) {
                unused.add(key);
            }
        }
        assertThat(unused).as("keys no code reads").isEmpty();
        assertThat(keys(load(CLI_BUNDLE + ".properties"))).as("a message for every sample problem").containsAll(problems);
    }

    private static Set<String> keysNamedInCode() throws IOException {
        Set<String> keys = new HashSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = KEY_IN_CODE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    keys.add(matcher.group(1));
                }
            }
        }
        return keys;
    }
}
