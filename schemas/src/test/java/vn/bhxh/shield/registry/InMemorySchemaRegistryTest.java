package vn.bhxh.shield.registry;

import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the in-memory registry has: scopes named by {@code mem://} URLs, and Confluent's error codes without
 * HTTP. Its registration and compatibility answers are checked against the embedded registry's in SchemaRegistryIT.
 */
class InMemorySchemaRegistryTest {

    private static final Schema CALLER = SchemaBuilder.record("Caller").fields().requiredString("phone").endRecord();

    @Test
    void aMemUrlNamesOneRegistryPerScope() {
        String scope = "scope-" + UUID.randomUUID();
        try {
            SchemaRegistry byUrl = SchemaRegistryClient.fromConfigs(
                    Map.of(SchemaRegistryClient.URL_CONFIG, InMemorySchemaRegistry.url(scope)));
            int id = byUrl.register("calls-value", CALLER);

            assertThat(byUrl).isSameAs(InMemorySchemaRegistry.forScope(scope));
            assertThat(InMemorySchemaRegistry.forScope(scope).schemaById(id)).isEqualTo(CALLER);
            assertThat(InMemorySchemaRegistry.forScope(scope + "-other").subjects()).isEmpty();

            InMemorySchemaRegistry.dropScope(scope);
            assertThat(InMemorySchemaRegistry.forScope(scope).subjects()).isEmpty();
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
            InMemorySchemaRegistry.dropScope(scope + "-other");
        }
    }

    @Test
    void anyOtherUrlIsARegistrysRestApi() {
        assertThat(SchemaRegistryClient.fromConfigs(Map.of(SchemaRegistryClient.URL_CONFIG, "http://localhost:1")))
                .isInstanceOf(SchemaRegistryClient.class);
    }

    @Test
    void answersWithConfluentErrorCodes() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register("calls-value", CALLER);

        assertError(() -> registry.versions("unknown-value"), 40401);
        assertError(() -> registry.version("calls-value", 7), 40402);
        assertError(() -> registry.schemaById(987_654), 40403);
        assertThat(registry.lookup("unknown-value", CALLER)).isEmpty();
    }

    private static void assertError(Runnable call, int errorCode) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(errorCode);
            assertThat(e.isNotFound()).isTrue();
            assertThat(e.isRegistryAnswer()).isTrue();
        });
    }
}
