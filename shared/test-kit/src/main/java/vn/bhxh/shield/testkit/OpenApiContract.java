package vn.bhxh.shield.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import vn.bhxh.shield.runtime.ApiDocs;

/**
 * A service's OpenAPI 3.1 document as a contract its real answers must keep: {@link #check} finds the operation of a
 * method and path, fails on a status or content type it does not document, and validates a JSON body against the
 * response's schema (JSON Schema 2020-12, as OpenAPI 3.1 uses, by networknt's validator with the document's own
 * {@code $ref}s). A path the document does not know must be answered with a problem+json error, like every error.
 * Every operation checked is remembered, so a test can list the documented ones no test exercised.
 */
public final class OpenApiContract {

    private static final String BASE = "https://bhxh-shield.local/openapi/";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head");
    private static final Map<String, OpenApiContract> BY_SERVICE = new ConcurrentHashMap<>();

    private final JsonNode document;
    private final String uri;
    private final SchemaRegistry schemas;
    private final List<Route> routes = new ArrayList<>();
    private final Set<String> exercised = ConcurrentHashMap.newKeySet();

    /** A documented path template and the pattern of the concrete paths it stands for. */
    private record Route(String template, Pattern pattern, int parameters) {
    }

    private OpenApiContract(String service, JsonNode document) {
        this.document = document;
        this.uri = BASE + service + ".json";
        String text = document.toString();
        this.schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(uri, text)));
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            routes.add(new Route(template, pattern(template), template.split("\\{", -1).length - 1));
        }
        // A literal segment wins over a parameter: /blocklist/changes is not /blocklist/{anything}.
        routes.sort(Comparator.comparingInt(Route::parameters));
    }

    /** The contract of {@code service} (its {@code openapi/<service>.yaml}), one per test JVM. */
    public static OpenApiContract of(String service) {
        return BY_SERVICE.computeIfAbsent(service, name -> new OpenApiContract(name, ApiDocs.document(name)
                .orElseThrow(() -> new IllegalStateException("no " + ApiDocs.resource(name) + " on the classpath"))));
    }

    /** {@link #check(String, String, int, String, String)} of a response the JDK's client received. */
    public HttpResponse<String> check(HttpResponse<String> response) {
        check(response.request().method(), response.uri().getRawPath(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body());
        return response;
    }

    /** Fails with every difference between this answer and the document. */
    public void check(String method, String path, int status, String contentType, String body) {
        List<String> problems = problems(method, path, status, contentType, body);
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + path + " answered " + status + " " + contentType
                    + " that the OpenAPI document does not allow:\n  " + String.join("\n  ", problems)
                    + "\nbody: " + abbreviated(body));
        }
    }

    /** What is wrong with this answer by the document; empty when it keeps it. */
    public List<String> problems(String method, String path, int status, String contentType, String body) {
        Optional<Route> route = routes.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst();
        if (route.isEmpty()) {
            return status >= 400 ? validate("#/components/schemas/Problem", "application/problem+json", contentType,
                    body) : List.of("the path is not documented, yet it answered " + status);
        }
        String operationPointer = "/paths/" + escape(route.get().template()) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.at(operationPointer);
        if (operation.isMissingNode()) {
            return status == 405 || status == 404 ? validate("#/components/schemas/Problem",
                    "application/problem+json", contentType, body)
                    : List.of("the method is not documented for " + route.get().template());
        }
        exercised.add(operationKey(method, route.get().template()));
        String responsePointer = operationPointer + "/responses/" + status;
        JsonNode response = document.at(responsePointer);
        if (response.isMissingNode()) {
            responsePointer = operationPointer + "/responses/" + status / 100 + "XX";
            response = document.at(responsePointer);
        }
        if (response.isMissingNode()) {
            responsePointer = operationPointer + "/responses/default";
            response = document.at(responsePointer);
        }
        if (response.isMissingNode()) {
            return List.of("status " + status + " is not documented");
        }
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = document.at(responsePointer);
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return List.of();
        }
        String mediaType = mediaType(contentType);
        if (mediaType == null || !content.has(mediaType)) {
            return List.of("content type " + contentType + " is not documented (" + fieldNames(content) + ")");
        }
        if (!content.get(mediaType).has("schema")) {
            return List.of();
        }
        return validate("#" + responsePointer + "/content/" + escape(mediaType) + "/schema", mediaType, contentType,
                body);
    }

    private List<String> validate(String schemaPointer, String expectedType, String contentType, String body) {
        String mediaType = mediaType(contentType);
        if (!expectedType.equals(mediaType)) {
            return List.of("content type " + contentType + " where the document says " + expectedType);
        }
        if (!mediaType.endsWith("json")) {
            return List.of();
        }
        List<Error> errors = schemas.getSchema(SchemaLocation.of(uri + schemaPointer)).validate(body, InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }

    /** Every documented operation ({@code GET /path}) no {@link #check} has seen in this JVM. */
    public Set<String> notExercised() {
        Set<String> missing = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> {
                    if (METHODS.contains(method) && !exercised.contains(operationKey(method, path.getKey()))) {
                        missing.add(operationKey(method, path.getKey()));
                    }
                }));
        return missing;
    }

    public JsonNode document() {
        return document;
    }

    private static String operationKey(String method, String template) {
        return method.toUpperCase(Locale.ROOT) + " " + template;
    }

    /** {@code {name}} is one segment, but one that ends the template takes the rest (a link's key holds slashes). */
    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        var matcher = Pattern.compile("\\{([^}]+)}").matcher(template);
        int at = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(at, matcher.start())));
            regex.append(matcher.end() == template.length() ? ".+" : "[^/]+");
            at = matcher.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(at))).toString());
    }

    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    /** A JSON pointer's escaping of one reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 600 ? body.substring(0, 600) + "..." : body;
    }
}
