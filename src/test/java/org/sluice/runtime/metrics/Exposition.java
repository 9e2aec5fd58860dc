package org.sluice.runtime.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page in the Prometheus text format, read the way a scraper reads it: series with their labels
 * and values, and the families declared by {@code # TYPE} lines.
 */
public final class Exposition {
    private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One sample line. */
    public record Series(String name, Map<String, String> labels, double value) {
    }

    private final List<Series> series = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    public Exposition(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SERIES.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    public List<Series> series() {
        return series;
    }

    /** Names of every series and every family on the page. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(types.keySet());
        series.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The family's type, as its {@code # TYPE} line says. */
    public Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** The value of the one series called {@code name} that has every label given (name, value, name, value …). */
    public Optional<Double> value(String name, String... labels) {
        List<Series> found = matching(name, labels);
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " series match " + name + " " + List.of(labels) + ": " + found);
        }
        return found.stream().findFirst().map(Series::value);
    }

    /** The series called {@code name} that have every label given. */
    public List<Series> matching(String name, String... labels) {
        List<Series> found = new ArrayList<>();
        for (Series s : series) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }
}
