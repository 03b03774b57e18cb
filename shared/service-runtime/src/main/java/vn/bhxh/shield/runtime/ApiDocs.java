package vn.bhxh.shield.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A service's OpenAPI 3.1 document and Swagger UI: {@code GET /openapi.json} (the hand-written YAML resource
 * {@code openapi/<service>.yaml} over {@code openapi/common.yaml}, served as JSON) and {@code GET /docs} (Swagger UI from the {@code swagger-ui}
 * webjar: no CDN, offices may be offline). Both are public: the document describes the API, it grants nothing.
 */
public final class ApiDocs {

    public static final String SPEC_PATH = "/openapi.json";
    public static final String UI_PATH = "/docs";
    private static final String COMMON = "openapi/common.yaml";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The webjar's files the page uses: only these are served, by name. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png");
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String PAGE = """
            <!doctype html>
            <html lang="vi">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>%s: tài liệu API</title>
              <link rel="stylesheet" href="/docs/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
            </head>
            <body>
              <main id="swagger-ui"></main>
              <script src="/docs/swagger-ui-bundle.js"></script>
              <script src="/docs/swagger-ui-standalone-preset.js"></script>
              <script src="/docs/init.js"></script>
            </body>
            </html>
            """;
    /** A file of its own, so the page's policy can refuse every inline script. */
    private static final String INIT = """
            window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
              presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
            """;

    private ApiDocs() {
    }

    /** The classpath resource holding the document of {@code serviceName}. */
    public static String resource(String serviceName) {
        return "openapi/" + serviceName + ".yaml";
    }

    /**
     * The document of {@code serviceName} as JSON, if the service has one: its own file merged over
     * {@code openapi/common.yaml} (health, metrics and the problem shape, the same in every service).
     */
    public static Optional<JsonNode> document(String serviceName) {
        return yaml(resource(serviceName)).map(own -> merged((ObjectNode) yaml(COMMON).orElseThrow(), own));
    }

    private static Optional<JsonNode> yaml(String resource) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code over} laid on {@code base}: objects merged member by member, anything else replaced. */
    private static JsonNode merged(ObjectNode base, JsonNode over) {
        over.fields().forEachRemaining(member -> {
            JsonNode below = base.get(member.getKey());
            base.set(member.getKey(), below instanceof ObjectNode object && member.getValue().isObject()
                    ? merged(object, member.getValue()) : member.getValue());
        });
        return base;
    }

    /** The two routes, when {@code serviceName} has a document. */
    static void register(JavalinConfig config, String serviceName) {
        Optional<JsonNode> document = document(serviceName);
        if (document.isEmpty()) {
            return;
        }
        String json = document.get().toString();
        String page = PAGE.formatted(serviceName);
        String version = webjarVersion();
        config.routes.get(SPEC_PATH, ctx -> ctx.contentType("application/json; charset=utf-8").result(json));
        config.routes.get(UI_PATH, ctx -> ctx.header("Content-Security-Policy", POLICY).html(page));
        config.routes.get(UI_PATH + "/init.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(INIT));
        config.routes.get(UI_PATH + "/{asset}", ctx -> asset(ctx, version));
    }

    private static void asset(Context ctx, String version) throws IOException {
        String name = ctx.pathParam("asset");
        String type = ASSETS.get(name);
        InputStream in = type == null ? null
                : ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR + version + "/" + name);
        if (in == null) {
            throw HttpProblems.of(404);
        }
        try (in) {
            ctx.header("Cache-Control", "public, max-age=86400").contentType(type).result(in.readAllBytes());
        }
    }

    /** The webjar's version names its folder; read from its Maven metadata, so an upgrade is a pom change only. */
    private static String webjarVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
