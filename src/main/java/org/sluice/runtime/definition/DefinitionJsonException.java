package org.sluice.runtime.definition;

import java.io.IOException;

/** A definition file whose JSON does not have the expected shape; names the field at fault. */
public final class DefinitionJsonException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the field at fault, such as {@code memoryMb} or {@code services[1].name};
     *                empty when the whole document is at fault
     * @param problem what is wrong, as a sentence fragment following the field's name
     */
    public DefinitionJsonException(String field, String problem) {
        super(field.isEmpty() ? "the definition " + problem : field + " " + problem);
        this.field = field;
    }

    /** The field at fault; empty when the whole document is at fault. */
    public String field() {
        return field;
    }
}
