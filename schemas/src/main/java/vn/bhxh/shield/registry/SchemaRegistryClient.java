package vn.bhxh.shield.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import vn.bhxh.shield.runtime.JsonMappers;

/**
 * Client for the Confluent Schema Registry REST API, so production can point at Confluent Schema Registry or at
 * Apicurio's Confluent-compatible API ({@code .../apis/ccompat/v7}), and integration tests at the embedded registry
 * ({@code EmbeddedSchemaRegistry}, development tooling); broker-free tests use {@link InMemorySchemaRegistry}.
 * Thread-safe. Schemas by id are cached for good: an id never changes meaning.
 */
public final class SchemaRegistryClient implements SchemaRegistry {

    public static final String URL_CONFIG = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = JsonMappers.create();

    private final String baseUrl;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, null, DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUrl           e.g. {@code http://schema-registry:8081}; a path prefix is kept (Apicurio)
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
     * @param timeout           connect timeout and timeout of each request
     */
    public SchemaRegistryClient(String baseUrl, String basicAuthUserInfo, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.authorization = Optional.ofNullable(basicAuthUserInfo)
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The registry a serde configured by class name talks to: reads {@value #URL_CONFIG} (required) and
     * {@value #BASIC_AUTH_USER_INFO_CONFIG} (optional). A {@code mem://<scope>} URL names that scope's
     * {@link InMemorySchemaRegistry} (tests); any other URL a registry's REST API.
     */
    public static SchemaRegistry fromConfigs(Map<String, ?> configs) {
        Object url = configs.get(URL_CONFIG);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required configuration \"" + URL_CONFIG + "\"");
        }
        if (url.toString().startsWith(InMemorySchemaRegistry.URL_PREFIX)) {
            return InMemorySchemaRegistry.forScope(url.toString().substring(InMemorySchemaRegistry.URL_PREFIX.length()));
        }
        Object userInfo = configs.get(BASIC_AUTH_USER_INFO_CONFIG);
        return new SchemaRegistryClient(url.toString(), userInfo == null ? null : userInfo.toString(), DEFAULT_TIMEOUT);
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", subjectPath(subject) + "/versions", schemaBody(schema)).get("id").asInt();
    }

    /** Cached: an id never changes meaning. */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parse(send("GET", "/schemas/ids/" + id, null).get("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            return Optional.of(registered(send("POST", subjectPath(subject), schemaBody(schema))));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(send("GET", subjectPath(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(send("GET", subjectPath(subject) + "/versions/" + version, null));
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", subjectPath(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return send("POST", "/compatibility" + subjectPath(subject) + "/versions/latest", schemaBody(schema))
                .get("is_compatible").asBoolean();
    }

    @Override
    public CompatibilityLevel compatibilityLevel() {
        return CompatibilityLevel.parse(send("GET", "/config", null).get("compatibilityLevel").asText());
    }

    @Override
    public CompatibilityLevel compatibilityLevel(String subject) {
        return CompatibilityLevel.parse(
                send("GET", configPath(subject) + "?defaultToGlobal=true", null)
                        .get("compatibilityLevel").asText());
    }

    @Override
    public void setCompatibilityLevel(CompatibilityLevel level) {
        send("PUT", "/config", Map.of("compatibility", level.name()));
    }

    @Override
    public void setCompatibilityLevel(String subject, CompatibilityLevel level) {
        send("PUT", configPath(subject), Map.of("compatibility", level.name()));
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + encode(subject);
    }

    private static String configPath(String subject) {
        return "/config/" + encode(subject);
    }

    private static String encode(String pathSegment) {
        // URLEncoder encodes for forms; a path segment needs %20 for a space.
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", schema.toString());
    }

    private static RegisteredSchema registered(JsonNode node) {
        return new RegisteredSchema(node.get("subject").asText(), node.get("id").asInt(), node.get("version").asInt(),
                parse(node.get("schema").asText()));
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JsonMappers.write(body)));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(method, path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(method, path, e);
        }
        JsonNode json = readJson(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(response.statusCode(),
                    json.path("error_code").asInt(response.statusCode()),
                    json.path("message").asText(response.body()));
        }
        return json;
    }

    private SchemaRegistryException unreachable(String method, String path, Exception cause) {
        return new SchemaRegistryException(SchemaRegistryException.NO_RESPONSE, -1,
                method + " " + baseUrl + path + " failed: " + cause, cause);
    }

    /** An error page that is not JSON (a proxy's HTML) reads as missing, so its raw text becomes the message. */
    private static JsonNode readJson(String body) {
        try {
            return body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
