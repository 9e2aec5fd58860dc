package org.sluice.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Dockerfile read the way the tests need it: its global build arguments, and per stage the image
 * it starts from and its instructions, continuation lines joined and comments dropped. Not a full
 * parser: no heredocs, no escape directive.
 */
final class Dockerfile {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One instruction: its keyword in capitals and the rest of its line. */
    record Instruction(String keyword, String arguments) {
        /** The arguments of an exec-form instruction (ENTRYPOINT, CMD) as a list. */
        List<String> execForm() {
            try {
                return List.of(JSON.readValue(arguments, String[].class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(keyword + " is not in exec form (a JSON array): " + arguments, e);
            }
        }
    }

    /** A stage: its name (empty for an unnamed one), the image it starts from as written, and its instructions. */
    record Stage(String name, String from, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
        }

        /** The default of {@code ARG name=default} in this stage. */
        Optional<String> argDefault(String name) {
            return defaultOf(all("ARG"), name);
        }
    }

    private final Map<String, String> globalArgs;
    private final Map<String, Stage> stages;

    private Dockerfile(Map<String, String> globalArgs, Map<String, Stage> stages) {
        this.globalArgs = globalArgs;
        this.stages = stages;
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            joined.add(current.toString().strip());
            current.setLength(0);
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        Map<String, Stage> stages = new LinkedHashMap<>();
        Stage stage = null;
        int unnamed = 0;
        for (String line : joined) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                String[] from = instruction.arguments().split("\\s+");
                String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "#" + unnamed++;
                stage = new Stage(name, from[0], new ArrayList<>());
                stages.put(name, stage);
            } else if (stage == null) {
                if (instruction.keyword().equals("ARG")) {
                    String[] nameAndDefault = instruction.arguments().split("=", 2);
                    globalArgs.put(nameAndDefault[0], nameAndDefault.length > 1 ? nameAndDefault[1] : null);
                }
            } else {
                stage.instructions().add(instruction);
            }
        }
        return new Dockerfile(globalArgs, stages);
    }

    Map<String, Stage> stages() {
        return stages;
    }

    Stage stage(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new IllegalArgumentException("No stage " + name + "; there are " + stages.keySet());
        }
        return stage;
    }

    /** The image a stage starts from, with the global build arguments' defaults filled in. */
    String baseImage(Stage stage) {
        Matcher matcher = VARIABLE.matcher(stage.from());
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = globalArgs.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(stage.from() + " names " + matcher.group(1) + ", which has no default before the first FROM");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The last value of {@code keyword} along a stage and the stages it starts from (USER, WORKDIR
     * and ENTRYPOINT are inherited).
     */
    Optional<Instruction> inherited(Stage stage, String keyword) {
        for (Stage at = stage; at != null; at = stages.get(at.from())) {
            Optional<Instruction> found = at.last(keyword);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> defaultOf(List<Instruction> args, String name) {
        for (Instruction arg : args) {
            String[] nameAndDefault = arg.arguments().split("=", 2);
            if (nameAndDefault[0].equals(name) && nameAndDefault.length > 1) {
                return Optional.of(nameAndDefault[1]);
            }
        }
        return Optional.empty();
    }
}
