package vn.bhxh.shield.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;

/**
 * Ports and the data directory of the local stack, each overridable by an environment variable. When both
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL} are set the stack is "external": it starts no
 * broker and no registry and uses those.
 */
record LocalStackConfig(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int ingestPort,
                        int processorPort, int sinkPort, Optional<KafkaSettings> external, String serviceJvmOptions) {

    static LocalStackConfig from(Settings settings) {
        boolean bootstrap = settings.find(KafkaSettings.BOOTSTRAP_SERVERS).isPresent();
        boolean registry = settings.find(KafkaSettings.SCHEMA_REGISTRY_URL).isPresent();
        // Half an external setup would start a local broker or registry and quietly point the services at it.
        if (bootstrap != registry) {
            throw new IllegalStateException("external mode needs both " + KafkaSettings.BOOTSTRAP_SERVERS + " and "
                    + KafkaSettings.SCHEMA_REGISTRY_URL + "; only " + (bootstrap ? KafkaSettings.BOOTSTRAP_SERVERS
                    : KafkaSettings.SCHEMA_REGISTRY_URL) + " is set");
        }
        boolean external = bootstrap;
        return new LocalStackConfig(
                Path.of(settings.string("BHXH_DATA_DIR", "data")).toAbsolutePath(),
                settings.integer("KAFKA_PORT", 9092),
                settings.integer("KAFKA_CONTROLLER_PORT", 9093),
                settings.integer("SCHEMA_REGISTRY_PORT", 8081),
                settings.integer("INGEST_HTTP_PORT", 8080),
                settings.integer("PROCESSOR_HTTP_PORT", 8083),
                settings.integer("SINK_HTTP_PORT", 8082),
                external ? Optional.of(KafkaSettings.from(settings)) : Optional.empty(),
                // Small heaps and the serial collector: five JVMs share a 2-core laptop.
                settings.string("BHXH_SERVICE_JVM_OPTS", "-Xmx384m -XX:+UseSerialGC"));
    }

    String bootstrapServers() {
        return external.map(KafkaSettings::bootstrapServers).orElse("localhost:" + kafkaPort);
    }

    String registryUrl() {
        return external.map(KafkaSettings::schemaRegistryUrl).orElse("http://localhost:" + registryPort);
    }

    /** The launcher's own admin client: an external cluster's {@code KAFKA_CLIENT_*} settings (SASL, TLS) apply. */
    Map<String, Object> adminClient() {
        return external.map(kafka -> kafka.common("local-stack"))
                .orElseGet(() -> Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    Path logs() {
        return dataDir.resolve("logs");
    }
}
