package vn.bhxh.shield.registry;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import vn.bhxh.shield.runtime.JsonMappers;

import static vn.bhxh.shield.registry.SchemaRegistryClient.CONTENT_TYPE;

/** The Confluent Schema Registry REST endpoints serdes and operators use, mapped onto a {@link SchemaStore}. */
final class RegistryRoutes {

    private static final ObjectMapper JSON = JsonMappers.create();

    // Same field order as Confluent's answers.
    private record SchemaVersion(String subject, int version, int id, String schema) {
        SchemaVersion(RegisteredSchema registered) {
            this(registered.subject(), registered.version(), registered.id(), registered.schema().toString());
        }
    }

    private record SubjectVersion(String subject, int version) {
    }

    private final SchemaStore store;

    RegistryRoutes(SchemaStore store) {
        this.store = store;
    }

    void addTo(RoutesConfig routes) {
        routes.get("/", ctx -> json(ctx, Map.of()));
        routes.get("/health", ctx -> json(ctx, Map.of("status", "UP")));

        routes.get("/subjects", ctx -> json(ctx, store.subjects()));
        routes.post("/subjects/{subject}/versions",
                ctx -> json(ctx, Map.of("id", store.register(subject(ctx), schemaIn(ctx)))));
        routes.post("/subjects/{subject}", ctx -> json(ctx, new SchemaVersion(store.lookup(subject(ctx), schemaIn(ctx)))));
        routes.get("/subjects/{subject}/versions", ctx -> json(ctx, store.versionNumbers(subject(ctx))));
        routes.get("/subjects/{subject}/versions/{version}",
                ctx -> json(ctx, new SchemaVersion(store.version(subject(ctx), version(ctx)))));
        routes.get("/subjects/{subject}/versions/{version}/schema",
                ctx -> jsonText(ctx, store.version(subject(ctx), version(ctx)).schema().toString()));

        // ?subject= only selects a schema context in Confluent; there are no contexts here, so it changes nothing.
        routes.get("/schemas/ids/{id}", ctx -> json(ctx, Map.of("schema", store.schemaById(id(ctx)).toString())));
        routes.get("/schemas/ids/{id}/versions", ctx -> json(ctx, store.usesOf(id(ctx)).stream()
                .map(used -> new SubjectVersion(used.subject(), used.version())).toList()));

        routes.post("/compatibility/subjects/{subject}/versions/{version}", this::checkCompatibility);

        routes.get("/config", ctx -> json(ctx, Map.of("compatibilityLevel", store.globalLevel())));
        routes.put("/config", ctx -> json(ctx, Map.of("compatibility", setLevel(null, ctx))));
        routes.get("/config/{subject}", this::subjectConfig);
        routes.put("/config/{subject}", ctx -> json(ctx, Map.of("compatibility", setLevel(subject(ctx), ctx))));

        routes.exception(SchemaRegistryException.class, (e, ctx) -> error(ctx, e.httpStatus(), e.errorCode(), e.getMessage()));
        routes.exception(JsonProcessingException.class, (e, ctx) -> error(ctx, 400, 400, "Malformed JSON: " + e.getOriginalMessage()));
    }

    private void checkCompatibility(Context ctx) throws JsonProcessingException {
        List<String> problems = store.incompatibilities(subject(ctx), version(ctx), schemaIn(ctx));
        boolean verbose = Boolean.parseBoolean(ctx.queryParam("verbose"));
        json(ctx, verbose
                ? Map.of("is_compatible", problems.isEmpty(), "messages", problems)
                : Map.of("is_compatible", problems.isEmpty()));
    }

    private void subjectConfig(Context ctx) throws JsonProcessingException {
        String subject = subject(ctx);
        CompatibilityLevel level = store.subjectLevel(subject).orElseGet(() -> {
            if (Boolean.parseBoolean(ctx.queryParam("defaultToGlobal"))) {
                return store.globalLevel();
            }
            throw new SchemaRegistryException(404, 40408,
                    "Subject '" + subject + "' does not have subject-level compatibility configured");
        });
        json(ctx, Map.of("compatibilityLevel", level));
    }

    private CompatibilityLevel setLevel(String subject, Context ctx) throws JsonProcessingException {
        CompatibilityLevel level = CompatibilityLevel.parse(body(ctx).path("compatibility").asText(null));
        store.setLevel(subject, level);
        return level;
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private static int version(Context ctx) {
        String version = ctx.pathParam("version");
        if (version.equals("latest")) {
            return SchemaCatalog.LATEST;
        }
        try {
            int number = Integer.parseInt(version);
            if (number == SchemaCatalog.LATEST || number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, as Confluent does
        }
        throw SchemaRegistryException.invalidVersion(version);
    }

    private static int id(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw SchemaRegistryException.schemaNotFound("with id " + id);
        }
    }

    private static JsonNode body(Context ctx) throws JsonProcessingException {
        return JSON.readTree(ctx.body());
    }

    /** The Avro schema in a {"schema": "...", "schemaType": "AVRO"} request body. */
    private static Schema schemaIn(Context ctx) throws JsonProcessingException {
        JsonNode body = body(ctx);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw SchemaRegistryException.invalidSchema("only AVRO schemas are supported, not " + type);
        }
        String schema = body.path("schema").asText(null);
        if (schema == null) {
            throw SchemaRegistryException.invalidSchema("the request has no \"schema\" field");
        }
        try {
            return new Schema.Parser().parse(schema);
        } catch (SchemaParseException e) {
            throw SchemaRegistryException.invalidSchema(e.getMessage());
        }
    }

    private static void json(Context ctx, Object body) throws JsonProcessingException {
        jsonText(ctx, JSON.writeValueAsString(body));
    }

    private static void jsonText(Context ctx, String json) {
        ctx.contentType(CONTENT_TYPE).result(json);
    }

    private static void error(Context ctx, int status, int errorCode, String message) {
        ctx.status(status).contentType(CONTENT_TYPE)
                .result(JsonMappers.write(Map.of("error_code", errorCode, "message", String.valueOf(message))));
    }
}
