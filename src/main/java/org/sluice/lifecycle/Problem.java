package org.sluice.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an operation failed, in a form that does not depend on a language: a stable code such as
 * {@code instance-not-ready} and its arguments by name ({@code instance} 0, {@code seconds} 30).
 * The host still writes the reason in English beside it ({@link OperationRecord#error()}) for its
 * API clients, scripts and logs; a console says the problem in its own language from the code and
 * the arguments, and says the host's English for a code it does not know.
 *
 * @param code      the problem's code, lower case words joined by hyphens; never changes meaning
 * @param arguments its arguments by name, in the order given; each a text (a number as its digits)
 * @param inner     the problem inside this one, when one failure led to another (a new
 *                  configuration that did not start because an instance did not become ready)
 */
public record Problem(String code, Map<String, String> arguments, Optional<Problem> inner) {
    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(inner, "inner");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** The problem {@code code} with arguments given as name, value, name, value… */
    public static Problem of(String code, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Arguments come as name and value");
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put(String.valueOf(namesAndValues[i]), String.valueOf(namesAndValues[i + 1]));
        }
        return new Problem(code, arguments, Optional.empty());
    }

    /** This problem with {@code inner} inside it. */
    public Problem within(Problem inner) {
        return new Problem(code, arguments, Optional.of(inner));
    }
}
