package vn.bhxh.shield.registry;


import io.javalin.Javalin;
import org.slf4j.Logger;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceLogs;
import vn.bhxh.shield.runtime.Settings;
import org.slf4j.LoggerFactory;

/**
 * A small schema registry serving the same REST paths and JSON as Confluent Schema Registry (the part serdes and
 * operators use), for the local stack and tests. State lives in a compacted Kafka topic, so ids and versions
 * survive a restart.
 *
 * <p>Single writer: run exactly ONE instance per topic. It does not follow writes made by another instance.
 * Production uses Confluent Schema Registry or Apicurio's Confluent-compatible API instead.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    public static final String DEFAULT_TOPIC = "_schemas";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final String bootstrapServers;
    private final int requestedPort;
    private final String topic;
    private final short replicationFactor;
    private SchemaStore store;
    private Javalin server;

    /** A registry on {@link #DEFAULT_TOPIC} with replication factor 1; port 0 picks a free port. */
    public EmbeddedSchemaRegistry(String bootstrapServers, int port) {
        this(bootstrapServers, port, DEFAULT_TOPIC, (short) 1);
    }

    public EmbeddedSchemaRegistry(String bootstrapServers, int port, String topic, short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.requestedPort = port;
        this.topic = topic;
        this.replicationFactor = replicationFactor;
    }

    /** Reads the schema topic to its end, then serves HTTP. */
    public synchronized EmbeddedSchemaRegistry start() {
        store = SchemaStore.open(bootstrapServers, topic, replicationFactor);
        RegistryRoutes routes = new RegistryRoutes(store);
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.port = requestedPort;
            routes.addTo(config.routes);
        }).start();
        log.info("Schema registry serving {} from topic {} on {}", url(), topic, bootstrapServers);
        return this;
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "http://localhost:" + port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /**
     * Runs the registry until SIGTERM. Environment: SCHEMA_REGISTRY_PORT (8081), KAFKA_BOOTSTRAP_SERVERS
     * (localhost:9092), SCHEMA_REGISTRY_TOPIC (_schemas), SCHEMA_REGISTRY_REPLICATION_FACTOR (1).
     */
    public static void main(String[] args) throws InterruptedException {
        ServiceLogs.name("schema-registry");
        Settings env = Settings.fromEnvironment();
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(
                env.string(KafkaSettings.BOOTSTRAP_SERVERS, "localhost:9092"),
                env.integer("SCHEMA_REGISTRY_PORT", 8081),
                env.string("SCHEMA_REGISTRY_TOPIC", DEFAULT_TOPIC),
                (short) env.integer("SCHEMA_REGISTRY_REPLICATION_FACTOR", 1));
        registry.start();
        ServiceLifecycle.runUntilShutdown("schema-registry", registry);
    }
}
