package org.sluice.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema's history: one SQL script per version, applied in order. Version {@code n} is the
 * class-path resource {@code migrations/V<n>__<what>.sql} beside this class, listed in
 * {@link #SCRIPTS}. A class-path folder cannot be listed reliably inside a jar, so the list is
 * code; a test checks it against the files.
 */
final class Migrations {
    /** The scripts, version 1 first. Append a new version here; never edit or reorder a shipped one. */
    static final List<String> SCRIPTS = List.of("V1__initial.sql", "V2__issuer_keys.sql", "V3__supervision_and_episode_history.sql",
            "V4__episode_history_bound.sql", "V5__restart_cause.sql", "V6__operation_problem.sql");

    private Migrations() {
    }

    /** The highest schema version this build knows. */
    static int latest() {
        return SCRIPTS.size();
    }

    /** The statements of version {@code version} (from 1), in order. */
    static List<String> statements(int version) {
        String script = SCRIPTS.get(version - 1);
        return split(read("migrations/" + script));
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The migration " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the migration " + resource, e);
        }
    }

    /**
     * Splits a script into statements at each {@code ;} that ends a line, after dropping
     * {@code --} comment lines. Scripts are written to suit this: no triggers, no {@code ;} or
     * {@code --} inside a literal at the end of a line.
     */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("A migration ends without a ';': " + current.toString().strip());
        }
        return statements;
    }
}
