package org.sluice.cli;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Why a {@code sluice ctl} command stops: the exit status, the lines to print on standard error,
 * and the API's own error document when the host sent one, which {@code --output json} prints.
 */
final class CtlFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient JsonNode document;

    CtlFailure(int status, String message) {
        this(status, message, null);
    }

    CtlFailure(int status, String message, JsonNode document) {
        super(message, null, false, false);
        this.status = status;
        this.document = document;
    }

    int status() {
        return status;
    }

    Optional<JsonNode> document() {
        return Optional.ofNullable(document);
    }
}
