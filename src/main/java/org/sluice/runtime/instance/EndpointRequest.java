package org.sluice.runtime.instance;

import java.util.function.UnaryOperator;

/**
 * A request to an instance's endpoint as its handlers see it, once its line and headers have
 * arrived: the method, the decoded path, the query as it was sent, and its headers by name (the
 * first value, null when absent; names are matched ignoring case).
 */
record EndpointRequest(String method, String path, String rawQuery, UnaryOperator<String> headers) {
    /** The first value of header {@code name}, or null. */
    String header(String name) {
        return headers.apply(name);
    }
}
