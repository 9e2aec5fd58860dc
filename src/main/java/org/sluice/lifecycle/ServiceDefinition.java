package org.sluice.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an integration service is: its name, how many role instances it runs and how big each is,
 * how messages are validated and transformed, where they come from and where they go.
 *
 * <p>A plain value. {@link #problems()} says what is wrong with it in terms an operator can act
 * on; whether a transform file exists and compiles, or a folder can be written, is checked by the
 * runtime that applies the definition.
 *
 * @param name             the service's name: lower-case letters, digits and hyphens, 1 to 63
 *                         characters, starting and ending with a letter or digit (it appears in URLs)
 * @param units            role instances, 1 to 8
 * @param coresPerInstance processors each instance has, 1 to 64
 * @param memoryMb         each instance's memory budget in MiB, 64 to 65536
 * @param validate         how a received message is checked before it is transformed
 * @param transform        an XSLT file applied to each message, or {@code null} for none
 * @param source           a pull source such as {@code dir:/path/inbox}, or {@code null} for none
 * @param destination      where messages are delivered: {@code dir:/path/outbox}, an
 *                         {@code http://} or {@code https://} URL that receives a POST per message, or
 *                         {@code door:/path}, a path on the front door of the host that runs the
 *                         instance, whatever its port ({@link #FRONT_DOOR})
 */
public record ServiceDefinition(String name, int units, int coresPerInstance, int memoryMb,
                                Validation validate, String transform, String source, String destination) {

    public static final int MIN_UNITS = 1;
    public static final int MAX_UNITS = 8;

    public static final int DEFAULT_CORES = 1;
    public static final int DEFAULT_MEMORY_MB = 256;
    public static final int MIN_MEMORY_MB = 64;
    public static final int MAX_MEMORY_MB = 65536;
    public static final int MAX_CORES = 64;

    private static final String DIR = "dir:";
    /**
     * A destination on the host's own front door: {@code door:/demo/slow-partner} is delivered to
     * {@code http://127.0.0.1:PORT/demo/slow-partner}, with the port the door has when the instance
     * starts. The host resolves it; an instance never sees it.
     */
    public static final String FRONT_DOOR = "door:";
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("[A-Za-z]:[\\\\/]");
    private static final int QUOTED = 80;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern HTTP = Pattern.compile("https?://[^\\s/?#]+(:\\d+)?([/?#]\\S*)?", Pattern.CASE_INSENSITIVE);
    /** Pull-source schemes this build can run. Others (ftp, …) plug in beside {@code dir}. */
    private static final List<String> SOURCE_SCHEMES = List.of("dir");

    /**
     * The number of units {@code text} asks for, read as {@code sluice ctl scale} reads its UNITS
     * argument (an {@code int}: an optional sign, then decimal digits, leading zeros and other
     * scripts' digits included), with blanks around it left out as a shell leaves them out; empty
     * when it is no whole number ("1.0", "1e0", "0x1", ""). The range is the definition's to check.
     */
    public static java.util.OptionalInt readUnits(String text) {
        if (text == null) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException notAWholeNumber) {
            return java.util.OptionalInt.empty();
        }
    }

    /** How a received message is checked. */
    public enum Validation {
        /** Well-formed XML. */
        XML,
        /** Well-formed JSON. */
        JSON,
        /** No check. */
        NONE;

        /** The lower-case name used in definition files. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The validation named {@code name} in a definition file ({@code xml}, {@code json}, {@code none}). */
        public static Optional<Validation> fromFileName(String name) {
            for (Validation v : values()) {
                if (v.fileName().equals(name)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }

    /** One thing wrong with a definition: the field, and a sentence saying what. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    public ServiceDefinition {
        Objects.requireNonNull(validate, "validate");
    }

    /** Everything wrong with this definition; empty when it is valid. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (!isValidName(name)) {
            problems.add(new Problem("name", "must be 1 to 63 lower-case letters, digits or hyphens, "
                    + "starting and ending with a letter or digit"));
        }
        if (units < MIN_UNITS || units > MAX_UNITS) {
            problems.add(new Problem("units", "must be from " + MIN_UNITS + " to " + MAX_UNITS + ", was " + units));
        }
        if (coresPerInstance < 1 || coresPerInstance > MAX_CORES) {
            problems.add(new Problem("coresPerInstance", "must be from 1 to " + MAX_CORES + ", was " + coresPerInstance));
        }
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            problems.add(new Problem("memoryMb", "must be from " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB + ", was " + memoryMb));
        }
        if (transform != null && transform.isBlank()) {
            problems.add(new Problem("transform", "must name an XSLT file, or be left out"));
        }
        if (source != null) {
            int colon = source.indexOf(':');
            String scheme = colon > 0 ? source.substring(0, colon) : "";
            if (!SOURCE_SCHEMES.contains(scheme) || source.substring(colon + 1).isBlank()) {
                problems.add(new Problem("source", "must be dir:PATH, was " + quote(source)));
            } else if (isDirectory(source) && !isAbsolute(source.substring(DIR.length()))) {
                problems.add(new Problem("source", "must be an absolute path, such as dir:/srv/sluice/inbox, was "
                        + quote(source)));
            }
        }
        if (destination == null || destination.isBlank()) {
            problems.add(new Problem("destination", "is required: dir:PATH, door:/PATH or an http:// or https:// URL"));
        } else if (destination.startsWith(FRONT_DOOR)) {
            if (!destination.startsWith(FRONT_DOOR + "/") || destination.chars().anyMatch(Character::isWhitespace)) {
                problems.add(new Problem("destination", "must be a path on the front door that starts with /, such as "
                        + "door:/demo/slow-partner, was " + quote(destination)));
            }
        } else if (!isDirectory(destination) && !HTTP.matcher(destination).matches()) {
            problems.add(new Problem("destination", "must be dir:PATH, door:/PATH or an http:// or https:// URL, was "
                    + quote(destination)));
        } else if (isDirectory(destination) && !isAbsolute(destination.substring(DIR.length()))) {
            problems.add(new Problem("destination", "must be an absolute path, such as dir:/srv/sluice/outbox, was "
                    + quote(destination)));
        }
        return List.copyOf(problems);
    }

    /** Whether {@code name} has the form of a service's name (it says nothing of whether one exists). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public boolean isValid() {
        return problems().isEmpty();
    }

    /** The pull source, if any. */
    public Optional<String> sourceSpec() {
        return Optional.ofNullable(source);
    }

    /** The transform file, if any. */
    public Optional<String> transformFile() {
        return Optional.ofNullable(transform);
    }

    /** The same definition with another number of units (Scale). */
    public ServiceDefinition withUnits(int newUnits) {
        return new ServiceDefinition(name, newUnits, coresPerInstance, memoryMb, validate, transform, source, destination);
    }

    /** The same definition delivering to {@code newDestination} (a front-door destination resolved for an instance). */
    public ServiceDefinition withDestination(String newDestination) {
        return new ServiceDefinition(name, units, coresPerInstance, memoryMb, validate, transform, source, newDestination);
    }

    /** The same definition under another name (Restore into a new service). */
    public ServiceDefinition withName(String newName) {
        return new ServiceDefinition(newName, units, coresPerInstance, memoryMb, validate, transform, source, destination);
    }

    private static boolean isDirectory(String spec) {
        return spec.startsWith(DIR) && spec.length() > DIR.length() && !spec.substring(DIR.length()).isBlank();
    }

    /**
     * A folder is given whole: a relative one would be found from wherever the host happened to be
     * started. Absolute on Unix ({@code /srv/x}) or Windows ({@code C:\x}, {@code C:/x},
     * {@code \\server\share}); the domain reads no files, so this looks at the text only.
     */
    private static boolean isAbsolute(String path) {
        return path.startsWith("/") || path.startsWith("\\\\") || WINDOWS_ABSOLUTE.matcher(path).lookingAt();
    }

    /** What a problem quotes of a value: its start, so that a huge value does not make a huge message. */
    private static String quote(String value) {
        return "'" + (value.length() <= QUOTED ? value : value.substring(0, QUOTED) + "...") + "'";
    }
}
