package vn.bhxh.shield.runtime;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import vn.bhxh.shield.registry.SchemaRegistryClient;

/**
 * The Kafka and registry connection every service needs, read from {@link Settings}. Only
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} are required; any other client setting
 * (SASL, TLS) is passed as {@code KAFKA_CLIENT_<NAME>}, e.g. {@code KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL}
 * becomes {@code security.protocol}, so production needs no code change. A registry that asks for HTTP basic
 * authentication gets {@code user:password} from {@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO} (Confluent's name).
 *
 * @param schemaRegistryUserInfo {@code user:password} for the registry, or null when it asks for none
 */
public record KafkaSettings(String bootstrapServers, String schemaRegistryUrl, String schemaRegistryUserInfo,
        Map<String, String> clientOverrides) {

    public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO";
    public static final String CLIENT_PREFIX = "KAFKA_CLIENT_";

    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
    }

    /** Settings for a registry without authentication (tests, the local stack, the benchmark). */
    public KafkaSettings(String bootstrapServers, String schemaRegistryUrl, Map<String, String> clientOverrides) {
        this(bootstrapServers, schemaRegistryUrl, null, clientOverrides);
    }

    public static KafkaSettings from(Settings settings) {
        Map<String, String> overrides = new HashMap<>();
        settings.withPrefix(CLIENT_PREFIX)
                .forEach((k, v) -> overrides.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v));
        return new KafkaSettings(
                settings.string(BOOTSTRAP_SERVERS, "localhost:9092"),
                settings.string(SCHEMA_REGISTRY_URL, "http://localhost:8081"),
                settings.find(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO).orElse(null),
                overrides);
    }

    /** A client of the registry at {@link #schemaRegistryUrl}, with the credentials, if any, on every request. */
    public SchemaRegistryClient schemaRegistry() {
        return new SchemaRegistryClient(schemaRegistryUrl, schemaRegistryUserInfo, SchemaRegistryClient.DEFAULT_TIMEOUT);
    }

    /** Properties shared by every client of a service; {@code clientId} names it in broker logs and quotas. */
    public Map<String, Object> common(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        props.putAll(clientOverrides);
        return props;
    }

    /**
     * A producer that never loses or duplicates an acknowledged record: acks from all in-sync replicas,
     * idempotence on, whatever {@code KAFKA_CLIENT_*} says. Callers reply to people only after the send future
     * completes.
     */
    public Map<String, Object> reliableProducer(String clientId) {
        Map<String, Object> props = common(clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }
}
