package vn.bhxh.shield.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
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

/**
 * The registry's state (schemas by global id, each subject's versions, compatibility levels), kept in a compacted
 * Kafka topic with Confluent's own key and value layout so it survives restarts. On open the topic is read to its end
 * to rebuild the state. Single writer: changes are serialised by this instance's lock, written with an idempotent
 * acks=all producer, and applied in memory only once Kafka acknowledged them, so what is served is what is stored.
 */
final class SchemaStore implements AutoCloseable {

    /** Version number meaning "the subject's newest version", as in Confluent's API. */
    static final int LATEST = -1;

    private static final Logger log = LoggerFactory.getLogger(SchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final SortedMap<String, SortedMap<Integer, Integer>> idsBySubjectVersion = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

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
            log.info("Read {} records from {}: {} schemas, {} subjects", count, topic, schemasById.size(),
                    idsBySubjectVersion.size());
        }
    }

    /** Registers the schema under the subject, or returns its id if it is already one of the subject's versions. */
    synchronized int register(String subject, Schema schema) {
        String text = schema.toString();
        Integer id = idsBySchemaText.get(text);
        SortedMap<Integer, Integer> versions = idsBySubjectVersion.getOrDefault(subject, new TreeMap<>());
        if (id != null && versions.containsValue(id)) {
            return id;
        }
        List<String> problems = incompatibilities(subject, LATEST, schema);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier "
                    + "schema for subject \"" + subject + "\", details: " + problems);
        }
        int newId = id != null ? id : maxId + 1;
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        append(new Key("SCHEMA", subject, version, 1), new SchemaValue(subject, version, newId, text, false));
        return newId;
    }

    synchronized RegisteredSchema lookup(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        return versions(subject).entrySet().stream()
                .filter(version -> version.getValue().equals(id))
                .findFirst()
                .map(version -> new RegisteredSchema(subject, id, version.getKey(), schemasById.get(id)))
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("not registered under '" + subject + "'"));
    }

    synchronized Schema schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id))
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("with id " + id));
    }

    /** Every (subject, version) holding the schema with this id. */
    synchronized List<RegisteredSchema> usesOf(int id) {
        Schema schema = schemaById(id);
        List<RegisteredSchema> uses = new ArrayList<>();
        idsBySubjectVersion.forEach((subject, versions) -> versions.forEach((version, versionId) -> {
            if (versionId == id) {
                uses.add(new RegisteredSchema(subject, id, version, schema));
            }
        }));
        return uses;
    }

    synchronized List<String> subjects() {
        return List.copyOf(idsBySubjectVersion.keySet());
    }

    synchronized List<Integer> versionNumbers(String subject) {
        return List.copyOf(versions(subject).keySet());
    }

    synchronized RegisteredSchema version(String subject, int version) {
        SortedMap<Integer, Integer> versions = versions(subject);
        int number = version == LATEST ? versions.lastKey() : version;
        Integer id = versions.get(number);
        if (id == null) {
            throw SchemaRegistryException.versionNotFound(subject, String.valueOf(version));
        }
        return new RegisteredSchema(subject, id, number, schemasById.get(id));
    }

    /**
     * Why the candidate may not be added to the subject under its level: checked against the given version, or for
     * {@link #LATEST} against the newest (all versions when transitive). A subject without versions accepts anything.
     */
    synchronized List<String> incompatibilities(String subject, int version, Schema candidate) {
        SortedMap<Integer, Integer> versions = idsBySubjectVersion.getOrDefault(subject, new TreeMap<>());
        if (version == LATEST && versions.isEmpty()) {
            return List.of();
        }
        List<Schema> earlier = version == LATEST
                ? versions.values().stream().map(schemasById::get).toList()
                : List.of(version(subject, version).schema());
        return effectiveLevel(subject).incompatibilities(candidate, earlier);
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Sets the level of a subject, or the global level when subject is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        append(new Key("CONFIG", subject, null, 0), new ConfigValue(level.name()));
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private SortedMap<Integer, Integer> versions(String subject) {
        SortedMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    /** Writes the change, waits for Kafka's acknowledgement, then applies it exactly as a replay would. */
    private void append(Key key, Object value) {
        String keyJson = toJson(key);
        String valueJson = toJson(value);
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
                CompatibilityLevel level = valueJson == null
                        ? null : CompatibilityLevel.parse(JSON.readValue(valueJson, ConfigValue.class).compatibilityLevel());
                if (key.subject() == null) {
                    globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
                } else if (level == null) {
                    subjectLevels.remove(key.subject());
                } else {
                    subjectLevels.put(key.subject(), level);
                }
            }
        } catch (JsonProcessingException e) {
            log.warn("Skipping unreadable record in {}: key {}", topic, keyJson, e);
        }
    }

    private void applySchema(SchemaValue value) {
        Schema schema = new Schema.Parser().parse(value.schema());
        schemasById.putIfAbsent(value.id(), schema);
        idsBySchemaText.putIfAbsent(schema.toString(), value.id());
        idsBySubjectVersion.computeIfAbsent(value.subject(), s -> new TreeMap<>()).put(value.version(), value.id());
        maxId = Math.max(maxId, value.id());
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
