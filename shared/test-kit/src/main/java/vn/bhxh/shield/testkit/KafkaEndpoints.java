package vn.bhxh.shield.testkit;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vn.bhxh.shield.registry.SchemaRegistryClient;

/**
 * Where a test's Kafka and schema registry are, whichever runs them ({@link KafkaTestCluster} in this JVM,
 * {@link KafkaBrokerProcess} in its own), and the client settings tests use against them.
 */
public interface KafkaEndpoints {

    String bootstrapServers();

    String registryUrl();

    /** A fresh client (empty cache) for the registry. */
    default SchemaRegistryClient registryClient() {
        return new SchemaRegistryClient(registryUrl());
    }

    /** Idempotent acks=all producer settings plus the registry URL; add the serializers. */
    default Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(SchemaRegistryClient.URL_CONFIG, registryUrl());
        return props;
    }

    /** Read-committed consumer settings from the earliest offset plus the registry URL; add the deserializers. */
    default Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(SchemaRegistryClient.URL_CONFIG, registryUrl());
        return props;
    }

    /**
     * The partitions' high watermarks: where a test reading "everything committed so far" should read to. A
     * read_committed consumer's own end offsets are the last stable offsets, which stop before a transaction
     * committed a moment ago whose markers have not reached the partition yet (its 202 came first); reading
     * read_committed up to the high watermark waits for those markers instead.
     */
    default Map<TopicPartition, Long> highWatermarks(Collection<TopicPartition> partitions) {
        Map<String, Object> props = new HashMap<>(consumerProps("high-watermarks-" + UUID.randomUUID()));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(partitions);
        }
    }
}
