package org.sluice.fleet;

import java.util.List;
import java.util.stream.Collectors;

import org.sluice.lifecycle.ServiceDefinition;

/** A service definition with problems was refused; nothing changed. */
public final class InvalidDefinitionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<ServiceDefinition.Problem> problems;

    public InvalidDefinitionException(List<ServiceDefinition.Problem> problems) {
        super(problems.stream().map(ServiceDefinition.Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ServiceDefinition.Problem> problems() {
        return problems;
    }
}
