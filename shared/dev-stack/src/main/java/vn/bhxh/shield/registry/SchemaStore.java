package vn.bhxh.shield.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.JsonMappers;

/**
 * The registry's state (a {@link SchemaCatalog}: schemas by global id, each subject's versions, compatibility
 * levels), kept in a compacted Kafka topic with Confluent's own key and value layout so it survives restarts. On
 * open the topic is read to its end to rebuild the state. Single writer: changes are serialised by this instance's lock, written with an idempotent
 * acks=all producer, and applied in memory only once Kafka acknowledged them, so what is served is what is stored.
 */
final class SchemaStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaStore.class);
    private static final ObjectMapper JSON = JsonMappers.create();
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    // Confluent's record layout in the _schemas topic; other key types (NOOP, MODE, ...) are skipped.
    private record Key(String keytype, String subject, Integer version, int magic) {
    }

    private record SchemaValue(String subject, int version, int id, String schema, boolean deleted) {
    }

    private record ConfigValue(String compatibilityLevel) {
    }

    private final String topic;
    private final KafkaProducer<String, String> producer;

    private final SchemaCatalog catalog = new SchemaCatalog();

    private SchemaStore(String topic, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** Creates the topic if missing, replays it, and returns a store ready for writes. */
    static SchemaStore open(String bootstrapServers, String topic, short replicationFactor) {
        createTopicIfMissing(bootstrapServers, topic, replicationFactor);
        SchemaStore store = new SchemaStore(topic, new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), new StringSerializer()));
        try {
            store.replay(bootstrapServers);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static void createTopicIfMissing(String bootstrapServers, String topic, short replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, replicationFactor)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created schema topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw SchemaRegistryException.storeError("cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException | TimeoutException e) {
            throw SchemaRegistryException.storeError("cannot create topic " + topic, e);
        }
    }

    private void replay(String bootstrapServers) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), KAFKA_TIMEOUT).get(partition);
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            int count = 0;
            while (consumer.position(partition, KAFKA_TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw SchemaRegistryException.storeError("timed out reading " + topic + " to offset " + end, null);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record.key(), record.value());
                    count++;
                }
            }
            log.info("Read {} records from {}: {} subjects", count, topic, catalog.subjects().size());
        }
    }

    /** Registers the schema under the subject, or returns its id if it is already one of the subject's versions. */
    synchronized int register(String subject, Schema schema) {
        SchemaCatalog.Registration registration = catalog.registration(subject, schema);
        RegisteredSchema version = registration.version();
        if (registration.isNew()) {
            append(new Key("SCHEMA", subject, version.version(), 1),
                    new SchemaValue(subject, version.version(), version.id(), schema.toString(), false));
        }
        return version.id();
    }

    synchronized RegisteredSchema lookup(String subject, Schema schema) {
        return catalog.lookup(subject, schema);
    }

    synchronized Schema schemaById(int id) {
        return catalog.schemaById(id);
    }

    /** Every (subject, version) holding the schema with this id. */
    synchronized List<RegisteredSchema> usesOf(int id) {
        return catalog.usesOf(id);
    }

    synchronized List<String> subjects() {
        return catalog.subjects();
    }

    synchronized List<Integer> versionNumbers(String subject) {
        return catalog.versionNumbers(subject);
    }

    /** The given version, or the newest for {@link SchemaCatalog#LATEST}. */
    synchronized RegisteredSchema version(String subject, int version) {
        return catalog.version(subject, version);
    }

    /** See {@link SchemaCatalog#incompatibilities}. */
    synchronized List<String> incompatibilities(String subject, int version, Schema candidate) {
        return catalog.incompatibilities(subject, version, candidate);
    }

    synchronized CompatibilityLevel globalLevel() {
        return catalog.globalLevel();
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return catalog.subjectLevel(subject);
    }

    /** Sets the level of a subject, or the global level when subject is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        append(new Key("CONFIG", subject, null, 0), new ConfigValue(level.name()));
    }

    /** Writes the change, waits for Kafka's acknowledgement, then applies it exactly as a replay would. */
    private void append(Key key, Object value) {
        String keyJson = JsonMappers.write(key);
        String valueJson = JsonMappers.write(value);
        try {
            producer.send(new ProducerRecord<>(topic, keyJson, valueJson))
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw SchemaRegistryException.storeError("write to " + topic + " failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw SchemaRegistryException.storeError("write to " + topic + " not acknowledged", e);
        }
        apply(keyJson, valueJson);
    }

    private void apply(String keyJson, String valueJson) {
        try {
            Key key = JSON.readValue(keyJson, Key.class);
            if ("SCHEMA".equals(key.keytype()) && valueJson != null) {
                SchemaValue value = JSON.readValue(valueJson, SchemaValue.class);
                if (!value.deleted()) {
                    applySchema(value);
                }
            } else if ("CONFIG".equals(key.keytype())) {
                catalog.setLevel(key.subject(), valueJson == null
                        ? null : CompatibilityLevel.parse(JSON.readValue(valueJson, ConfigValue.class).compatibilityLevel()));
            }
        } catch (JsonProcessingException e) {
            log.warn("Skipping unreadable record in {}: key {}", topic, keyJson, e);
        }
    }

    private void applySchema(SchemaValue value) {
        catalog.add(new RegisteredSchema(value.subject(), value.id(), value.version(),
                new Schema.Parser().parse(value.schema())));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
