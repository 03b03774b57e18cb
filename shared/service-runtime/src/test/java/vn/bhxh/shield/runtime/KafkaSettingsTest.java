package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry client a service builds from its settings authenticates the way the production registry asks. */
class KafkaSettingsTest {

    private HttpServer registry;
    private final List<String> authorizations = new ArrayList<>();

    @BeforeEach
    void startRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/apis/ccompat/v7/subjects", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "[\"bhxh.reports.v1-value\"]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        registry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    @Test
    void theRegistryClientSendsTheBasicAuthUserInfoOnEveryRequest() {
        KafkaSettings settings = KafkaSettings.from(Settings.of(Map.of(
                KafkaSettings.SCHEMA_REGISTRY_URL, registryUrl(),
                KafkaSettings.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, "stream-processor:s3cr:et")));

        assertThat(settings.schemaRegistry().subjects()).containsExactly("bhxh.reports.v1-value");
        settings.schemaRegistry().subjects();

        String expected = "Basic " + Base64.getEncoder()
                .encodeToString("stream-processor:s3cr:et".getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).containsExactly(expected, expected);
    }

    @Test
    void withoutUserInfoTheClientSendsNoCredentials() {
        KafkaSettings settings = KafkaSettings.from(Settings.of(Map.of(
                KafkaSettings.SCHEMA_REGISTRY_URL, registryUrl(),
                KafkaSettings.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, "  ")));

        assertThat(settings.schemaRegistryUserInfo()).isNull();
        settings.schemaRegistry().subjects();

        assertThat(authorizations).containsExactly("null");
    }

    private String registryUrl() {
        return "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/ccompat/v7";
    }
}
