package org.sluice.fleet.api;

import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Real answers of the management API held against its OpenAPI document. Each answer is checked
 * against what the document gives for its path, method and status: that the status is listed,
 * that the media type is one listed, that every header listed is there, and that the JSON body
 * fits the schema; a request to a method the document does not give for a path must be a 405
 * whose {@code Allow} names the methods it does give. Events of the stream are checked against
 * the schemas the stream's {@code x-events} names. What was seen is kept, so that in the end
 * the operations, statuses and events no answer showed can be listed.
 *
 * <p>Problems are collected rather than thrown, so one run lists every place where the document
 * and the host disagree.
 */
final class AnswerCheck {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String JSON = "application/json";

    /** A path of the document and one of its methods, such as {@code POST /services/{name}/start}. */
    record Operation(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }

        /** The path with every parameter set to {@code value}. */
        String pathWith(String value) {
            return path.replaceAll("\\{[^}]+}", value);
        }
    }

    private final JsonNode document;
    private final SchemaCheck schemas;
    private final JsonNode events;
    private final Set<String> problems = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> seen = Collections.synchronizedSet(new TreeSet<>());
    private final Set<String> eventsSeen = Collections.synchronizedSet(new TreeSet<>());

    AnswerCheck(JsonNode document) {
        this.document = document;
        this.schemas = new SchemaCheck(document);
        this.events = findEvents(document);
    }

    /** Every path and method of the document, in its order. */
    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> METHODS.forEach(m -> {
            if (path.getValue().has(m)) {
                operations.add(new Operation(m.toUpperCase(Locale.ROOT), path.getKey()));
            }
        }));
        return operations;
    }

    /** The methods the document gives for {@code path}, upper case. */
    Set<String> methods(String path) {
        return operations().stream().filter(o -> o.path().equals(path)).map(Operation::method)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether the document lists {@code status} for the operation. */
    boolean lists(Operation operation, int status) {
        return operation(operation).path("responses").has(String.valueOf(status));
    }

    /** Whether the path of the document {@code target} falls under has a server of its own, beside the API (as /metrics). */
    boolean besideTheApi(String target) {
        int mark = target.indexOf('?');
        return template(mark < 0 ? target : target.substring(0, mark))
                .map(t -> document.path("paths").path(t).has("servers")).orElse(false);
    }

    /** Whether the operation takes a request body. */
    boolean takesBody(Operation operation) {
        return operation(operation).has("requestBody");
    }

    /** Whether the operation needs credentials: its own security, or else the document's, names a scheme. */
    boolean secured(Operation operation) {
        JsonNode own = operation(operation).get("security");
        JsonNode security = own != null ? own : document.path("security");
        for (JsonNode requirement : security) {
            if (!requirement.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The parameters of the operation, those its path gives all its operations first, each resolved. */
    List<JsonNode> parameters(Operation operation) {
        List<JsonNode> parameters = new ArrayList<>();
        document.path("paths").path(operation.path()).path("parameters").forEach(p -> parameters.add(resolved(operation.toString(), p)));
        operation(operation).path("parameters").forEach(p -> parameters.add(resolved(operation.toString(), p)));
        return parameters;
    }

    /** The event names the stream's {@code x-events} documents. */
    Set<String> eventNames() {
        Set<String> names = new TreeSet<>();
        events.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Checks one answer.
     *
     * @param target the path under {@code /api/v1}, with its query if it had one
     * @param sent   the request body, or null when there was none
     * @param body   the answer's JSON, or a missing node when it had none or it is not JSON
     */
    void check(String method, String target, JsonNode sent, int status, HttpHeaders headers, JsonNode body) {
        int mark = target.indexOf('?');
        String path = mark < 0 ? target : target.substring(0, mark);
        String query = mark < 0 ? "" : target.substring(mark + 1);
        Optional<String> template = template(path);
        if (template.isEmpty()) {
            problem(method + " " + target + ": no path of the document matches");
            return;
        }
        Operation operation = new Operation(method, template.get());
        if (!document.path("paths").path(operation.path()).has(method.toLowerCase(Locale.ROOT))) {
            wrongMethod(operation, status, headers, body);
            return;
        }
        JsonNode described = operation(operation);
        boolean success = status >= 200 && status < 300;
        checkQuery(operation, query, success);
        checkResponse(operation, described, status, headers, body);
        if (success) {
            checkRequestBody(operation, described, sent);
        }
    }

    /** Checks the data of one event of the stream against the schema {@code x-events} gives for its name. */
    void checkEvent(String name, String data) {
        eventsSeen.add(name);
        if (!events.has(name)) {
            problem("event " + name + ": x-events of the stream does not document it");
            return;
        }
        JsonNode json;
        try {
            json = ApiJson.MAPPER.readTree(data);
        } catch (Exception e) {
            problem("event " + name + ": its data is not JSON: " + data);
            return;
        }
        schemas.problems(events.path(name), json).forEach(p -> problem("event " + name + " " + p));
    }

    /** What did not fit the document, in the order first found, each once. */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** The operations and statuses of the document, as {@code POST /services 202}, that no answer showed. */
    Set<String> unseen() {
        Set<String> unseen = new TreeSet<>();
        for (Operation operation : operations()) {
            operation(operation).path("responses").fieldNames()
                    .forEachRemaining(status -> unseen.add(operation + " " + status));
        }
        unseen.removeAll(seen);
        return unseen;
    }

    /** The operations of the document that no successful (2xx) answer showed. */
    List<Operation> notExercised() {
        List<Operation> not = new ArrayList<>();
        for (Operation operation : operations()) {
            boolean succeeded = false;
            for (Iterator<String> statuses = operation(operation).path("responses").fieldNames(); statuses.hasNext(); ) {
                String status = statuses.next();
                succeeded |= status.startsWith("2") && seen.contains(operation + " " + status);
            }
            if (!succeeded) {
                not.add(operation);
            }
        }
        return not;
    }

    /** The event names documented in {@code x-events} that the stream did not carry. */
    Set<String> eventsUnseen() {
        Set<String> unseen = eventNames();
        unseen.removeAll(eventsSeen);
        return unseen;
    }

    // Parts

    /** The path of the document {@code path} falls under; a literal segment beats a parameter. */
    private Optional<String> template(String path) {
        String[] actual = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext(); ) {
            String candidate = paths.next();
            String[] parts = candidate.split("/", -1);
            if (parts.length != actual.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                boolean parameter = parts[i].startsWith("{") && parts[i].endsWith("}");
                matches = parameter ? !actual[i].isEmpty() : parts[i].equals(actual[i]);
                literals += parameter ? 0 : 1;
            }
            if (matches && literals > bestLiterals) {
                best = candidate;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private JsonNode operation(Operation operation) {
        return document.path("paths").path(operation.path()).path(operation.method().toLowerCase(Locale.ROOT));
    }

    private void wrongMethod(Operation operation, int status, HttpHeaders headers, JsonNode body) {
        Set<String> documented = methods(operation.path());
        if (status != 405) {
            problem(operation + ": the document does not give this method, yet it was answered " + status);
            return;
        }
        Set<String> allowed = new TreeSet<>();
        headers.firstValue("Allow").ifPresent(allow -> {
            for (String m : allow.split(",")) {
                allowed.add(m.strip());
            }
        });
        if (!allowed.equals(documented)) {
            problem(operation + " 405: Allow names " + allowed + ", the document gives " + documented);
        }
        // The 405 of a path is listed under each of its operations; this answer stands for all of them.
        for (String m : documented) {
            Operation other = new Operation(m, operation.path());
            checkResponse(other, operation(other), status, headers, body);
        }
    }

    private void checkResponse(Operation operation, JsonNode described, int status, HttpHeaders headers, JsonNode body) {
        String where = operation + " " + status;
        JsonNode listed = described.path("responses").get(String.valueOf(status));
        if (listed == null) {
            List<String> statuses = new ArrayList<>();
            described.path("responses").fieldNames().forEachRemaining(statuses::add);
            problem(operation + " was answered " + status + ", which it does not list (it lists " + statuses + "): " + body);
            return;
        }
        seen.add(where);
        JsonNode response = resolved(where, listed);
        response.path("headers").properties().forEach(header -> {
            Optional<String> value = headers.firstValue(header.getKey());
            if (value.isEmpty()) {
                problem(where + ": the header " + header.getKey() + " is missing");
            } else {
                JsonNode schema = resolved(where, header.getValue()).path("schema");
                schemas.problems(schema, textAs(schema, value.get()))
                        .forEach(p -> problem(where + " header " + header.getKey() + " " + p));
            }
        });
        JsonNode content = response.path("content");
        String type = headers.firstValue("Content-Type").map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        if (content.isEmpty()) {
            if (!body.isMissingNode()) {
                problem(where + ": the document gives no body, yet there was one");
            }
        } else if (!content.has(type)) {
            problem(where + ": Content-Type '" + type + "' is not among " + fieldNames(content));
        } else if (type.equals(JSON)) {
            schemas.problems(content.path(JSON).path("schema"), body).forEach(p -> problem(where + " " + p));
        }
    }

    private void checkQuery(Operation operation, String query, boolean success) {
        if (query.isEmpty()) {
            return;
        }
        Map<String, JsonNode> documented = new LinkedHashMap<>();
        for (JsonNode parameter : parameters(operation)) {
            if (parameter.path("in").asText().equals("query")) {
                documented.put(parameter.path("name").asText(), parameter.path("schema"));
            }
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            JsonNode schema = documented.get(name);
            if (schema == null) {
                problem(operation + ": the query parameter '" + name + "' is not documented");
            } else if (success) {
                schemas.problems(schema, textAs(schema, value))
                        .forEach(p -> problem(operation + " query parameter " + name + " " + p));
            }
        }
    }

    /** The text of a query parameter or header as the JSON value its schema describes. */
    private JsonNode textAs(JsonNode schema, String value) {
        JsonNode type = schemas.resolve(schema).path("type");
        if (type.asText().equals("integer")) {
            try {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return JsonNodeFactory.instance.textNode(value);
            }
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private void checkRequestBody(Operation operation, JsonNode described, JsonNode sent) {
        JsonNode requestBody = described.get("requestBody");
        if (requestBody == null) {
            if (sent != null) {
                problem(operation + ": took a body the document does not mention");
            }
            return;
        }
        JsonNode body = resolved(operation.toString(), requestBody);
        if (sent == null) {
            if (body.path("required").asBoolean(false)) {
                problem(operation + ": succeeded without the body the document requires");
            }
            return;
        }
        schemas.problems(body.path("content").path(JSON).path("schema"), sent)
                .forEach(p -> problem(operation + " request body " + p));
    }

    private JsonNode resolved(String where, JsonNode node) {
        try {
            return schemas.resolve(node);
        } catch (IllegalArgumentException e) {
            problem(where + ": " + e.getMessage());
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static JsonNode findEvents(JsonNode document) {
        for (JsonNode path : document.path("paths")) {
            for (JsonNode operation : path) {
                for (JsonNode response : operation.path("responses")) {
                    JsonNode events = response.path("content").path("text/event-stream").path("x-events");
                    if (events.isObject()) {
                        return events;
                    }
                }
            }
        }
        return JsonNodeFactory.instance.objectNode();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void problem(String text) {
        problems.add(text);
    }
}
