package vn.bhxh.shield.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.bhxh.shield.testkit.KafkaTestCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded registry over HTTP; the API tests run against the in-memory registry too, so tests using it see the
 * same ids, versions, compatibility checks and errors.
 */
class SchemaRegistryIT {

    private static final KafkaTestCluster cluster = KafkaTestCluster.shared();

    private static final Schema CALLER = record("""
            {"name": "phone", "type": "string"}""");
    private static final Schema CALLER_WITH_PROVINCE = record("""
            {"name": "phone", "type": "string"},
            {"name": "province", "type": ["null", "string"], "default": null}""");
    private static final Schema CALLER_WITH_REQUIRED_CCCD = record("""
            {"name": "phone", "type": "string"},
            {"name": "cccd", "type": "string"}""");

    private final SchemaRegistryClient client = cluster.registryClient();

    static Stream<Named<SchemaRegistry>> registries() {
        return Stream.of(Named.of("embedded registry over HTTP", cluster.registryClient()),
                Named.of("in-memory registry", new InMemorySchemaRegistry()));
    }

    @ParameterizedTest
    @MethodSource("registries")
    void registersOnceAndSharesTheGlobalIdAcrossSubjects(SchemaRegistry client) {
        String subject = uniqueSubject();
        String other = uniqueSubject();

        int id = client.register(subject, CALLER);

        assertThat(client.register(subject, CALLER)).isEqualTo(id);
        assertThat(client.register(other, CALLER)).isEqualTo(id);
        assertThat(client.versions(subject)).containsExactly(1);
        assertThat(client.subjects()).contains(subject, other);
        assertThat(client.schemaById(id)).isEqualTo(CALLER);
        assertThat(client.lookup(subject, CALLER)).contains(new RegisteredSchema(subject, id, 1, CALLER));
        assertThat(client.lookup(subject, CALLER_WITH_PROVINCE)).isEmpty();
        assertThat(client.latest(other)).isEqualTo(new RegisteredSchema(other, id, 1, CALLER));
    }

    @ParameterizedTest
    @MethodSource("registries")
    void acceptsAnOptionalFieldAndRefusesANewRequiredOneUnderBackward(SchemaRegistry client) {
        String subject = uniqueSubject();
        int v1 = client.register(subject, CALLER);

        assertThat(client.compatibilityLevel(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.isCompatible(subject, CALLER_WITH_REQUIRED_CCCD)).isFalse();
        assertThatThrownBy(() -> client.register(subject, CALLER_WITH_REQUIRED_CCCD))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("cccd");
                });

        assertThat(client.isCompatible(subject, CALLER_WITH_PROVINCE)).isTrue();
        int v2 = client.register(subject, CALLER_WITH_PROVINCE);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, v2, 2, CALLER_WITH_PROVINCE));
        assertThat(client.version(subject, 1).id()).isEqualTo(v1);
    }

    @ParameterizedTest
    @MethodSource("registries")
    void fullCompatibilityOnASubjectAlsoProtectsOldReaders(SchemaRegistry client) {
        String subject = uniqueSubject();
        client.register(subject, CALLER_WITH_REQUIRED_CCCD);
        // Dropping cccd is fine for new readers (BACKWARD) but old readers need it.
        assertThat(client.isCompatible(subject, CALLER)).isTrue();

        client.setCompatibilityLevel(subject, CompatibilityLevel.FULL);

        assertThat(client.compatibilityLevel(subject)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.compatibilityLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.isCompatible(subject, CALLER)).isFalse();
        assertThatThrownBy(() -> client.register(subject, CALLER))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    }

    @Test
    void answersErrorsWithConfluentStatusesAndCodes() throws Exception {
        String subject = uniqueSubject();
        client.register(subject, CALLER);

        assertError("GET", "/subjects/" + uniqueSubject() + "/versions", null, 404, 40401);
        assertError("GET", "/subjects/" + subject + "/versions/7", null, 404, 40402);
        assertError("GET", "/subjects/" + subject + "/versions/zero", null, 422, 42202);
        assertError("GET", "/schemas/ids/987654", null, 404, 40403);
        assertError("POST", "/subjects/" + subject + "/versions", "{\"schema\": \"{\\\"type\\\": \\\"recrd\\\"}\"}",
                422, 42201);
        assertError("PUT", "/config/" + subject, "{\"compatibility\": \"SIDEWAYS\"}", 422, 42203);

        JsonNode verbose = call("POST", "/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                JSON.writeValueAsString(Map.of("schema", CALLER_WITH_REQUIRED_CCCD.toString()))).body;
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages").toString()).contains("cccd");
        assertThat(call("GET", "/", null).body.isEmpty()).isTrue();
        assertThat(call("GET", "/subjects/" + subject + "/versions/1/schema", null).body.get("name").asText())
                .isEqualTo("Caller");
    }

    @Test
    void keepsIdsVersionsAndConfigAcrossARestart() {
        String subject = uniqueSubject();
        int v1 = client.register(subject, CALLER);
        int v2 = client.register(subject, CALLER_WITH_PROVINCE);
        client.setCompatibilityLevel(subject, CompatibilityLevel.FULL_TRANSITIVE);

        cluster.restartRegistry();

        SchemaRegistryClient fresh = cluster.registryClient();
        assertThat(fresh.schemaById(v1)).isEqualTo(CALLER);
        assertThat(fresh.versions(subject)).containsExactly(1, 2);
        assertThat(fresh.latest(subject).id()).isEqualTo(v2);
        assertThat(fresh.register(subject, CALLER_WITH_PROVINCE)).isEqualTo(v2);
        assertThat(fresh.compatibilityLevel(subject)).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        Schema unseen = record("{\"name\": \"restartedAt\", \"type\": \"long\"}");
        assertThat(fresh.register(uniqueSubject(), unseen)).isGreaterThan(v2);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Answer(int status, String contentType, JsonNode body) {
    }

    private static Answer call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.registryUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", SchemaRegistryClient.CONTENT_TYPE)
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    private static void assertError(String method, String path, String body, int status, int errorCode)
            throws Exception {
        Answer answer = call(method, path, body);
        assertThat(answer.status()).as(method + " " + path).isEqualTo(status);
        assertThat(answer.contentType()).startsWith(SchemaRegistryClient.CONTENT_TYPE);
        assertThat(answer.body().get("error_code").asInt()).as(method + " " + path).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asText()).isNotBlank();
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Caller", "namespace": "vn.bhxh.shield.it", "fields": [%s]}"""
                .formatted(fields));
    }

    private static String uniqueSubject() {
        return "it-" + UUID.randomUUID() + "-value";
    }
}
