package org.sluice.fleet.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;

/** The OpenAPI 3 document of the management API, bundled beside this class as {@code openapi.json}. */
final class OpenApiDocument {
    private static final String RESOURCE = "openapi.json";
    private static volatile JsonNode document;

    private OpenApiDocument() {
    }

    static JsonNode read() {
        JsonNode read = document;
        if (read == null) {
            try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("The management API's " + RESOURCE + " is missing from the class path");
                }
                read = ApiJson.MAPPER.readTree(in);
                document = read;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the management API's " + RESOURCE, e);
            }
        }
        return read.deepCopy();
    }
}
