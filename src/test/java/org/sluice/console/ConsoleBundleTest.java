package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The console's bundle: English and Korean have the same keys, and code names only keys that exist. */
class ConsoleBundleTest {
    private static final String BUNDLE = "/org/sluice/console/messages";
    private static final Path CONSOLE_SOURCES = Path.of("src/main/java/org/sluice/console");
    private static final Pattern TILE_KEY = Pattern.compile("\"(tile\\.[a-z.]+)\"");

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = ConsoleBundleTest.class.getResourceAsStream(resource)) {
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

    @Test
    void englishAndKoreanHaveTheSameKeysAndNoEmptyText() {
        Properties english = load(BUNDLE + ".properties");
        Properties korean = load(BUNDLE + "_ko.properties");
        assertThat(keys(korean)).isEqualTo(keys(english));
        for (String key : keys(english)) {
            assertThat(english.getProperty(key)).as(key).isNotBlank();
            assertThat(korean.getProperty(key)).as(key).isNotBlank();
        }
    }

    @Test
    void everyTileKeyNamedInCodeExistsAndEveryTileKeyIsUsed() throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(CONSOLE_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = TILE_KEY.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    named.add(matcher.group(1));
                }
            }
        }
        Set<String> defined = keys(load(BUNDLE + ".properties")).stream()
                .filter(key -> key.startsWith("tile."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(named).isNotEmpty().isEqualTo(defined);
    }
}
